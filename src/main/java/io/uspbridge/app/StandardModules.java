package io.uspbridge.app;

import io.uspbridge.agent.AgentModule;
import io.uspbridge.agent.E2ESessionModule;
import io.uspbridge.agent.MqttMtpBinding;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.notify.NotificationModule;
import io.uspbridge.proxy.ProxyModule;
import java.util.ArrayList;
import java.util.List;

/** The features of one run of the agent, in start order, as the configuration asks for them. */
public final class StandardModules {
    private StandardModules() {
    }

    public static List<AgentModule> of(AgentConfig config) {
        List<AgentModule> modules = new ArrayList<>();
        // End-to-End Session Contexts in the record layer, before any Record can arrive.
        modules.add(new E2ESessionModule());
        // Notifications before the MTPs: Boot! and what is raised while no link is up wait for the first one.
        modules.add(new NotificationModule());
        // The proxied devices before the MTPs: a controller's first Get already sees the devices the store remembers.
        modules.add(new ProxyModule(ConfiguredAdapters.of(config), config.proxy().writeTimeout()));
        // MTPs last: by the time a controller can talk to the agent, every feature is ready.
        modules.add(new MqttMtpBinding());
        return modules;
    }
}
