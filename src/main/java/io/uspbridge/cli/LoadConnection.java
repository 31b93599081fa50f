package io.uspbridge.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.uspbridge.controller.ControllerClient;
import io.uspbridge.message.Messages;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.security.TlsClientContext;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The MQTT 5 connection of {@code usp-ctl load}, on the HiveMQ MQTT client (Netty) rather than Paho: an answer to
 * {@code Get Device.} is ≈250 KB, and Paho 1.2.5 reads a PUBLISH one virtual call per byte and then parses its
 * payload the same way a second time, ≈2.6 ms of CPU per answer, which made the controller the bottleneck of the
 * measurement of the agent (docs/PERFORMANCE.md). Netty reads the socket in bulk and hands over each payload as a
 * {@link ByteBuffer} that the load tool reads in place ({@link GetResponseCheck}).
 *
 * <p>It behaves as {@link ControllerClient} does on the wire: the same settings (broker URL, TLS material, user name
 * and password, broker-assigned client id, clean start, keep-alive 30 s, receive maximum 65,535, the
 * {@code usp-endpoint-id} user property), a QoS 1 subscription to the controller topic, and requests published with
 * Content Type {@code usp.msg} and the controller topic as Response Topic. When more requests are outstanding than
 * the broker's receive maximum allows, the client holds the rest back and sends each as an earlier one is
 * acknowledged. After a lost connection it reconnects after 1 s, then at most every 5 s, and subscribes again.
 */
final class LoadConnection implements AutoCloseable {

    private static final MqttUtf8String CONTENT_TYPE = MqttUtf8String.of("usp.msg");
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ControllerClient.Settings settings;
    private final Mqtt5AsyncClient mqtt;
    private final MqttTopic agentTopic;
    private final MqttTopic controllerTopic;
    private final MqttQos qos;
    private final Map<String, CompletableFuture<UspMsg.Msg>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String idPrefix = "load-probe-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-";
    private volatile Predicate<ByteBuffer> listener = payload -> false;
    private volatile boolean connected;
    private volatile boolean closing;

    private LoadConnection(ControllerClient.Settings settings, TlsClientContext.Keys tls) {
        this.settings = settings;
        URI url = URI.create(settings.brokerUrl());
        boolean ssl = url.getScheme().equals("ssl");
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + settings.brokerUrl());
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        Mqtt5ClientBuilder b = MqttClient.builder().useMqttVersion5().serverHost(host)
                .serverPort(url.getPort() > 0 ? url.getPort() : ssl ? 8883 : 1883)
                .addDisconnectedListener(this::disconnected);
        if (ssl) {
            // No host-name verifier given: the client verifies the server's name as HTTPS does (R-MTP.4).
            var tlsConfig = b.sslConfig().protocols(TlsClientContext.PROTOCOLS).trustManagerFactory(tls.trust());
            if (tls.keys() != null) {
                tlsConfig = tlsConfig.keyManagerFactory(tls.keys());
            }
            b = tlsConfig.applySslConfig();
        }
        if (settings.username() != null) {
            var auth = b.simpleAuth().username(settings.username());
            if (settings.password() != null) {
                auth = auth.password(settings.password().getBytes(StandardCharsets.UTF_8));
            }
            b = auth.applySimpleAuth();
        }
        this.mqtt = b.buildAsync();
        this.agentTopic = MqttTopic.of(settings.agentTopic());
        this.controllerTopic = MqttTopic.of(settings.controllerTopic());
        this.qos = MqttQos.fromCode(settings.qos());
        // Before connecting, so that nothing that arrives after a reconnect's subscription goes unseen.
        mqtt.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::arrived);
    }

    /**
     * Connects and subscribes to the controller topic; fails after the settings' timeout.
     *
     * @param tls the trust and client key for an ssl:// broker, null for tcp://
     */
    static LoadConnection connect(ControllerClient.Settings settings, TlsClientContext.Keys tls) throws Exception {
        if (settings.brokerUrl().startsWith("ssl://") && tls == null) {
            throw new IllegalArgumentException("an ssl:// broker needs the TLS trust material");
        }
        LoadConnection c = new LoadConnection(settings, tls);
        try {
            c.start();
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void start() throws Exception {
        long ms = settings.timeout().toMillis();
        await(mqtt.connectWith().cleanStart(true).keepAlive(30)
                .restrictions().receiveMaximum(65_535).applyRestrictions()
                .userProperties().add("usp-endpoint-id", settings.controllerEndpointId()).applyUserProperties()
                .send(), ms);
        connected = true;
        Mqtt5SubAck ack = await(mqtt.subscribeWith().topicFilter(settings.controllerTopic())
                .qos(MqttQos.AT_LEAST_ONCE).send(), ms);
        if (ack.getReasonCodes().isEmpty() || ack.getReasonCodes().get(0).isError()) {
            throw new IllegalStateException("the broker refused the subscription to " + settings.controllerTopic());
        }
    }

    /**
     * The result of a connect or subscribe; a failure as the exception that says what went wrong (e.g. "Connection
     * refused: /127.0.0.1:1883", a TLS alert), not the client's wrappers around it.
     */
    private static <T> T await(CompletableFuture<T> f, long ms) throws Exception {
        try {
            return f.get(ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new java.io.IOException(root.getMessage() != null ? root.getMessage() : root.toString(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new java.util.concurrent.TimeoutException("no answer from the broker within " + ms + " ms");
        }
    }

    /** Reconnects a connection that was up, as the Paho controller client does (1 s, then at most 5 s apart). */
    private void disconnected(MqttClientDisconnectedContext context) {
        if (closing || !connected) {
            return; // a failed first connect is reported by connect(), not retried
        }
        int attempts = context.getReconnector().getAttempts();
        context.getReconnector().reconnect(true).delay(Math.min(5_000L, 1_000L << Math.min(attempts, 3)),
                TimeUnit.MILLISECONDS);
    }

    ControllerClient.Settings settings() {
        return settings;
    }

    /** The Record in which this controller sends {@code msg} (as {@link ControllerClient#record}). */
    byte[] record(UspMsg.Msg msg) {
        return ControllerClient.record(settings, msg).toByteArray();
    }

    /**
     * The most QoS 1 requests the broker lets this client have unacknowledged (its receive maximum); requests past it
     * wait in the client.
     */
    int sendMaximum() {
        return mqtt.getConfig().getConnectionConfig().map(c -> c.getRestrictionsForClient().getSendMaximum())
                .orElse(0);
    }

    /**
     * Sees every payload that arrives before anything else does, on the client's callback thread, one at a time;
     * true: consumed. The buffer is read-only and is the client's own (no copy); it must not be kept.
     */
    void onPayload(Predicate<ByteBuffer> l) {
        this.listener = l == null ? payload -> false : l;
    }

    /**
     * Publishes a Record to the agent with Content Type {@code usp.msg} and this controller's Response Topic.
     * Completes when the broker has acknowledged it (QoS 1) or it is written (QoS 0); exceptionally when it failed
     * or the broker refused it.
     */
    CompletableFuture<Void> publish(byte[] record) {
        Mqtt5Publish p = Mqtt5Publish.builder().topic(agentTopic).qos(qos).contentType(CONTENT_TYPE)
                .responseTopic(controllerTopic).payload(record).build();
        return mqtt.publish(p).thenApply(LoadConnection::refusal);
    }

    private static Void refusal(Mqtt5PublishResult r) {
        if (r.getError().isPresent()) {
            throw new java.util.concurrent.CompletionException(r.getError().get());
        }
        return null;
    }

    /** Sends a request and completes with the agent's response or Error Msg (fully parsed); times out. */
    CompletableFuture<UspMsg.Msg> request(UspMsg.Header.MsgType type, UspMsg.Request request) {
        String id = idPrefix + ids.incrementAndGet();
        UspMsg.Msg msg = Messages.request(id, type, request);
        CompletableFuture<UspMsg.Msg> f = new CompletableFuture<>();
        pending.put(id, f);
        f.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(id));
        publish(record(msg)).whenComplete((r, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private void arrived(Mqtt5Publish publish) {
        ByteBuffer payload = publish.getPayload().orElse(EMPTY);
        if (listener.test(payload) || pending.isEmpty()) {
            return;
        }
        try {
            Record record = Record.parseFrom(payload.duplicate());
            if (record.hasNoSessionContext()) {
                UspMsg.Msg msg = UspMsg.Msg.parseFrom(record.getNoSessionContext().getPayload());
                CompletableFuture<UspMsg.Msg> f = pending.get(msg.getHeader().getMsgId());
                if (f != null && !msg.getBody().hasRequest()) {
                    f.complete(msg);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            // not a Record: nothing of this tool's
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            mqtt.disconnect().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // not connected, or closing anyway
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("client closed")));
    }
}
