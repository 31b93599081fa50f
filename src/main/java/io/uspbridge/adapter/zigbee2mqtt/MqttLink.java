package io.uspbridge.adapter.zigbee2mqtt;

import io.uspbridge.net.NoDelaySockets;
import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.security.TlsClientContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The adapter's own MQTT 5 connection to Zigbee2MQTT's broker, as a small state machine: DOWN → CONNECTING →
 * SUBSCRIBING → UP, and back to a scheduled reconnect (exponential backoff with jitter) whenever a step fails or the
 * broker drops the link. Every listener call runs on the adapter's loop thread, in the order Paho delivered the
 * events. Each attempt uses a fresh Paho client: a failed client is closed and never reused, so no half-dead state
 * carries over.
 */
final class MqttLink {

    private static final Logger LOG = Logger.getLogger(MqttLink.class.getName());

    /** What the adapter hears from the link; always called on the loop thread. */
    interface Listener {
        /** Connected and subscribed: retained messages follow. */
        void connected();

        void message(String topic, byte[] payload, boolean retained);

        /** The link is down (lost, or an attempt failed); a reconnect is scheduled in {@code retryIn}. */
        void down(String reason, Duration retryIn);
    }

    private enum State { DOWN, CONNECTING, SUBSCRIBING, UP, STOPPED }

    private final Zigbee2MqttSettings settings;
    private final ScheduledExecutorService loop;
    private final Listener listener;
    private final List<String> topics;
    private final ReconnectBackoff backoff;

    // Loop-thread state.
    private State state = State.DOWN;
    private MqttAsyncClient client;
    private int generation;
    private ScheduledFuture<?> retry;
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private static final int MAX_WAITING = 1000;

    MqttLink(Zigbee2MqttSettings settings, ScheduledExecutorService loop, Listener listener, List<String> topics) {
        this.settings = settings;
        this.loop = loop;
        this.listener = listener;
        this.topics = List.copyOf(topics);
        this.backoff = new ReconnectBackoff(settings.reconnectMin(), settings.reconnectMax(),
                settings.reconnectJitter(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Starts connecting; call on the loop thread. */
    void start() {
        if (state == State.DOWN) {
            attempt();
        }
    }

    boolean up() {
        return state == State.UP;
    }

    /**
     * Publishes; the stage completes when the broker acknowledged it (QoS 1) and fails with DISCONNECTED when the
     * link is down or the publish is lost. The broker allows only so many QoS 1 publishes in flight (its Receive
     * Maximum); the rest wait here, in order, until one completes. Call on the loop thread.
     */
    CompletableFuture<Void> publish(String topic, String payload, int qos, boolean retain) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (state != State.UP || client == null) {
            done.completeExceptionally(new AdapterException(AdapterException.Reason.DISCONNECTED,
                    "not connected to the Zigbee2MQTT broker " + settings.brokerUrl()));
            return done;
        }
        Outgoing o = new Outgoing(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), qos, retain, null),
                done);
        if (!waiting.isEmpty() || !send(o)) {
            if (waiting.size() >= MAX_WAITING) {
                done.completeExceptionally(new AdapterException(AdapterException.Reason.REJECTED,
                        "too many messages waiting for the Zigbee2MQTT broker"));
            } else {
                waiting.add(o);
            }
        }
        return done;
    }

    private record Outgoing(String topic, MqttMessage message, CompletableFuture<Void> done) {
    }

    /** Hands one message to Paho; false when the in-flight window is full and it must wait. */
    private boolean send(Outgoing o) {
        MqttAsyncClient c = client;
        int gen = generation;
        try {
            c.publish(o.topic, o.message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    o.done.complete(null);
                    post(gen, MqttLink.this::drain);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    o.done.completeExceptionally(new AdapterException(AdapterException.Reason.DISCONNECTED,
                            "publish to " + o.topic + " failed: " + reason(e)));
                    post(gen, MqttLink.this::drain);
                }
            });
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                return false;
            }
            o.done.completeExceptionally(new AdapterException(AdapterException.Reason.DISCONNECTED,
                    "publish to " + o.topic + " failed: " + reason(e)));
            return true;
        } catch (RuntimeException e) {
            o.done.completeExceptionally(new AdapterException(AdapterException.Reason.DISCONNECTED,
                    "publish to " + o.topic + " failed: " + reason(e)));
            return true;
        }
    }

    private void drain() {
        while (state == State.UP && !waiting.isEmpty()) {
            if (!send(waiting.peek())) {
                return;
            }
            waiting.poll();
        }
    }

    private void failWaiting(String why) {
        for (Outgoing o; (o = waiting.poll()) != null;) {
            o.done.completeExceptionally(new AdapterException(AdapterException.Reason.DISCONNECTED, why));
        }
    }

    /** Closes the connection and stops reconnecting; call on the loop thread. */
    void stop() {
        state = State.STOPPED;
        generation++;
        if (retry != null) {
            retry.cancel(false);
        }
        failWaiting("the Zigbee2MQTT adapter stopped");
        close(client, true);
        client = null;
    }

    private void attempt() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.CONNECTING;
        int gen = ++generation;
        MqttAsyncClient c;
        MqttConnectionOptions options;
        try {
            c = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
            options = options();
        } catch (MqttException | IllegalArgumentException e) {
            failed(gen, null, reason(e));
            return;
        }
        client = c;
        c.setCallback(new Callback(gen));
        try {
            c.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    post(gen, () -> subscribe(gen, c));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    post(gen, () -> failed(gen, c, "cannot connect to " + settings.brokerUrl() + ": " + reason(e)));
                }
            });
        } catch (MqttException | RuntimeException e) {
            failed(gen, c, "cannot connect to " + settings.brokerUrl() + ": " + reason(e));
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) Math.min(Integer.MAX_VALUE, settings.keepAlive().toSeconds()));
        o.setConnectionTimeout(10);
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        if (settings.brokerUrl().startsWith("ssl://")) {
            Zigbee2MqttSettings.Tls tls = settings.tls();
            try {
                o.setSocketFactory(NoDelaySockets.tls(tls == null ? TlsClientContext.socketFactory(null, null, null)
                        : TlsClientContext.socketFactory(tls.caFile(), tls.certFile(), tls.keyFile())));
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("TLS files for " + settings.brokerUrl() + " cannot be used: "
                        + e.getMessage(), e);
            }
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            // A Set waits for the device's state report: no Nagle delay on the /set PUBLISH (see NoDelaySockets).
            o.setSocketFactory(NoDelaySockets.plain());
        }
        return o;
    }

    private void subscribe(int gen, MqttAsyncClient c) {
        state = State.SUBSCRIBING;
        MqttSubscription[] subs = topics.stream().map(t -> {
            MqttSubscription s = new MqttSubscription(t, 1);
            // Our own /set and /get publishes need not come back to us.
            s.setNoLocal(true);
            return s;
        }).toArray(MqttSubscription[]::new);
        try {
            c.subscribe(subs, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    post(gen, () -> {
                        int[] codes = token.getReasonCodes();
                        for (int code : codes == null ? new int[0] : codes) {
                            if (code >= 0x80) {
                                failed(gen, c, "the broker refused the subscription to " + topics + " (reason code 0x"
                                        + Integer.toHexString(code) + ")");
                                return;
                            }
                        }
                        state = State.UP;
                        backoff.reset();
                        LOG.info("Zigbee2MQTT adapter connected to " + settings.brokerUrl() + " as "
                                + settings.clientId());
                        listener.connected();
                    });
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    post(gen, () -> failed(gen, c, "subscribe failed: " + reason(e)));
                }
            }, new MqttProperties());
        } catch (MqttException | RuntimeException e) {
            failed(gen, c, "subscribe failed: " + reason(e));
        }
    }

    private void failed(int gen, MqttAsyncClient c, String reason) {
        if (gen != generation || state == State.STOPPED) {
            return;
        }
        state = State.DOWN;
        generation++;
        failWaiting(reason);
        close(c, false);
        if (client == c) {
            client = null;
        }
        Duration wait = backoff.next();
        retry = loop.schedule(this::attempt, wait.toMillis(), TimeUnit.MILLISECONDS);
        listener.down(reason, wait);
    }

    /** Runs {@code task} on the loop if this client generation is still the current one. */
    private void post(int gen, Runnable task) {
        try {
            loop.execute(() -> {
                if (gen == generation && state != State.STOPPED) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        // One bad message must never stop the adapter.
                        LOG.log(Level.SEVERE, "Zigbee2MQTT adapter: handling an MQTT event failed", e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // the adapter is stopping
        }
    }

    private static void close(MqttAsyncClient c, boolean polite) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                if (polite) {
                    c.disconnect(2000).waitForCompletion(2000);
                } else {
                    c.disconnectForcibly(0, 1000, false);
                }
            }
        } catch (MqttException | RuntimeException e) {
            LOG.log(Level.FINE, "disconnect: " + reason(e));
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.log(Level.FINE, "close: " + reason(e));
        }
    }

    static String reason(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage();
        String r = root != e && root.getMessage() != null ? root.getMessage() : null;
        if (m == null) {
            return r != null ? r : e.getClass().getSimpleName();
        }
        return r != null && !m.contains(r) ? m + " (" + r + ")" : m;
    }

    /** Paho's callbacks, moved onto the loop; stale generations are ignored. */
    private final class Callback implements MqttCallback {
        private final int gen;

        Callback(int gen) {
            this.gen = gen;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String why = response.getException() != null ? reason(response.getException())
                    : response.getReasonString() != null ? response.getReasonString()
                    : "reason code " + response.getReturnCode();
            post(gen, () -> failed(gen, client, "connection to " + settings.brokerUrl() + " lost: " + why));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.fine("MQTT error: " + reason(exception));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            boolean retained = message.isRetained();
            // Retained messages may overtake the SUBACK callback on its way to the loop: take them while
            // SUBSCRIBING too.
            post(gen, () -> {
                if (state == State.UP || state == State.SUBSCRIBING) {
                    listener.message(topic, payload, retained);
                }
            });
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
