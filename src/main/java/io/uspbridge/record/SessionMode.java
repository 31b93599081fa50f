package io.uspbridge.record;

/** {@code Controller.{i}.E2ESession.SessionMode}: whether End-to-End Session Contexts are used with a controller. */
public enum SessionMode {
    /** A Session Context must be used; no Msg is exchanged outside one, and the agent establishes it. */
    REQUIRE("Require"),
    /** The agent never initiates one, but keeps (and restarts) the ones a controller starts. */
    ALLOW("Allow"),
    /** Never used: Session Context Records are refused with 7106, a running context is ended with 7105. */
    FORBID("Forbid");

    private final String value;

    SessionMode(String value) {
        this.value = value;
    }

    /** The TR-181 enumeration value. */
    public String value() {
        return value;
    }

    /** The mode for a TR-181 value; an unknown value counts as the object default, Allow. */
    public static SessionMode of(String value) {
        for (SessionMode m : values()) {
            if (m.value.equals(value)) {
                return m;
            }
        }
        return ALLOW;
    }
}
