package io.uspbridge.app;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.uspbridge.agent.AgentModule;
import io.uspbridge.agent.BootCause;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.record.RecordMetrics;
import io.uspbridge.store.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.logging.Logger;

/**
 * The Quarkus application's agent: starts one {@link AgentRuntime} when the application starts, stops it when it
 * stops, and replaces it when {@code Reboot()} or {@code FactoryReset()} asks (a clean restart of every layer in the
 * same process; the store carries what must survive).
 */
@ApplicationScoped
public class AgentService implements AgentRuntime.Restarter {
    private static final Logger LOG = Logger.getLogger(AgentService.class.getName());
    /** How long the liveness check waits for the agent loop to run a task. */
    private static final Duration LOOP_DEADLINE = Duration.ofSeconds(5);

    @Inject
    AgentConfig config;

    @Inject
    StoreConfig storeConfig;

    @Inject
    AgentMetrics metrics;

    @Inject
    AgentModules modules;

    private volatile AgentRuntime runtime;
    private ManagementServer management;

    void onStart(@Observes StartupEvent event) throws Exception {
        if (config.http().enabled()) {
            // first, so that a probe sees "starting" rather than a refused connection
            management = startManagement(config.http());
        }
        modules.startShared();
        runtime = newRuntime();
        runtime.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        AgentRuntime r = runtime;
        if (r != null) {
            r.close();
        }
        modules.stopShared();
        if (management != null) {
            management.close();
        }
    }

    private ManagementServer startManagement(AgentConfig.Http http) {
        AgentHealth health = new AgentHealth(this::runtime, LOOP_DEADLINE);
        try {
            return ManagementServer.start(http.host(), http.port(), health, metrics.registry());
        } catch (IOException | RuntimeException e) {
            // A configuration error: say which key, do not start half an agent.
            throw new IllegalStateException("health and metrics cannot listen on " + http.host() + ":" + http.port()
                    + " (uspbridge.http.host/port; uspbridge.http.enabled=false turns them off): " + e, e);
        }
    }

    /** The port health and metrics listen on, when they do. */
    public OptionalInt managementPort() {
        ManagementServer m = management;
        return m == null ? OptionalInt.empty() : OptionalInt.of(m.port());
    }

    private AgentRuntime newRuntime() {
        List<AgentModule> ms = modules.create();
        return new AgentRuntime(config, storeConfig, ms, this, metrics.recordMetrics());
    }

    @Override
    public synchronized void restart(AgentRuntime old, BootCause cause, boolean factoryReset) {
        if (old != runtime) {
            return; // a restart of a runtime that was already replaced
        }
        LOG.info(() -> (factoryReset ? "factory reset" : "restart") + " requested (" + cause.cause() + ")");
        try {
            old.prepareRestart(cause, factoryReset);
        } catch (Exception e) {
            LOG.warning("could not record the boot cause before restarting: " + e);
        }
        old.close();
        AgentRuntime next = newRuntime();
        runtime = next;
        try {
            next.start();
        } catch (Exception e) {
            LOG.severe("the agent could not start again after a restart: " + e);
        }
    }

    /** The runtime of the current run. */
    public AgentRuntime runtime() {
        return runtime;
    }

    RecordMetrics recordMetrics() {
        return metrics.recordMetrics();
    }
}
