package io.uspbridge.record;

import io.uspbridge.model.ModelException;

/** What the agent's E2ESession objects ask of the record layer (the {@link RecordLayer} implements it). */
public interface SessionControl {

    /**
     * {@code Controller.{i}.E2ESession.Reset()}: restart the controller's Session Context, or start one; with
     * SessionMode Forbid, end a running one (7105).
     *
     * @throws ModelException when no context can be started (e.g. PayloadSecurity TLS)
     */
    void resetSession(String controller);

    /** The controller's E2ESession settings, Enable or role changed: apply them now. */
    void sessionSettingsChanged(String controller);

    /** The state of the controller's Session Context. */
    SessionState sessionState(String controller);
}
