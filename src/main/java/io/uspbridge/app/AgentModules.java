package io.uspbridge.app;

import io.uspbridge.agent.AgentModule;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.notify.NotificationModule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Which features make up the agent, from configuration: a fresh set of modules for each run of the agent, and the
 * things that outlive a restart (the embedded broker).
 */
@ApplicationScoped
public class AgentModules {

    @Inject
    AgentConfig config;

    /** Starts what lives as long as the application (not restarted by Reboot()). */
    void startShared() {
    }

    void stopShared() {
    }

    /** The modules of one run, in start order. */
    List<AgentModule> create() {
        List<AgentModule> modules = new ArrayList<>();
        // Before the MTPs: Boot! and what is raised while no link is up wait for the first one.
        modules.add(new NotificationModule());
        return modules;
    }
}
