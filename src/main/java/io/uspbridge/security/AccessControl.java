package io.uspbridge.security;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Table;
import io.uspbridge.model.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles the roles in {@code Device.LocalAgent.ControllerTrust.} and the controllers' role assignments into
 * {@link Permissions}, one per controller, and keeps them current: any committed change under ControllerTrust or to
 * the Controller table drops the cache (changes to roles need only reach new requests, 13.7). The Controller row of
 * each Endpoint ID is cached the same way: every received Record looks it up several times (standing, routes, E2E
 * settings), and scanning the table from its path each time was a tenth of the agent loop's time under load
 * (docs/PERFORMANCE.md, issue 4). Runs on the agent loop.
 */
public final class AccessControl {
    static final String TRUST = "Device.LocalAgent.ControllerTrust.";
    static final String CONTROLLERS = "Device.LocalAgent.Controller.";

    private final DataModel model;
    private final Map<String, Permissions> byEndpoint = new HashMap<>();
    private final Map<String, Role> rolesByPath = new HashMap<>();
    /** Controller rows by Endpoint ID; an absent row is cached as {@link Optional#empty()}. */
    private final Map<String, Optional<ObjectNode>> rowByEndpoint = new HashMap<>();
    private Function<String, List<String>> searchMatches = s -> List.of();
    private ObjectNode trust;

    public AccessControl(DataModel model) {
        this.model = model;
        model.addListener(this::onChanges);
    }

    /** Installs how search-path targets are resolved to instance paths (the path layer provides it). */
    public void setSearchResolver(Function<String, List<String>> resolver) {
        this.searchMatches = resolver;
        invalidate();
    }

    private void onChanges(List<ModelChange> changes) {
        for (ModelChange c : changes) {
            String p = c.object().path();
            if (p.startsWith(TRUST) || p.startsWith(CONTROLLERS)) {
                invalidate();
                return;
            }
        }
    }

    public void invalidate() {
        byEndpoint.clear();
        rolesByPath.clear();
        rowByEndpoint.clear();
    }

    /**
     * The permissions of the controller with this Endpoint ID: the union of its AssignedRole and InheritedRole; for
     * a controller without a Controller row, the UntrustedRole (R-SEC.6); nothing if neither applies.
     */
    public Permissions forController(String endpointId) {
        return byEndpoint.computeIfAbsent(endpointId, this::compile);
    }

    /** The Controller row of this Endpoint ID (an enabled one first), or null. */
    public ObjectNode controllerRow(String endpointId) {
        return rowByEndpoint.computeIfAbsent(endpointId, id -> Optional.ofNullable(findControllerRow(id)))
                .orElse(null);
    }

    private ObjectNode findControllerRow(String endpointId) {
        Table t = model.findTable(CONTROLLERS);
        if (t == null) {
            return null;
        }
        ObjectNode disabledMatch = null;
        for (ObjectNode c : t.rows()) {
            if (endpointId.equals(c.value("EndpointID"))) {
                if (c.booleanValue("Enable")) {
                    return c;
                }
                disabledMatch = c;
            }
        }
        return disabledMatch;
    }

    /** Whether the controller is banned: its AssignedRole is the BannedRole (13.7; traffic SHOULD be refused). */
    public boolean isBanned(String endpointId) {
        ObjectNode c = controllerRow(endpointId);
        String banned = trustValue("BannedRole");
        if (c == null || banned == null || banned.isEmpty()) {
            return false;
        }
        return ValueType.splitList(c.value("AssignedRole")).contains(banned);
    }

    private Permissions compile(String endpointId) {
        ObjectNode c = controllerRow(endpointId);
        Set<String> rolePaths = new LinkedHashSet<>();
        if (c != null) {
            rolePaths.addAll(ValueType.splitList(nullToEmpty(c.value("AssignedRole"))));
            rolePaths.addAll(ValueType.splitList(nullToEmpty(c.value("InheritedRole"))));
        } else {
            rolePaths.addAll(ValueType.splitList(nullToEmpty(trustValue("UntrustedRole"))));
        }
        List<Role> roles = new ArrayList<>();
        for (String p : rolePaths) {
            Role r = role(p);
            if (r != null) {
                roles.add(r);
            }
        }
        Set<String> securedRoles = new LinkedHashSet<>(ValueType.splitList(nullToEmpty(trustValue("SecuredRoles"))));
        boolean secured = rolePaths.stream().anyMatch(securedRoles::contains);
        return new Permissions(endpointId, roles, secured, false, searchMatches);
    }

    /** The compiled role at a reference path ({@code Device.LocalAgent.ControllerTrust.Role.2}); null if disabled. */
    Role role(String referencePath) {
        return rolesByPath.computeIfAbsent(referencePath, p -> {
            ObjectNode row = model.find(p);
            if (row == null || !row.booleanValue("Enable")) {
                return null;
            }
            List<PermissionRule> rules = new ArrayList<>();
            for (ObjectNode perm : row.rows("Permission")) {
                if (!perm.booleanValue("Enable")) {
                    continue;
                }
                List<PermissionTarget> targets = new ArrayList<>();
                for (String t : ValueType.splitList(perm.value("Targets"))) {
                    if (!t.isEmpty()) {
                        targets.add(PermissionTarget.parse(t));
                    }
                }
                rules.add(new PermissionRule(Long.parseLong(perm.value("Order")), targets,
                        Right.parse(perm.value("Param")), Right.parse(perm.value("Obj")),
                        Right.parse(perm.value("InstantiatedObj")), Right.parse(perm.value("CommandEvent"))));
            }
            return new Role(row.value("Name"), rules);
        });
    }

    private String trustValue(String param) {
        if (trust == null) {
            trust = model.find(TRUST); // a single-instance object: the same node for the model's life
        }
        return trust == null ? null : trust.value(param);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
