package io.uspbridge.mtp.mqtt;

import io.uspbridge.mtp.mqtt.MqttMtpException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * Sends Records for one MQTT MTP without ever blocking the caller (the agent loop). When nothing is waiting and the
 * broker's Receive Maximum leaves room, {@link #offer} hands the Record to the MQTT client at once, on the caller's
 * thread (the client only queues it for its own writer thread). Otherwise the Record goes into a bounded queue and one
 * sender thread hands queued Records to the client as fast as the Receive Maximum allows; Records leave in the order
 * they were offered either way. A full queue, or a link that is not UP, fails the stage at once. (Going through the
 * sender thread for every Record cost a thread hand-off and about 15 µs of CPU per response under load,
 * docs/PERFORMANCE.md, issue 4.)
 *
 * <p>The stage completes when the Record is written (QoS 0) or acknowledged (QoS 1 PUBACK, QoS 2 PUBCOMP), on an MQTT
 * client thread or on the sender thread; callers that touch the data model must hop back to the agent loop. Records
 * in flight when the connection drops fail with {@link Reason#CONNECTION_LOST}: the MTP does not resend them, the
 * layers above decide (NotifRetry, R-NOT.1–4).
 */
final class PublishSender {
    private static final Logger LOG = Logger.getLogger(PublishSender.class.getName());
    static final String CONTENT_TYPE = "usp.msg";
    private static final long POLL_MS = 100;

    /** What a PUBLISH on the current connection needs; replaced on every (re)connection. */
    record Session(MqttAsyncClient client, String brokerUri, String replyToTopic, int qos, boolean retainAvailable,
                   long messageExpiryInterval, List<UserProperty> userProperties, Semaphore inflight,
                   Set<Outgoing> pending) {
        Session(MqttAsyncClient client, String brokerUri, String replyToTopic, int qos, boolean retainAvailable,
                long messageExpiryInterval, List<UserProperty> userProperties, int receiveMaximum) {
            this(client, brokerUri, replyToTopic, qos, retainAvailable, messageExpiryInterval,
                    List.copyOf(userProperties), new Semaphore(Math.max(1, receiveMaximum)),
                    ConcurrentHashMap.newKeySet());
        }

        /**
         * The same connection with new publish parameters (PublishQoS, reply-to topic changed in the settings): the
         * in-flight window and the Records in flight stay with the connection.
         */
        Session continuing(Session previous) {
            if (previous == null || previous.client() != client) {
                return this;
            }
            return new Session(client, brokerUri, replyToTopic, qos, retainAvailable, messageExpiryInterval,
                    userProperties, previous.inflight(), previous.pending());
        }
    }

    /** One Record waiting to go out. */
    record Outgoing(String topic, byte[] payload, boolean retain, CompletableFuture<Void> done) {
    }

    private final String name;
    private final BlockingQueue<Outgoing> queue;
    private final int capacity;
    private final StatsCounters stats;
    private final Thread thread;
    private final Object inflightFreed = new Object();
    /** Orders direct hand-offs after the queued Records: guards {@link #backlog}. */
    private final Object order = new Object();
    /** Records queued or being sent by the sender thread; a Record is handed over directly only when none are. */
    private int backlog;
    private volatile Session session;
    private volatile String downReason = "not started";
    private volatile boolean running = true;

    PublishSender(String name, int capacity, StatsCounters stats) {
        this.name = name;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.stats = stats;
        this.thread = new Thread(this::run, "mqtt-send " + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a Record; never blocks. */
    CompletableFuture<Void> offer(String topic, byte[] payload, boolean retain) {
        Session s = session;
        if (!running) {
            return CompletableFuture.failedFuture(new MqttMtpException(Reason.STOPPED, name + " is closed"));
        }
        if (s == null) {
            return CompletableFuture.failedFuture(new MqttMtpException(Reason.NOT_CONNECTED,
                    name + " is not connected: " + downReason));
        }
        Outgoing o = new Outgoing(topic, payload, retain, new CompletableFuture<>());
        synchronized (order) {
            // Still the same session under the lock: down() then finds the Record among the pending ones.
            if (backlog == 0 && session == s && s.inflight().tryAcquire()) {
                if (publish(s, o, message(s, o)) != Handed.RETRY) {
                    return o.done();
                }
                // The client's own window is full: the sender thread waits for room.
            }
            if (!queue.offer(o)) {
                stats.publishError();
                return CompletableFuture.failedFuture(new MqttMtpException(Reason.QUEUE_FULL, name
                        + ": send queue full (" + capacity + " Records waiting for " + s.brokerUri() + ")"));
            }
            backlog++;
        }
        return o.done();
    }

    /** The link is UP: Records go out on {@code s}. */
    void up(Session s) {
        session = s.continuing(session);
    }

    /** The link is not UP: queued and in-flight Records fail with {@code reason}. */
    void down(Reason reason, String why) {
        Session s = session;
        session = null;
        downReason = why;
        List<Outgoing> drained = new ArrayList<>();
        synchronized (order) {
            backlog -= queue.drainTo(drained);
        }
        MqttMtpException e = new MqttMtpException(reason, name + ": " + why);
        for (Outgoing o : drained) {
            o.done().completeExceptionally(e);
        }
        if (s != null) {
            for (Outgoing o : s.pending()) {
                o.done().completeExceptionally(new MqttMtpException(Reason.CONNECTION_LOST,
                        name + ": " + why + " before the broker acknowledged the Record"));
            }
        }
        synchronized (inflightFreed) {
            inflightFreed.notifyAll();
        }
    }

    int queued() {
        return queue.size();
    }

    /**
     * Completes when every Record offered so far has been written (QoS 0) or acknowledged, or has failed: the Records
     * waiting in the queue and those in flight at this moment. Never completes exceptionally.
     */
    CompletableFuture<Void> settled() {
        List<CompletableFuture<Void>> open = new ArrayList<>();
        for (Outgoing o : queue) {
            open.add(o.done());
        }
        Session s = session;
        if (s != null) {
            for (Outgoing o : s.pending()) {
                open.add(o.done());
            }
        }
        return CompletableFuture.allOf(open.toArray(CompletableFuture<?>[]::new)).handle((v, failure) -> null);
    }

    void close() {
        running = false;
        down(Reason.STOPPED, "stopped");
        thread.interrupt();
    }

    private void run() {
        while (running) {
            Outgoing o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                continue; // close() sets running = false
            }
            try {
                Session s = session;
                if (s == null) {
                    o.done().completeExceptionally(new MqttMtpException(Reason.NOT_CONNECTED,
                            name + " is not connected: " + downReason));
                    continue;
                }
                send(s, o);
            } finally {
                synchronized (order) {
                    backlog--;
                }
            }
        }
    }

    private static MqttMessage message(Session s, Outgoing o) {
        MqttMessage m = new MqttMessage(o.payload());
        m.setQos(s.qos());
        // MQTT-7: RETAIN only when asked for and the broker did not say Retain Available = 0.
        m.setRetained(o.retain() && s.retainAvailable());
        MqttProperties p = new MqttProperties();
        p.setContentType(CONTENT_TYPE); // R-MQTT.27
        p.setResponseTopic(s.replyToTopic()); // R-MQTT.22/23
        if (s.messageExpiryInterval() > 0) {
            p.setMessageExpiryInterval(s.messageExpiryInterval());
        }
        if (!s.userProperties().isEmpty()) {
            p.setUserProperties(new ArrayList<>(s.userProperties()));
        }
        m.setProperties(p);
        return m;
    }

    /** Sends one queued Record: waits for room in the broker's Receive Maximum and in the client's window. */
    private void send(Session s, Outgoing o) {
        MqttMessage m = message(s, o);
        while (true) {
            Session now = session;
            if (now == null || now.client() != s.client()) {
                o.done().completeExceptionally(new MqttMtpException(Reason.CONNECTION_LOST,
                        name + ": connection lost before the Record was sent"));
                return;
            }
            try {
                if (!s.inflight().tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                    continue; // the broker's Receive Maximum is reached; wait for an acknowledgement
                }
            } catch (InterruptedException e) {
                if (!running) {
                    o.done().completeExceptionally(new MqttMtpException(Reason.STOPPED, name + " is closed"));
                    return;
                }
                continue;
            }
            if (publish(s, o, m) != Handed.RETRY) {
                return;
            }
            // Paho's own window is full (it also counts QoS 0 messages not yet written): wait a little.
            awaitInflightFreed();
        }
    }

    /** What became of a Record handed to the client. */
    private enum Handed { SENT, FAILED, RETRY }

    /**
     * Hands one Record to the client, with a permit of {@code s.inflight()} already taken; the permit is given back
     * unless the Record is on its way. FAILED has completed the stage; RETRY means the client's window was full.
     */
    private Handed publish(Session s, Outgoing o, MqttMessage m) {
        s.pending().add(o);
        try {
            s.client().publish(o.topic(), m, null, new Completion(s, o, m.getQos()));
            return Handed.SENT;
        } catch (MqttException e) {
            s.pending().remove(o);
            s.inflight().release();
            if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                return Handed.RETRY;
            }
            stats.publishError();
            o.done().completeExceptionally(failure(e));
            return Handed.FAILED;
        } catch (RuntimeException e) {
            s.pending().remove(o);
            s.inflight().release();
            stats.publishError();
            o.done().completeExceptionally(new MqttMtpException(Reason.INVALID,
                    name + ": cannot publish to " + o.topic() + ": " + e.getMessage(), e));
            return Handed.FAILED;
        }
    }

    private void awaitInflightFreed() {
        synchronized (inflightFreed) {
            try {
                inflightFreed.wait(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private MqttMtpException failure(Throwable t) {
        if (t instanceof MqttException me) {
            int code = me.getReasonCode();
            if (code >= 0x80 && code <= 0xff) {
                return new MqttMtpException(Reason.REFUSED,
                        String.format("%s: broker refused the PUBLISH (reason code 0x%02x)", name, code), t);
            }
            if (code == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                    || code == MqttClientException.REASON_CODE_CONNECTION_LOST
                    || code == MqttClientException.REASON_CODE_CLIENT_DISCONNECTING
                    || code == MqttClientException.REASON_CODE_CLIENT_CLOSED) {
                return new MqttMtpException(Reason.CONNECTION_LOST, name + ": connection lost", t);
            }
        }
        return new MqttMtpException(Reason.CONNECTION_LOST, name + ": PUBLISH failed: " + t.getMessage(), t);
    }

    /** Completes the stage of one PUBLISH when Paho reports the outcome. */
    private final class Completion implements MqttActionListener {
        private final Session s;
        private final Outgoing o;
        private final int qos;

        Completion(Session s, Outgoing o, int qos) {
            this.s = s;
            this.o = o;
            this.qos = qos;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            release();
            int[] codes = token.getReasonCodes();
            if (qos > 0 && codes != null && codes.length > 0 && codes[0] >= 0x80) {
                stats.publishSent(qos, true);
                stats.publishError();
                o.done().completeExceptionally(new MqttMtpException(Reason.REFUSED, String.format(
                        "%s: broker refused the PUBLISH to %s (reason code 0x%02x)", name, o.topic(), codes[0])));
                return;
            }
            stats.publishSent(qos, qos > 0);
            o.done().complete(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            release();
            stats.publishError();
            MqttMtpException e = failure(cause);
            if (e.reason() == Reason.REFUSED) {
                stats.publishSent(qos, true);
            }
            LOG.log(Level.FINE, () -> name + ": PUBLISH to " + o.topic() + " failed: " + e.getMessage());
            o.done().completeExceptionally(e);
        }

        private void release() {
            if (s.pending().remove(o)) {
                s.inflight().release();
            }
            synchronized (inflightFreed) {
                inflightFreed.notifyAll();
            }
        }
    }
}
