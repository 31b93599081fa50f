package io.uspbridge.app;

import io.uspbridge.agent.AgentContext;
import io.uspbridge.agent.AgentIdentity;
import io.uspbridge.agent.AgentLifecycle;
import io.uspbridge.agent.AgentModule;
import io.uspbridge.agent.BootCause;
import io.uspbridge.agent.ConfigSeeder;
import io.uspbridge.agent.ModelControllerDirectory;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.message.MessageDispatcher;
import io.uspbridge.message.MessageHandlers;
import io.uspbridge.message.MessageSettings;
import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.mtp.ChannelRegistry;
import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.path.ReferenceResolver;
import io.uspbridge.path.Resolution;
import io.uspbridge.record.RecordLayer;
import io.uspbridge.record.RecordMetrics;
import io.uspbridge.security.AccessControl;
import io.uspbridge.security.DefaultRoles;
import io.uspbridge.store.ModelPersistence;
import io.uspbridge.store.StateStore;
import io.uspbridge.store.StoreConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One run of the agent: every layer built, wired and started in order, and stopped in reverse. Plain Java, so tests
 * can run a whole agent in-process; the Quarkus application ({@link AgentService}) owns one at a time and replaces it
 * on {@code Reboot()}.
 *
 * <pre>
 *  start, on the agent loop:
 *   schema (standard objects + identity + modules' behaviour) → model → identity values
 *   → store: restore what controllers changed → persist from now on → seed configured rows
 *   → access control, controller directory → dispatcher → record layer → modules (notifications, MTPs, proxy)
 * </pre>
 */
public final class AgentRuntime implements AgentLifecycle, ChannelRegistry, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentRuntime.class.getName());
    static final String AGENT_NAMESPACE = "agent";
    static final String BOOT_CAUSE_KEY = "boot-cause";
    static final String SEED_NAMESPACE = "seed";

    /** Replaces a runtime by a new one (the application's job: it owns the runtime). */
    public interface Restarter {
        void restart(AgentRuntime old, BootCause cause, boolean factoryReset);
    }

    private final AgentConfig config;
    private final StoreConfig storeConfig;
    private final List<AgentModule> modules;
    private final Restarter restarter;
    private final RecordMetrics metrics;
    private final String endpointId;
    private final Map<String, MtpChannel> channels = new ConcurrentHashMap<>();
    private final List<AgentModule> started = new ArrayList<>();

    private AgentLoop loop;
    private DataModel model;
    private StateStore store;
    private ModelPersistence persistence;
    private AccessControl access;
    private MessageDispatcher dispatcher;
    private RecordLayer records;
    private BootCause bootCause = BootCause.localReboot();
    private volatile boolean stopping;

    public AgentRuntime(AgentConfig config, StoreConfig storeConfig, List<AgentModule> modules, Restarter restarter,
            RecordMetrics metrics) {
        this.config = config;
        this.storeConfig = storeConfig;
        this.modules = List.copyOf(modules);
        this.restarter = restarter;
        this.metrics = metrics;
        this.endpointId = ConfigDefaults.endpointId(config);
    }

    /** Builds and starts everything; throws if the agent cannot start at all (the store never makes it fail). */
    public void start() throws InterruptedException, ExecutionException {
        long startMillis = System.currentTimeMillis();
        loop = new AgentLoop("usp-agent");
        store = StateStore.open(storeConfig.path(), storeConfig.flushDelay());
        try {
            loop.submit(() -> {
                build(startMillis);
                return null;
            }).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("the agent did not start within 60 s", e);
        }
        LOG.info(() -> "USP agent " + endpointId + " started (boot cause " + bootCause.cause() + ", "
                + model.findTable("Device.LocalAgent.Controller.").size() + " controllers)");
    }

    private void build(long startMillis) {
        bootCause = store.get(AGENT_NAMESPACE, BOOT_CAUSE_KEY).map(BootCause::decode).orElse(BootCause.localReboot());
        store.remove(AGENT_NAMESPACE, BOOT_CAUSE_KEY);

        AgentIdentity identity = new AgentIdentity(ConfigDefaults.deviceInfo(config), endpointId, Versions.agent(),
                () -> startMillis);
        List<SchemaContributor> features = new ArrayList<>();
        features.add(identity);
        features.addAll(modules.stream().map(m -> (SchemaContributor) m::contribute).toList());
        model = new DataModel(AgentSchema.build(features));
        model.bindToCurrentThread();
        model.setReferenceResolver(new ReferenceResolver(model));
        identity.apply(model);

        persistence = new ModelPersistence(store);
        ModelPersistence.RestoreReport report = persistence.restore(model);
        LOG.fine(() -> "restored " + report);
        persistence.attach(model);
        ConfigSeeder seeder = new ConfigSeeder(model, new StoreLedger(store));
        seeder.seed(DefaultRoles.all(), DefaultRoles.UNTRUSTED, ConfigDefaults.mqtt(config, endpointId),
                ConfigDefaults.controllers(config));
        seeder.seedValues("deviceinfo", "Device.DeviceInfo.", ConfigDefaults.writableDeviceInfo(config));

        access = new AccessControl(model);
        PathResolver paths = new PathResolver(model);
        access.setSearchResolver(target -> matchedPaths(paths, target));
        dispatcher = new MessageDispatcher(access::forController);
        MessageHandlers.register(dispatcher, model, MessageSettings.defaults()
                .withDeleteMissingIsError("error".equalsIgnoreCase(config.messages().deleteMissingInstance()))
                // A backstop only: the proxy answers 7009 at its own write timeout, before this one.
                .withBoundWriteTimeout(config.proxy().writeTimeout().plusSeconds(2)), loop);
        records = new RecordLayer(endpointId,
                new ModelControllerDirectory(model, access, config.security().acceptUnknownControllers()),
                dispatcher, channels::get, metrics);

        AgentContext context = new AgentContext(config, endpointId, loop, model, store, access, dispatcher, records,
                this, this);
        for (AgentModule m : modules) {
            m.start(context);
            started.add(m);
        }
    }

    /** The instance (or parameter) paths a permission's search target covers now. */
    private static List<String> matchedPaths(PathResolver paths, String target) {
        try {
            Resolution r = paths.resolve(target, ReadAccess.ALL);
            List<String> out = new ArrayList<>();
            r.objects().forEach(o -> out.add(r.kind() == PathKind.OBJECT ? o.path() : o.path() + r.path().leafName()));
            return out;
        } catch (RuntimeException e) {
            return List.of();   // a target that does not resolve covers nothing
        }
    }

    /** Makes an MTP known to the record layer (by its Device.LocalAgent.MTP.{i} reference). */
    @Override
    public void registerChannel(MtpChannel channel) {
        channels.put(channel.reference(), channel);
    }

    @Override
    public void unregisterChannel(MtpChannel channel) {
        channels.remove(channel.reference(), channel);
    }

    // ---- AgentLifecycle -------------------------------------------------------------------------------------

    @Override
    public void restart(BootCause cause) {
        requestRestart(cause, false);
    }

    @Override
    public void factoryReset(BootCause cause) {
        requestRestart(cause, true);
    }

    @Override
    public BootCause bootCause() {
        return bootCause;
    }

    /**
     * Restarts after the current loop task: the response to the Operate that asked for it is already on its way to
     * the MTP, whose stop sends what is queued before it disconnects.
     */
    private void requestRestart(BootCause cause, boolean wipe) {
        loop.execute(() -> {
            Thread t = new Thread(() -> restarter.restart(this, cause, wipe), "usp-agent-restart");
            t.start();
        });
    }

    /**
     * Prepares the store for the next run before this one stops: a factory reset empties it; either way the boot
     * cause is kept for the next Boot!. Called by the restarter.
     */
    public void prepareRestart(BootCause cause, boolean wipe) throws Exception {
        loop.submit(() -> {
            if (wipe) {
                persistence.wipe().get(30, TimeUnit.SECONDS);
            }
            store.put(AGENT_NAMESPACE, BOOT_CAUSE_KEY, cause.encode());
            return null;
        }).get(60, TimeUnit.SECONDS);
    }

    // ---- accessors (tests, health) --------------------------------------------------------------------------

    public String endpointId() {
        return endpointId;
    }

    public AgentLoop loop() {
        return loop;
    }

    public DataModel model() {
        return model;
    }

    public StateStore store() {
        return store;
    }

    public RecordLayer records() {
        return records;
    }

    public MessageDispatcher dispatcher() {
        return dispatcher;
    }

    public List<MtpChannel> channels() {
        return List.copyOf(channels.values());
    }

    public List<AgentModule> modules() {
        return Collections.unmodifiableList(started);
    }

    /** Stops modules in reverse order, flushes the store, stops the loop. Idempotent; never throws. */
    @Override
    public void close() {
        if (stopping || loop == null) {
            return;
        }
        stopping = true;
        try {
            loop.submit(() -> {
                for (int i = started.size() - 1; i >= 0; i--) {
                    AgentModule m = started.get(i);
                    try {
                        m.stop();
                    } catch (RuntimeException e) {
                        LOG.warning("module " + m.getClass().getSimpleName() + " failed to stop cleanly: " + e);
                    }
                }
                started.clear();
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("stopping the agent's modules did not finish: " + e);
        }
        store.close();
        loop.close();
        LOG.info(() -> "USP agent " + endpointId + " stopped");
    }
}
