package io.uspbridge.testing;

import static org.awaitility.Awaitility.await;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.uspbridge.agent.AgentModule;
import io.uspbridge.agent.BootCause;
import io.uspbridge.app.AgentRuntime;
import io.uspbridge.app.StandardModules;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.controller.ControllerClient;
import io.uspbridge.record.RecordMetrics;
import io.uspbridge.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A whole agent running in the test's JVM against a real broker: the same {@link AgentRuntime} the application runs,
 * configured through the same configuration contract. Restarts (Reboot(), FactoryReset()) replace the runtime in
 * place, as the application does.
 */
public final class TestAgent implements AutoCloseable {
    public static final String AGENT_ID = "proto::usp-bridge-test";
    public static final String CONTROLLER_ID = "proto::test-controller";

    private final Map<String, String> props;
    private final Function<AgentConfig, List<AgentModule>> modules;
    private volatile AgentRuntime runtime;

    private TestAgent(Map<String, String> props, Function<AgentConfig, List<AgentModule>> modules) {
        this.props = props;
        this.modules = modules;
    }

    /**
     * The configuration a test agent starts with: this endpoint id, the broker, one full-access controller
     * ({@link #CONTROLLER_ID} on topic {@code usp/controller/<id>}), fast reconnects and a store in {@code stateDir}.
     */
    public static Map<String, String> defaults(int brokerPort, Path stateDir) {
        Map<String, String> p = new HashMap<>();
        p.put("uspbridge.endpoint-id", AGENT_ID);
        p.put("uspbridge.mqtt.url", "tcp://127.0.0.1:" + brokerPort);
        p.put("uspbridge.mqtt.connect-retry-time", "1");
        p.put("uspbridge.mqtt.connect-retry-max-interval", "2");
        p.put("uspbridge.controllers.test.endpoint-id", CONTROLLER_ID);
        p.put("uspbridge.controllers.test.mqtt-topic", "usp/controller/" + CONTROLLER_ID);
        p.put("uspbridge.store.path", stateDir.resolve("state.db").toString());
        p.put("uspbridge.store.flush-delay", "PT0.02S");
        return p;
    }

    public static TestAgent start(Map<String, String> props) throws Exception {
        return start(props, StandardModules::of);
    }

    public static TestAgent start(Map<String, String> props, Function<AgentConfig, List<AgentModule>> modules)
            throws Exception {
        TestAgent a = new TestAgent(new HashMap<>(props), modules);
        a.runtime = a.newRuntime();
        a.runtime.start();
        return a;
    }

    private AgentRuntime newRuntime() {
        SmallRyeConfig cfg = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withMapping(AgentConfig.class).withMapping(StoreConfig.class).withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(props, "test", 500)).build();
        AgentConfig config = cfg.getConfigMapping(AgentConfig.class);
        return new AgentRuntime(config, cfg.getConfigMapping(StoreConfig.class), modules.apply(config),
                this::restart, RecordMetrics.NONE);
    }

    private synchronized void restart(AgentRuntime old, BootCause cause, boolean factoryReset) {
        try {
            old.prepareRestart(cause, factoryReset);
            old.close();
            AgentRuntime next = newRuntime();
            runtime = next;
            next.start();
        } catch (Exception e) {
            throw new IllegalStateException("test agent restart failed", e);
        }
    }

    /** Stops this run and starts a new one on the same store (a process restart). */
    public void restartProcess() throws Exception {
        runtime.close();
        runtime = newRuntime();
        runtime.start();
    }

    public AgentRuntime runtime() {
        return runtime;
    }

    /** Runs {@code work} on the agent loop and returns its result (the model may only be read there). */
    public <T> T onLoop(Callable<T> work) throws Exception {
        return runtime.loop().submit(work).get();
    }

    /** The agent's MQTT MTP ({@code Device.LocalAgent.MTP.1.Status}) as the model reports it. */
    public String mtpStatus() throws Exception {
        return onLoop(() -> runtime.model().value("Device.LocalAgent.MTP.1.Status"));
    }

    /** Waits, at most {@code bound}, until the agent's MQTT MTP is Up: connected and subscribed. */
    public void awaitMtpUp(Duration bound) {
        await().atMost(bound).until(() -> "Up".equals(mtpStatus()));
    }

    public String agentTopic() {
        return props.getOrDefault("uspbridge.mqtt.agent-topic", "usp/agent/" + AGENT_ID);
    }

    /** A controller client for {@link #CONTROLLER_ID} on the broker at {@code port}. */
    public ControllerClient controller(int port) throws Exception {
        return controller(port, CONTROLLER_ID);
    }

    public ControllerClient controller(int port, String endpointId) throws Exception {
        return ControllerClient.connect(ControllerClient.Settings.of("tcp://127.0.0.1:" + port, endpointId,
                AGENT_ID, agentTopic()).withTimeout(Duration.ofSeconds(10)));
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
