package io.uspbridge.agent;

/**
 * What the agent's own commands need from the application: a clean restart of the agent (every layer stopped and
 * started again, as a reboot would; state in the store survives) and a factory reset (the store emptied, then a
 * restart from configuration). The application keeps {@link BootCause} across the restart so that the next
 * {@code Boot!} reports it. Both return at once; the restart happens after the current response was sent.
 */
public interface AgentLifecycle {

    void restart(BootCause cause);

    void factoryReset(BootCause cause);

    /** The cause of the current run (read once at start-up; LocalReboot when nothing was recorded). */
    BootCause bootCause();
}
