package io.uspbridge.security;

import java.util.List;

/**
 * The roles the agent ships (issue 4's configuration contract): {@code full-access}, the default for configured
 * controllers, and {@code untrusted}, what {@code ControllerTrust.UntrustedRole} grants a controller the agent
 * cannot authenticate: it may read the hub's identity and nothing else.
 */
public final class DefaultRoles {
    public static final String FULL_ACCESS = "full-access";
    public static final String UNTRUSTED = "untrusted";

    /** One Permission row of a shipped role. */
    public record PermissionSpec(long order, List<String> targets, String param, String obj, String instantiatedObj,
            String commandEvent) {
    }

    /** A shipped role: its Name and its Permission rows. */
    public record RoleSpec(String name, List<PermissionSpec> permissions) {
    }

    public static final RoleSpec FULL = new RoleSpec(FULL_ACCESS,
            List.of(new PermissionSpec(1, List.of("Device."), "rwxn", "rwxn", "rwxn", "rwxn")));

    public static final RoleSpec UNTRUSTED_ROLE = new RoleSpec(UNTRUSTED,
            List.of(new PermissionSpec(1, List.of("Device.DeviceInfo."), "r---", "r---", "r---", "----")));

    public static List<RoleSpec> all() {
        return List.of(FULL, UNTRUSTED_ROLE);
    }

    private DefaultRoles() {
    }
}
