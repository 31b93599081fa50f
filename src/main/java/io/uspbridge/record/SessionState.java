package io.uspbridge.record;

/** The state of a controller's Session Context, as {@code Controller.{i}.E2ESession.Status} shows it. */
public enum SessionState {
    /** No Session Context. */
    DOWN("Down"),
    /** The agent sent sequence_id 1 with a new session_id and has no Record of the context back yet. */
    NEGOTIATING("Negotiating"),
    /** Records flow in the context. */
    UP("Up");

    private final String value;

    SessionState(String value) {
        this.value = value;
    }

    /** The TR-181 enumeration value of {@code E2ESession.Status}. */
    public String value() {
        return value;
    }
}
