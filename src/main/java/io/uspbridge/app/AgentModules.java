package io.uspbridge.app;

import io.uspbridge.agent.AgentModule;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;

/**
 * Which features make up the agent, from configuration: a fresh set of modules for each run of the agent, and what
 * outlives a restart of the agent (the embedded broker: an agent Reboot() must not take its controllers' broker
 * down).
 */
@ApplicationScoped
public class AgentModules {
    private static final Logger LOG = Logger.getLogger(AgentModules.class.getName());

    @Inject
    AgentConfig config;

    private EmbeddedBroker broker;

    /** Starts what lives as long as the application. */
    void startShared() {
        AgentConfig.EmbeddedBroker b = config.mqtt().embeddedBroker();
        if (b.enabled()) {
            broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults().withPort(b.port())).start();
            LOG.info(() -> "embedded MQTT 5 broker listening on 127.0.0.1:" + broker.port());
        }
    }

    void stopShared() {
        if (broker != null) {
            broker.stop();
        }
    }

    /** The embedded broker, when configured (null otherwise). */
    public EmbeddedBroker broker() {
        return broker;
    }

    /** The modules of one run, in start order. */
    List<AgentModule> create() {
        return StandardModules.of(config);
    }
}
