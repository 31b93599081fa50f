package io.uspbridge.controller;

import com.google.protobuf.InvalidProtocolBufferException;
import io.uspbridge.net.NoDelaySockets;
import io.uspbridge.net.PahoJulLogger;
import io.uspbridge.net.PahoPublishing;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * A small USP Controller over MQTT 5: sends Msgs to an agent in NoSessionContext Records, matches responses by
 * msg_id, and receives the agent's Notify messages (answering NotifyResp when asked to). The command-line tool, the
 * load tool and the integration tests all use it; it works with any USP agent, not only USP Bridge.
 */
public final class ControllerClient implements AutoCloseable {

    /**
     * How to reach the broker and the agent.
     *
     * @param controllerTopic the topic this controller subscribes to; sent as Response Topic on every request
     * @param agentTopic      the agent's topic (where requests are published)
     */
    public record Settings(String brokerUrl, String controllerEndpointId, String controllerTopic,
            String agentEndpointId, String agentTopic, String username, String password,
            SSLSocketFactory socketFactory, Duration timeout, int qos) {

        public static Settings of(String brokerUrl, String controllerEndpointId, String agentEndpointId,
                String agentTopic) {
            return new Settings(brokerUrl, controllerEndpointId, "usp/controller/" + controllerEndpointId,
                    agentEndpointId, agentTopic, null, null, null, Duration.ofSeconds(10), 1);
        }

        public Settings withTimeout(Duration t) {
            return new Settings(brokerUrl, controllerEndpointId, controllerTopic, agentEndpointId, agentTopic,
                    username, password, socketFactory, t, qos);
        }

        public Settings withCredentials(String user, String pass) {
            return new Settings(brokerUrl, controllerEndpointId, controllerTopic, agentEndpointId, agentTopic, user,
                    pass, socketFactory, timeout, qos);
        }

        public Settings withControllerTopic(String topic) {
            return new Settings(brokerUrl, controllerEndpointId, topic, agentEndpointId, agentTopic, username,
                    password, socketFactory, timeout, qos);
        }

        /** QoS of the requests this controller publishes (0 or 1). */
        public Settings withQos(int q) {
            return new Settings(brokerUrl, controllerEndpointId, controllerTopic, agentEndpointId, agentTopic,
                    username, password, socketFactory, timeout, q);
        }

        public Settings withSocketFactory(SSLSocketFactory f) {
            return new Settings(brokerUrl, controllerEndpointId, controllerTopic, agentEndpointId, agentTopic,
                    username, password, f, timeout, qos);
        }
    }

    /** A Record that arrived from the agent, with the MQTT properties it came with (for protocol tests). */
    public record Arrival(Record record, String topic, String contentType, String responseTopic) {
    }

    static {
        PahoJulLogger.install();
    }

    private final Settings settings;
    private final MqttAsyncClient mqtt;
    private final Map<String, CompletableFuture<UspMsg.Msg>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<UspMsg.Msg>> notifyListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Arrival>> arrivalListeners = new CopyOnWriteArrayList<>();
    private volatile Predicate<byte[]> rawListener = payload -> false;
    private final AtomicLong ids = new AtomicLong();
    private final String idPrefix;
    private volatile boolean answerNotifies = true;

    private ControllerClient(Settings settings) throws MqttException {
        this.settings = settings;
        this.idPrefix = Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-";
        this.mqtt = new MqttAsyncClient(settings.brokerUrl(), "", new MemoryPersistence());
    }

    /** Connects to the broker and subscribes to the controller topic; fails after the timeout. */
    public static ControllerClient connect(Settings settings) throws Exception {
        ControllerClient c = new ControllerClient(settings);
        c.start();
        return c;
    }

    private void start() throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 5);
        o.setKeepAliveInterval(30);
        o.setMaxReconnectDelay(5_000);
        if (settings.username() != null) {
            o.setUserName(settings.username());
            if (settings.password() != null) {
                o.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
            }
        }
        // TCP_NODELAY: pipelined requests must not wait for the broker's delayed ACKs.
        o.setSocketFactory(settings.socketFactory() != null ? NoDelaySockets.tls(settings.socketFactory())
                : NoDelaySockets.plain());
        o.setUserProperties(List.of(new UserProperty("usp-endpoint-id", settings.controllerEndpointId())));
        o.setReceiveMaximum(65_535);
        mqtt.setCallback(new Callback());
        long ms = settings.timeout().toMillis();
        mqtt.connect(o).waitForCompletion(ms);
        IMqttToken sub = mqtt.subscribe(settings.controllerTopic(), 1);
        sub.waitForCompletion(ms);
        int[] granted = sub.getReasonCodes();
        if (granted == null || granted.length == 0 || granted[0] >= 0x80) {
            throw new IllegalStateException("the broker refused the subscription to " + settings.controllerTopic());
        }
    }

    /** Whether a NotifyResp is sent automatically for every Notify with send_resp=true (default true). */
    public void answerNotifies(boolean answer) {
        this.answerNotifies = answer;
    }

    public void onNotify(Consumer<UspMsg.Msg> listener) {
        notifyListeners.add(listener);
    }

    public void onArrival(Consumer<Arrival> listener) {
        arrivalListeners.add(listener);
    }

    /**
     * Sees every payload that arrives before anything else does; when it returns true the payload is consumed: it is
     * not parsed, and no arrival, Notify or response listener sees it. For a tool that reads only what it needs of
     * each response (the load tool, which measures an agent and must not be the bottleneck). One at a time.
     */
    public void onRawPayload(Predicate<byte[]> listener) {
        this.rawListener = listener == null ? payload -> false : listener;
    }

    public Settings settings() {
        return settings;
    }

    public String newMsgId() {
        return idPrefix + ids.incrementAndGet();
    }

    /** Sends a request and completes with the agent's response or Error Msg; fails on timeout. */
    public CompletableFuture<UspMsg.Msg> request(MsgType type, UspMsg.Request request) {
        UspMsg.Msg msg = UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(newMsgId()).setMsgType(type))
                .setBody(UspMsg.Body.newBuilder().setRequest(request)).build();
        return send(msg);
    }

    /** Sends a Msg whose response is awaited (matched by its msg_id). */
    public CompletableFuture<UspMsg.Msg> send(UspMsg.Msg msg) {
        CompletableFuture<UspMsg.Msg> f = new CompletableFuture<>();
        String id = msg.getHeader().getMsgId();
        pending.put(id, f);
        f.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(id));
        try {
            publish(settings.agentTopic(), record(msg).toByteArray(), true);
        } catch (MqttException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Sends a Msg that expects no answer (a NotifyResp, an Operate with send_resp=false). */
    public void sendOneWay(UspMsg.Msg msg) throws MqttException {
        publish(settings.agentTopic(), record(msg).toByteArray(), true);
    }

    /**
     * Publishes a Record as it is to the agent, with this controller's Response Topic, and waits until the broker
     * has it (so that long runs of Records keep within the broker's receive maximum): Session Context Records a
     * test or a tool builds itself. Their answers arrive through {@link #onArrival}.
     */
    public void sendRecord(Record record) throws MqttException {
        PahoPublishing.publishAndWait(mqtt, settings.agentTopic(), message(record.toByteArray(), true),
                settings.timeout());
    }

    /** Publishes raw bytes as if they were a Record (for malformed-input tests). */
    public void publishRaw(String topic, byte[] payload, boolean withResponseTopic) throws MqttException {
        publish(topic, payload, withResponseTopic);
    }

    public Record record(UspMsg.Msg msg) {
        return record(settings, msg);
    }

    /** The NoSessionContext Record in which a controller with these settings sends {@code msg} to the agent. */
    public static Record record(Settings settings, UspMsg.Msg msg) {
        return Record.newBuilder().setVersion("1.4").setToId(settings.agentEndpointId())
                .setFromId(settings.controllerEndpointId())
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(msg.toByteString()))
                .build();
    }

    private IMqttToken publish(String topic, byte[] payload, boolean withResponseTopic) throws MqttException {
        return mqtt.publish(topic, message(payload, withResponseTopic));
    }

    /** A Record's PUBLISH: this controller's QoS, Content Type {@code usp.msg}, its Response Topic if asked. */
    private MqttMessage message(byte[] payload, boolean withResponseTopic) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(settings.qos());
        MqttProperties p = new MqttProperties();
        p.setContentType("usp.msg");
        if (withResponseTopic) {
            p.setResponseTopic(settings.controllerTopic());
        }
        m.setProperties(p);
        return m;
    }

    /** Waits for a response; unwraps timeouts into a clear exception. */
    public static UspMsg.Msg await(CompletableFuture<UspMsg.Msg> f) throws Exception {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new TimeoutException("no answer from the agent in time");
            }
            throw e;
        }
    }

    public boolean isConnected() {
        return mqtt.isConnected();
    }

    @Override
    public void close() {
        try {
            if (mqtt.isConnected()) {
                mqtt.disconnect().waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            mqtt.close(true);
        } catch (MqttException e) {
            // already closed
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("client closed")));
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (rawListener.test(message.getPayload())) {
                return;
            }
            Record record;
            try {
                record = Record.parseFrom(message.getPayload());
            } catch (InvalidProtocolBufferException e) {
                return;
            }
            MqttProperties p = message.getProperties();
            Arrival arrival = new Arrival(record, topic, p == null ? null : p.getContentType(),
                    p == null ? null : p.getResponseTopic());
            arrivalListeners.forEach(l -> l.accept(arrival));
            if (!record.hasNoSessionContext()) {
                return;
            }
            UspMsg.Msg msg;
            try {
                msg = UspMsg.Msg.parseFrom(record.getNoSessionContext().getPayload());
            } catch (InvalidProtocolBufferException e) {
                return;
            }
            UspMsg.Body body = msg.getBody();
            if (body.hasRequest() && body.getRequest().hasNotify()) {
                notifyListeners.forEach(l -> l.accept(msg));
                if (answerNotifies && body.getRequest().getNotify().getSendResp()) {
                    sendNotifyResp(msg);
                }
                return;
            }
            CompletableFuture<UspMsg.Msg> f = pending.get(msg.getHeader().getMsgId());
            if (f != null) {
                f.complete(msg);
            }
        }

        private void sendNotifyResp(UspMsg.Msg notify) {
            UspMsg.Msg resp = UspMsg.Msg.newBuilder()
                    .setHeader(UspMsg.Header.newBuilder().setMsgId(notify.getHeader().getMsgId())
                            .setMsgType(MsgType.NOTIFY_RESP))
                    .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                            .setNotifyResp(UspMsg.NotifyResp.newBuilder()
                                    .setSubscriptionId(notify.getBody().getRequest().getNotify().getSubscriptionId()))))
                    .build();
            try {
                sendOneWay(resp);
            } catch (MqttException e) {
                // the agent retries the Notify; nothing else to do here
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                try {
                    mqtt.subscribe(settings.controllerTopic(), 1);
                } catch (MqttException e) {
                    // the next reconnect tries again
                }
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
