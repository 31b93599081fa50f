package io.uspbridge.agent;

/**
 * Why the agent (re)started, reported in the next {@code Device.Boot!} event (9.4): {@code Cause} is one of
 * LocalReboot, RemoteReboot, FactoryReset, LocalFactoryReset, RemoteFactoryReset; {@code CommandKey} is the
 * command_key of the Reboot()/FactoryReset() Operate that caused it (else empty).
 */
public record BootCause(String cause, String reason, String commandKey, boolean firmwareUpdated) {

    /** A start that nobody asked for over USP: the process was started or the host rebooted. */
    public static BootCause localReboot() {
        return new BootCause("LocalReboot", "Unknown", "", false);
    }

    /** The text form kept in the store between runs: fields joined by a separator that cannot be in a cause. */
    public String encode() {
        return String.join("\u001f", cause, reason, commandKey, Boolean.toString(firmwareUpdated));
    }

    public static BootCause decode(String s) {
        String[] f = s.split("\u001f", -1);
        if (f.length != 4) {
            return localReboot();
        }
        return new BootCause(f[0], f[1], f[2], Boolean.parseBoolean(f[3]));
    }
}
