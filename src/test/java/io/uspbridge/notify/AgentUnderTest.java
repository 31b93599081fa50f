package io.uspbridge.notify;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.uspbridge.agent.AgentModule;
import io.uspbridge.agent.BootCause;
import io.uspbridge.app.AgentRuntime;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Transaction;
import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.record.RecordMetrics;
import io.uspbridge.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The whole agent ({@link AgentRuntime}: model, store, seeding, access control, dispatcher, record layer and the
 * {@link NotificationModule}) in this JVM, reached through a loopback MTP by scripted controllers that speak real
 * Records. Restarts go through the runtime's own restart path ({@code Reboot()} works). Used where the tests need a
 * link they can take down and bring back at will; the same scenarios run over a real broker in the MQTT tests.
 */
final class AgentUnderTest implements AutoCloseable {
    static final String AGENT = "proto::agent-under-test";
    static final String MTP = "Device.LocalAgent.MTP.1";

    private final Path storeFile;
    private final NotifySettings settings;
    private final Map<String, String> extraConfig;
    final LoopbackMtp mtp = new LoopbackMtp();
    final Map<String, TestController> controllers = new ConcurrentHashMap<>();
    final List<BootCause> restarts = new CopyOnWriteArrayList<>();
    private volatile AgentRuntime runtime;
    private volatile NotificationModule module;
    private volatile CompletableFuture<AgentRuntime> restarted = new CompletableFuture<>();

    private AgentUnderTest(Path dir, NotifySettings settings, Map<String, String> extraConfig) {
        this.storeFile = dir.resolve("state.db");
        this.settings = settings;
        this.extraConfig = extraConfig;
    }

    /**
     * Starts an agent with controllers {@code proto::ctl} (full access) and {@code proto::other} (full access),
     * each at topic {@code usp/controller/<name>}; the link is up once started.
     */
    static AgentUnderTest start(Path dir, NotifySettings settings) throws Exception {
        return start(dir, settings, Map.of());
    }

    static AgentUnderTest start(Path dir, NotifySettings settings, Map<String, String> extraConfig) throws Exception {
        AgentUnderTest a = new AgentUnderTest(dir, settings, extraConfig);
        a.controllers.put("proto::ctl", new TestController(a, "proto::ctl", "usp/controller/ctl"));
        a.controllers.put("proto::other", new TestController(a, "proto::other", "usp/controller/other"));
        a.boot();
        a.linkUp();
        return a;
    }

    static NotifySettings fastSettings() {
        return NotifySettings.defaults().withSyncCommandTimeout(Duration.ofSeconds(5));
    }

    private void boot() throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("uspbridge.endpoint-id", AGENT);
        p.put("uspbridge.mqtt.url", "tcp://127.0.0.1:1");     // the seeded MQTT MTP row; the link here is loopback
        p.put("uspbridge.device-info.manufacturer-oui", "00D09E");
        p.put("uspbridge.device-info.serial-number", "SN-0001");
        p.put("uspbridge.controllers.ctl.endpoint-id", "proto::ctl");
        p.put("uspbridge.controllers.ctl.mqtt-topic", "usp/controller/ctl");
        p.put("uspbridge.controllers.other.endpoint-id", "proto::other");
        p.put("uspbridge.controllers.other.mqtt-topic", "usp/controller/other");
        p.put("uspbridge.store.path", storeFile.toString());
        p.put("uspbridge.store.flush-delay", "PT0.02S");
        p.putAll(extraConfig);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(AgentConfig.class)
                .withMapping(StoreConfig.class).withSources(new PropertiesConfigSource(p, "test", 500)).build();
        NotificationModule m = new NotificationModule(settings);
        module = m;
        AgentRuntime r = new AgentRuntime(config.getConfigMapping(AgentConfig.class),
                config.getConfigMapping(StoreConfig.class), List.<AgentModule>of(m), this::onRestart,
                RecordMetrics.NONE);
        r.registerChannel(mtp);
        runtime = r;
        r.start();
    }

    /** What AgentService does: record the cause, stop this run, start the next one. */
    private void onRestart(AgentRuntime old, BootCause cause, boolean factoryReset) {
        try {
            restarts.add(cause);
            mtp.up = false;
            old.prepareRestart(cause, factoryReset);
            old.close();
            boot();
            CompletableFuture<AgentRuntime> f = restarted;
            restarted = new CompletableFuture<>();
            f.complete(runtime);
        } catch (Exception e) {
            restarted.completeExceptionally(e);
        }
    }

    /** Waits until the agent restarted itself (Reboot(), FactoryReset()). */
    AgentRuntime awaitRestart() throws Exception {
        return restarted.get(30, TimeUnit.SECONDS);
    }

    /** Stops this run and starts the next one from the same store, as a process restart does. */
    void restart() throws Exception {
        mtp.up = false;
        runtime.close();
        boot();
    }

    AgentRuntime runtime() {
        return runtime;
    }

    NotificationService service() {
        return module.service();
    }

    TestController ctl() {
        return controllers.get("proto::ctl");
    }

    TestController other() {
        return controllers.get("proto::other");
    }

    /** The link comes up (the record layer then sends Connect Records and the queued Notifies). */
    void linkUp() {
        mtp.up = true;
        call(() -> {
            runtime.records().onChannelUp(mtp);
            return null;
        });
    }

    void linkDown() {
        mtp.up = false;
    }

    <T> T call(Callable<T> work) {
        try {
            return runtime.loop().submit(work).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("agent loop task failed", e);
        }
    }

    void run(Consumer<DataModel> work) {
        call(() -> {
            work.accept(runtime.model());
            return null;
        });
    }

    String value(String path) {
        return call(() -> runtime.model().value(path));
    }

    void set(String paramPath, String value) {
        run(m -> {
            int dot = paramPath.lastIndexOf('.');
            m.set(m.find(paramPath.substring(0, dot + 1)), paramPath.substring(dot + 1), value);
        });
    }

    /**
     * Adds a subscription as {@code controller} would with an Add: same model rules (access, keys, lifecycles), the
     * path the AddHandler takes. Returns its instance path.
     */
    String subscribe(String controller, Map<String, String> params) {
        return call(() -> {
            DataModel m = runtime.model();
            try (Transaction tx = m.begin(controller)) {
                ObjectNode row = tx.addRowByController(m.findTable("Device.LocalAgent.Subscription."));
                for (Map.Entry<String, String> e : params.entrySet()) {
                    tx.setByController(row, row.def().param(e.getKey()), e.getValue());
                }
                tx.commit();
                return row.path();
            }
        });
    }

    static Map<String, String> sub(String id, String type, String refs, String... more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Enable", "true");
        p.put("ID", id);
        p.put("NotifType", type);
        p.put("ReferenceList", refs);
        for (int i = 0; i + 1 < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    /** Changes parameters as {@code controller} would with a Set. */
    void setAs(String controller, String paramPath, String value) {
        call(() -> {
            DataModel m = runtime.model();
            int dot = paramPath.lastIndexOf('.');
            ObjectNode n = m.find(paramPath.substring(0, dot + 1));
            try (Transaction tx = m.begin(controller)) {
                tx.setByController(n, n.def().param(paramPath.substring(dot + 1)), value);
                tx.commit();
            }
            return null;
        });
    }

    void deleteAs(String controller, String rowPath) {
        call(() -> {
            DataModel m = runtime.model();
            try (Transaction tx = m.begin(controller)) {
                tx.deleteByController(m.find(rowPath));
                tx.commit();
            }
            return null;
        });
    }

    @Override
    public void close() {
        AgentRuntime r = runtime;
        if (r != null) {
            r.close();
        }
    }

    /** The agent's MTP, delivering to the test controllers by topic in this JVM. */
    final class LoopbackMtp implements MtpChannel {
        volatile boolean up;
        final AtomicLong sent = new AtomicLong();

        @Override
        public String reference() {
            return MTP;
        }

        @Override
        public String protocol() {
            return "MQTT";
        }

        @Override
        public boolean isUp() {
            return up;
        }

        @Override
        public String agentAddress() {
            return "usp/agent/test";
        }

        @Override
        public CompletionStage<Void> send(byte[] record, String address, boolean retain) {
            if (!up) {
                return CompletableFuture.failedFuture(new IllegalStateException("link down"));
            }
            for (TestController c : controllers.values()) {
                if (c.topic.equals(address)) {
                    sent.incrementAndGet();
                    c.receive(record);
                }
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A scripted controller: sends requests as Records, collects Notifies, answers NotifyResp unless told not to. */
    static final class TestController {
        private final AgentUnderTest agent;
        final String endpointId;
        final String topic;
        final List<UspMsg.Msg> notifies = new CopyOnWriteArrayList<>();
        private final Map<String, CompletableFuture<UspMsg.Msg>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        volatile boolean answerNotifies = true;

        TestController(AgentUnderTest agent, String endpointId, String topic) {
            this.agent = agent;
            this.endpointId = endpointId;
            this.topic = topic;
        }

        void receive(byte[] bytes) {
            Record record;
            UspMsg.Msg msg;
            try {
                record = Record.parseFrom(bytes);
                if (!record.hasNoSessionContext()) {
                    return;       // MQTT Connect Records
                }
                msg = UspMsg.Msg.parseFrom(record.getNoSessionContext().getPayload());
            } catch (Exception e) {
                throw new AssertionError("the agent sent something that is not a USP Record", e);
            }
            UspMsg.Body body = msg.getBody();
            if (body.hasRequest() && body.getRequest().hasNotify()) {
                notifies.add(msg);
                if (answerNotifies && body.getRequest().getNotify().getSendResp()) {
                    sendAsync(UspMsg.Msg.newBuilder()
                            .setHeader(UspMsg.Header.newBuilder().setMsgId(msg.getHeader().getMsgId())
                                    .setMsgType(MsgType.NOTIFY_RESP))
                            .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                                    .setNotifyResp(UspMsg.NotifyResp.newBuilder().setSubscriptionId(
                                            body.getRequest().getNotify().getSubscriptionId()))))
                            .build());
                }
                return;
            }
            CompletableFuture<UspMsg.Msg> f = pending.remove(msg.getHeader().getMsgId());
            if (f != null) {
                f.complete(msg);
            }
        }

        /** Sends a Msg to the agent (on its loop, as an MTP callback would post it). */
        void sendAsync(UspMsg.Msg msg) {
            byte[] record = Record.newBuilder().setVersion("1.4").setToId(AGENT).setFromId(endpointId)
                    .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(msg.toByteString()))
                    .build().toByteArray();
            AgentRuntime r = agent.runtime;
            r.loop().execute(() -> r.records().onRecord(record, new ReplyAddress(agent.mtp, topic)));
        }

        CompletableFuture<UspMsg.Msg> request(MsgType type, UspMsg.Request request) {
            String id = endpointId + "-" + ids.incrementAndGet();
            CompletableFuture<UspMsg.Msg> f = new CompletableFuture<>();
            pending.put(id, f);
            sendAsync(UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId(id).setMsgType(type))
                    .setBody(UspMsg.Body.newBuilder().setRequest(request)).build());
            return f;
        }

        UspMsg.Msg operate(String command, String commandKey, boolean sendResp, Map<String, String> args)
                throws Exception {
            CompletableFuture<UspMsg.Msg> f = request(MsgType.OPERATE, UspMsg.Request.newBuilder()
                    .setOperate(UspMsg.Operate.newBuilder().setCommand(command).setCommandKey(commandKey)
                            .setSendResp(sendResp).putAllInputArgs(args)).build());
            return f.get(30, TimeUnit.SECONDS);
        }

        /** Notifies of one kind received so far. */
        List<UspMsg.Notify> received(UspMsg.Notify.NotificationCase kind) {
            List<UspMsg.Notify> out = new ArrayList<>();
            for (UspMsg.Msg m : notifies) {
                UspMsg.Notify n = m.getBody().getRequest().getNotify();
                if (n.getNotificationCase() == kind) {
                    out.add(n);
                }
            }
            return out;
        }

        List<UspMsg.Notify> valueChanges() {
            return received(UspMsg.Notify.NotificationCase.VALUE_CHANGE);
        }

        /** Notifies of one kind with this subscription_id. */
        List<UspMsg.Notify> forSubscription(String id) {
            List<UspMsg.Notify> out = new ArrayList<>();
            for (UspMsg.Msg m : notifies) {
                UspMsg.Notify n = m.getBody().getRequest().getNotify();
                if (n.getSubscriptionId().equals(id)) {
                    out.add(n);
                }
            }
            return out;
        }

        /** The msg_ids of the Notifies received for a subscription, in order (retries repeat the same id). */
        List<String> msgIds(String subscriptionId) {
            List<String> out = new ArrayList<>();
            for (UspMsg.Msg m : notifies) {
                if (m.getBody().getRequest().getNotify().getSubscriptionId().equals(subscriptionId)) {
                    out.add(m.getHeader().getMsgId());
                }
            }
            return out;
        }
    }
}
