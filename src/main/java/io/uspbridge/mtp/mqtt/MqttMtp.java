package io.uspbridge.mtp.mqtt;

import io.uspbridge.net.NoDelaySockets;
import io.uspbridge.net.PahoJulLogger;
import io.uspbridge.mtp.mqtt.ConnectionStateMachine.Failure;
import io.uspbridge.mtp.mqtt.MqttClientSettings.PacketType;
import io.uspbridge.mtp.mqtt.MqttLinkStatus.SubscriptionStatus;
import io.uspbridge.mtp.mqtt.MqttMtpException.Reason;
import io.uspbridge.security.TlsClientContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * The MQTT 5 Message Transfer Protocol of the agent (TR-369 section "MQTT Binding", AGENT-REQUIREMENTS.md §10.1): one
 * connection to one broker, configured by a {@code Device.MQTT.Client.{i}} row and the {@code LocalAgent.MTP.{i}} that
 * uses it. It knows bytes and topics, not USP messages.
 *
 * <ul>
 *   <li><b>CONNECT</b> with the configured or broker-assigned ClientId (R-MQTT.9/11), credentials, Keep Alive, Will,
 *       Request Response Information = 1 and User Property {@code usp-endpoint-id} (R-MQTT.12/13).</li>
 *   <li><b>After CONNACK</b>: records Assigned Client Identifier, Response Information, {@code subscribe-topic},
 *       Maximum QoS and Retain Available, then SUBSCRIBEs per MQTT-4 ({@link SubscriptionPlan}); with nothing to
 *       subscribe it DISCONNECTs and is disabled (R-MQTT.16); with no successful SUBACK it DISCONNECTs and retries,
 *       never publishing (R-MQTT.17). Only then is the link UP, with its reply-to topic (MQTT-8).</li>
 *   <li><b>Reconnect</b> after a failure or loss with the randomised R-MQTT.10 interval ({@link ConnectRetryPolicy});
 *       every reconnect subscribes again.</li>
 *   <li><b>Receive</b>: PUBLISHes with Content Type {@code usp.msg} or {@code application/vnd.bbf.usp.msg}
 *       (R-MQTT.27a) go to the {@link MqttMtpListener} with their Response Topic. A PUBLISH <em>without</em> a Content
 *       Type is passed on as well (a USP peer must set it, but the Record layer rejects what is not a Record anyway,
 *       and dropping it would hide a peer's mistake behind silence); a PUBLISH with any <em>other</em> Content Type is
 *       not a USP Record: it is dropped, counted in {@link MqttClientStats#publishDiscarded()} and logged once per
 *       Content Type.</li>
 *   <li><b>Send</b>: {@link #publish} never blocks; see {@link PublishSender}.</li>
 * </ul>
 *
 * <p><b>Threads.</b> All connection state lives on one control thread ({@code mqtt <name>}); Paho callbacks post events
 * to it and events of an older connection are ignored. Received Records are delivered on Paho's callback thread.
 * Public methods may be called from any thread; only {@link #stop()} and {@link #close()} wait (for the DISCONNECT to
 * be written, bounded).
 */
public final class MqttMtp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MqttMtp.class.getName());

    public static final String CONTENT_TYPE = PublishSender.CONTENT_TYPE;
    public static final String CONTENT_TYPE_LONG = "application/vnd.bbf.usp.msg";
    public static final String USER_PROPERTY_ENDPOINT_ID = "usp-endpoint-id";
    public static final String USER_PROPERTY_SUBSCRIBE_TOPIC = "subscribe-topic";

    /** QoS requested for the filters the link adds itself (subscribe-topic, reply-to): USP uses 0 and 1. */
    private static final int OWN_SUBSCRIPTION_QOS = 1;
    /** Lets Records already handed to the client go out before the DISCONNECT (R-MQTT.35). */
    private static final long DISCONNECT_QUIESCE_MS = 500;
    private static final long DISCONNECT_TIMEOUT_MS = 2000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    /** ForceReconnect() lets the Records already handed over leave first, for at most this long. */
    static final long SETTLE_BEFORE_RECONNECT_MS = 2_000;
    private static final int CONNECTION_TIMEOUT_S = 30;
    private static final int MAX_LOGGED_CONTENT_TYPES = 16;

    static {
        PahoJulLogger.install();
    }

    /** Keep Alive timers of every MQTT MTP in the JVM: one daemon thread. */
    private static final ScheduledExecutorService KEEP_ALIVE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-keepalive");
        t.setDaemon(true);
        return t;
    });

    private final MqttMtpListener listener;
    private final RandomGenerator random;
    private final StatsCounters stats;
    private final ScheduledExecutorService control;
    private final PublishSender sender;
    private final Set<String> loggedContentTypes = ConcurrentHashMap.newKeySet();

    // ---- confined to the control thread ----
    private final ConnectionStateMachine machine = new ConnectionStateMachine();
    private MqttMtpSettings settings;
    private boolean started;
    private Connection current;
    private int retry;
    private ScheduledFuture<?> retryTimer;
    private String assignedClientId;
    private ConnackInfo connack;
    private SubscriptionPlan plan;
    /** Filters the broker accepted on the current connection, with the granted QoS. */
    private final Map<String, Integer> subscribed = new LinkedHashMap<>();
    private final Map<String, SubscriptionStatus> subscriptionStatus = new LinkedHashMap<>();
    private String lastLoggedProblem;

    private volatile MqttLinkStatus status;
    private volatile Thread controlThread;

    /** What the broker told us in CONNACK. */
    private record ConnackInfo(String assignedClientId, String responseInformation, List<String> subscribeTopics,
                               int maximumQos, boolean retainAvailable, int receiveMaximum) {
    }

    public MqttMtp(MqttMtpSettings settings, MqttMtpListener listener) {
        // Seeded from the OS: hubs that lose power together must not retry in step (R-MQTT.10's randomisation).
        this(settings, listener, Clock.systemUTC(), new SplittableRandom(new SecureRandom().nextLong()));
    }

    MqttMtp(MqttMtpSettings settings, MqttMtpListener listener, Clock clock, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.random = random;
        this.stats = new StatsCounters(clock);
        String name = settings.name();
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt " + name);
            t.setDaemon(true);
            controlThread = t;
            return t;
        });
        this.sender = new PublishSender(name, settings.sendQueueCapacity(), stats);
        this.status = snapshot();
    }

    // ------------------------------------------------------------------------------------------------ public API

    /** Starts connecting (Client.{i}.Enable = true). Returns at once; {@link MqttMtpListener#statusChanged} follows. */
    public void start() {
        onControl(() -> {
            if (started) {
                return;
            }
            started = true;
            stats.reset();
            retry = 0;
            connect();
        });
    }

    /**
     * Sends DISCONNECT and stops (Client.{i}.Enable = false, R-MQTT.35). Queued Records fail with
     * {@link Reason#STOPPED}. Waits until the DISCONNECT is written, at most a few seconds.
     */
    public void stop() {
        awaitControl(() -> {
            if (!started) {
                return;
            }
            started = false;
            cancelRetry();
            sender.down(Reason.STOPPED, "stopped");
            closeConnection(true);
            clearSubscriptions();
            stats.disconnected();
            transition(MqttLinkState.STOPPED, Failure.NONE, null);
            LOG.info(() -> label() + ": stopped");
        });
    }

    /**
     * Queues a Record for {@code topic} and returns at once. The stage fails at once when the link is not UP or the
     * send queue is full; otherwise it completes when the broker has the Record (see {@link PublishSender}).
     *
     * @param retain set RETAIN (Controller.{i}.MTP.{i}.MQTT.PublishRetainResponse/Notify); ignored when the broker
     *               said Retain Available = 0 (MQTT-7)
     */
    public CompletionStage<Void> publish(String topic, byte[] record, boolean retain) {
        Objects.requireNonNull(record, "record");
        if (!TopicFilter.isValidTopicName(topic)) {
            return CompletableFuture.failedFuture(new MqttMtpException(Reason.INVALID,
                    settings.name() + ": not a topic one can publish to: " + topic));
        }
        return sender.offer(topic, record, retain);
    }

    /**
     * Applies new settings. Subscription rows, ResponseTopicConfigured and PublishQoS take effect at once while
     * connected: filters no longer wanted are UNSUBSCRIBEd and new ones SUBSCRIBEd (MQTT-6, R-MQTT.34, TP-469 11.9);
     * the stage completes when the broker has answered. Connection parameters (broker, credentials, Keep Alive, Will,
     * TLS files) apply at the next connection: {@link #forceReconnect()} applies them now. A link that is disabled or
     * waiting to retry tries the new settings at once. While connecting, the stage completes at once and the link
     * catches up with the new subscriptions as soon as it is up.
     */
    public CompletionStage<Void> updateSettings(MqttMtpSettings next) {
        Objects.requireNonNull(next, "settings");
        CompletableFuture<Void> done = new CompletableFuture<>();
        onControl(() -> {
            MqttMtpSettings previous = settings;
            settings = next;
            if (!next.client().sameBroker(previous.client())) {
                // An assigned client identifier belongs to the broker that assigned it (R-MQTT.11).
                assignedClientId = null;
                stats.reset();
            }
            if (!started) {
                done.complete(null);
                return;
            }
            switch (machine.state()) {
                case DISABLED, WAITING_TO_RETRY -> {
                    // New settings may cure what stopped the link: try them now rather than after the back-off.
                    if (!next.equals(previous)) {
                        retry = 0;
                        connect();
                    }
                    done.complete(null);
                }
                case UP -> resubscribe(done);
                // CONNECTING/SUBSCRIBING: the link compares its plan with the settings once it is up.
                default -> done.complete(null);
            }
        });
        return done;
    }

    /**
     * {@code Device.MQTT.Client.{i}.ForceReconnect()}: when connected, sends DISCONNECT and connects again with the
     * current settings. The Records already handed to this link leave first (the command's own Operate response among
     * them, when the caller hands it over before calling this), for at most {@link #SETTLE_BEFORE_RECONNECT_MS}.
     * Completes with false when the link was not connected (the command does nothing then).
     */
    public CompletionStage<Boolean> forceReconnect() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        onControl(() -> {
            if (!started || machine.state() != MqttLinkState.UP) {
                done.complete(false);
                return;
            }
            sender.settled().orTimeout(SETTLE_BEFORE_RECONNECT_MS, TimeUnit.MILLISECONDS)
                    .whenComplete((v, late) -> onControl(() -> {
                        if (!started || machine.state() != MqttLinkState.UP) {
                            done.complete(false);   // stopped or lost meanwhile: a reconnection is under way anyway
                            return;
                        }
                        LOG.info(() -> label() + ": reconnecting (ForceReconnect)");
                        sender.down(Reason.CONNECTION_LOST, "reconnecting");
                        closeConnection(true);
                        clearSubscriptions();
                        stats.disconnected();
                        retry = 0;
                        connect();
                        done.complete(true);
                    }));
        });
        return done;
    }

    /** The current status; also delivered through {@link MqttMtpListener#statusChanged}. */
    public MqttLinkStatus status() {
        return status;
    }

    /** {@code Device.MQTT.Client.{i}.Stats.} */
    public MqttClientStats stats() {
        return stats.snapshot();
    }

    /** Records waiting in the send queue. */
    public int queuedRecords() {
        return sender.queued();
    }

    /** Stops (sending DISCONNECT) and releases the threads. */
    @Override
    public void close() {
        stop();
        sender.close();
        control.shutdown();
        try {
            control.awaitTermination(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ connection

    private void connect() {
        cancelRetry();
        clearSubscriptions();
        connack = null;
        plan = null;
        transition(MqttLinkState.CONNECTING, Failure.NONE, null);
        MqttMtpSettings s = settings;
        var misconfiguration = s.misconfiguration();
        if (misconfiguration.isPresent()) {
            disable(misconfiguration.get());
            return;
        }
        SSLSocketFactory tls = null;
        if (s.client().transportProtocol() == MqttClientSettings.TransportProtocol.TLS) {
            try {
                var f = s.tls();
                tls = f == null ? TlsClientContext.socketFactory(null, null, null)
                        : TlsClientContext.socketFactory(f.caCertificates(), f.clientCertificate(), f.clientKey());
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                disable("TLS files unusable: " + describe(e));
                return;
            }
        }
        String clientId = effectiveClientId();
        Connection c;
        try {
            c = new Connection(s, clientId);
        } catch (MqttException | IllegalArgumentException e) {
            disable("cannot create the MQTT client: " + e.getMessage());
            return;
        }
        current = c;
        LOG.fine(() -> label() + ": connecting to " + s.client().serverUri() + " as client id '" + clientId + "'");
        try {
            c.client.connect(connectOptions(s, tls), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    onControl(() -> onConnack(c, token));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    onControl(() -> onConnectFailed(c, cause));
                }
            });
        } catch (MqttException | RuntimeException e) {
            onConnectFailed(c, e);
        }
    }

    private MqttConnectionOptions connectOptions(MqttMtpSettings s, SSLSocketFactory tls) {
        MqttClientSettings cs = s.client();
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setServerURIs(new String[] {cs.serverUri()});
        o.setCleanStart(cs.cleanStart());
        o.setKeepAliveInterval(cs.keepAliveTime());
        o.setConnectionTimeout(CONNECTION_TIMEOUT_S);
        o.setAutomaticReconnect(false); // R-MQTT.10 retry is ours
        if (!cs.username().isEmpty()) {
            o.setUserName(cs.username());
            if (!cs.password().isEmpty()) {
                o.setPassword(cs.password().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (cs.sessionExpiryInterval() > 0) {
            o.setSessionExpiryInterval(cs.sessionExpiryInterval());
        }
        if (cs.receiveMaximum() > 0) {
            o.setReceiveMaximum(cs.receiveMaximum());
        }
        if (cs.maximumPacketSize() > 0) {
            o.setMaximumPacketSize(cs.maximumPacketSize());
        }
        if (cs.topicAliasMaximum() > 0) {
            o.setTopicAliasMaximum(cs.topicAliasMaximum());
        }
        o.setRequestResponseInfo(cs.requestResponseInfo()); // R-MQTT.12: on by default
        o.setRequestProblemInfo(cs.requestProblemInfo());
        List<UserProperty> props = new ArrayList<>();
        props.add(new UserProperty(USER_PROPERTY_ENDPOINT_ID, s.endpointId())); // R-MQTT.13
        props.addAll(userProperties(cs, PacketType.CONNECT));
        o.setUserProperties(props);
        MqttClientSettings.Will w = cs.will();
        if (w.enable()) {
            MqttMessage will = new MqttMessage(w.value().getBytes(StandardCharsets.UTF_8), w.qos(), w.retain(), null);
            MqttProperties wp = new MqttProperties();
            if (w.messageExpiryInterval() > 0) {
                wp.setMessageExpiryInterval(w.messageExpiryInterval());
            }
            if (!w.contentType().isEmpty()) {
                wp.setContentType(w.contentType());
            }
            if (!w.responseTopic().isEmpty()) {
                wp.setResponseTopic(w.responseTopic());
            }
            if (w.delayInterval() > 0) {
                wp.setWillDelayInterval(w.delayInterval());
            }
            List<UserProperty> willProps = userProperties(cs, PacketType.WILL);
            if (!willProps.isEmpty()) {
                wp.setUserProperties(willProps);
            }
            o.setWillMessageProperties(wp);
            o.setWill(w.topic(), will);
        }
        if (tls != null) {
            o.setSocketFactory(NoDelaySockets.tls(tls));
            o.setHttpsHostnameVerificationEnabled(true); // R-MTP.4: the certificate must match the broker's name
        } else {
            o.setSocketFactory(NoDelaySockets.plain());
        }
        return o;
    }

    private void onConnectFailed(Connection c, Throwable cause) {
        if (c != current) {
            return;
        }
        current = null;
        c.close(false);
        stats.connectionError();
        if (cause instanceof MqttException me && me.getReasonCode() >= 0x80 && me.getReasonCode() <= 0xff) {
            stats.packetsSent(1); // CONNECT
            stats.packetsReceived(1); // CONNACK with a failure reason code
        }
        retryLater(classify(cause), "cannot connect to " + c.serverUri + ": " + describe(cause));
    }

    private void onConnack(Connection c, IMqttToken token) {
        if (c != current) {
            c.close(true);
            return;
        }
        stats.packetsSent(1);
        stats.packetsReceived(1);
        MqttProperties p = token.getResponseProperties();
        List<String> subscribeTopics = new ArrayList<>();
        String assigned = null;
        String responseInformation = null;
        int maxQos = 2;
        boolean retainAvailable = true;
        int receiveMaximum = 65535;
        if (p != null) {
            assigned = emptyToNull(p.getAssignedClientIdentifier());
            responseInformation = emptyToNull(p.getResponseInfo());
            for (UserProperty up : p.getUserProperties()) {
                if (USER_PROPERTY_SUBSCRIBE_TOPIC.equals(up.getKey()) && up.getValue() != null) {
                    subscribeTopics.add(up.getValue());
                }
            }
            if (p.getMaximumQoS() != null) {
                maxQos = p.getMaximumQoS();
            }
            if (p.isRetainAvailable() != null) {
                retainAvailable = p.isRetainAvailable();
            }
            if (p.getReceiveMaximum() != null && p.getReceiveMaximum() > 0) {
                receiveMaximum = p.getReceiveMaximum();
            }
        }
        connack = new ConnackInfo(assigned, responseInformation, List.copyOf(subscribeTopics), maxQos,
                retainAvailable, receiveMaximum);
        if (assigned != null && !assigned.equals(assignedClientId)) {
            // R-MQTT.9/11: keep it and use it for every later connection to this broker.
            assignedClientId = assigned;
            String id = assigned;
            safely(() -> listener.clientIdAssigned(id));
        }
        if (responseInformation != null && !TopicFilter.isValidTopicName(responseInformation)) {
            LOG.warning(() -> label() + ": ignoring CONNACK Response Information that is not a topic name: "
                    + c.responseInformationText(p));
        }
        for (String t : subscribeTopics) {
            if (!TopicFilter.isValidFilter(t)) {
                LOG.warning(() -> label() + ": ignoring CONNACK subscribe-topic that is not a topic filter: " + t);
            }
        }
        plan = currentPlan();
        transition(MqttLinkState.SUBSCRIBING, Failure.NONE, null);
        if (!plan.hasRequiredTopic()) {
            // R-MQTT.16, TP-469 11.10
            c.close(true);
            current = null;
            disable("nothing to subscribe: no enabled Subscription and no subscribe-topic from the broker");
            return;
        }
        if (plan.replyToTopic() == null) {
            c.close(true);
            current = null;
            stats.connectionError();
            retryLater(Failure.MISCONFIGURED, "no reply-to topic: the broker sent no Response Information and "
                    + "ResponseTopicConfigured is empty");
            return;
        }
        subscribe(c, plan.entries(), codes -> onInitialSuback(c, codes));
    }

    private void onInitialSuback(Connection c, Map<String, Integer> results) {
        if (c != current || machine.state() != MqttLinkState.SUBSCRIBING) {
            return;
        }
        if (subscribed.isEmpty()) {
            // R-MQTT.17, TP-469 11.11: no successful SUBSCRIBE → never publish, DISCONNECT.
            c.close(true);
            current = null;
            stats.connectionError();
            retryLater(Failure.REFUSED, "the broker refused every SUBSCRIBE (" + String.join(", ",
                    results.keySet()) + ")");
            return;
        }
        String replyTo = plan.replyToTopic();
        if (!SubscriptionPlan.covered(subscribed.keySet(), replyTo) && !results.containsKey(replyTo)) {
            // The filter that covered the reply-to topic was refused: subscribe to the topic itself.
            subscribe(c, List.of(new SubscriptionPlan.Entry(replyTo, OWN_SUBSCRIPTION_QOS,
                    SubscriptionPlan.Source.RESPONSE_INFORMATION)), more -> onInitialSuback(c, more));
            return;
        }
        if (!SubscriptionPlan.covered(subscribed.keySet(), replyTo)) {
            LOG.warning(() -> label() + ": the broker refused the subscription to the reply-to topic " + replyTo
                    + "; responses to this agent will not arrive");
        }
        retry = 0;
        lastLoggedProblem = null;
        stats.connected();
        sender.up(session(c));
        transition(MqttLinkState.UP, Failure.NONE, null);
        LOG.info(() -> String.format("%s: connected to %s as client id '%s', reply-to %s, subscribed to %s",
                label(), c.serverUri, c.clientId(), replyTo, subscribed.keySet()));
        if (!currentPlan().equals(plan)) {
            resubscribe(new CompletableFuture<>()); // settings changed while we were subscribing
        }
    }

    private PublishSender.Session session(Connection c) {
        MqttMtpSettings s = settings;
        int qos = Math.min(s.publishQoS(), connack.maximumQos()); // MQTT-7
        return new PublishSender.Session(c.client, c.serverUri, plan.replyToTopic(), qos, connack.retainAvailable(),
                s.client().publishMessageExpiryInterval(), userProperties(s.client(), PacketType.PUBLISH),
                Math.min(connack.receiveMaximum(), 1024));
    }

    private void onConnectionLost(Connection c, String why) {
        if (c != current) {
            return;
        }
        current = null;
        c.close(false);
        boolean wasUp = machine.state() == MqttLinkState.UP;
        sender.down(Reason.CONNECTION_LOST, "connection lost: " + why);
        clearSubscriptions();
        stats.disconnected();
        stats.connectionError();
        retryLater(wasUp ? Failure.LOST : Failure.UNREACHABLE, "connection to " + c.serverUri + " lost: " + why);
    }

    private void retryLater(Failure kind, String why) {
        sender.down(Reason.NOT_CONNECTED, why);
        retry++;
        Duration wait = settings.client().retryPolicy().delay(retry, random);
        MqttLinkState before = machine.state();
        transition(MqttLinkState.WAITING_TO_RETRY, kind, why);
        String line = String.format("%s: %s (client id '%s'); retrying in %.1f s (attempt %d)", label(), why,
                effectiveClientId(), wait.toMillis() / 1000.0, retry);
        // One line per change: a retry that fails like the one before is not news.
        String problem = kind + ":" + why;
        if (before == MqttLinkState.UP || !problem.equals(lastLoggedProblem)) {
            LOG.warning(line);
            lastLoggedProblem = problem;
        } else {
            LOG.fine(line);
        }
        retryTimer = control.schedule(() -> {
            retryTimer = null;
            if (started && machine.state() == MqttLinkState.WAITING_TO_RETRY) {
                connect();
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disable(String why) {
        sender.down(Reason.NOT_CONNECTED, why);
        if (current != null) {
            current.close(true);
            current = null;
        }
        transition(MqttLinkState.DISABLED, Failure.MISCONFIGURED, why);
        LOG.warning(() -> label() + ": disabled: " + why);
    }

    private void closeConnection(boolean sendDisconnect) {
        Connection c = current;
        current = null;
        if (c != null) {
            c.close(sendDisconnect);
        }
    }

    private void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    // ------------------------------------------------------------------------------------------------ subscriptions

    private SubscriptionPlan currentPlan() {
        return SubscriptionPlan.of(settings.client().subscriptions(), connack.subscribeTopics(),
                connack.responseInformation(), settings.responseTopicConfigured(), OWN_SUBSCRIPTION_QOS);
    }

    /** MQTT-6: brings the broker's subscriptions in line with the new settings while UP. */
    private void resubscribe(CompletableFuture<Void> done) {
        Connection c = current;
        SubscriptionPlan before = plan;
        SubscriptionPlan next = currentPlan();
        plan = next;
        List<SubscriptionPlan.Entry> add = new ArrayList<>();
        for (SubscriptionPlan.Entry e : next.entries()) {
            SubscriptionPlan.Entry old = before == null ? null : before.entry(e.filter());
            if (!subscribed.containsKey(e.filter()) || old == null || old.qos() != e.qos()) {
                add.add(e); // new, refused before, or another QoS requested
            }
        }
        List<String> remove = new ArrayList<>();
        for (String f : subscribed.keySet()) {
            if (next.entry(f) == null) {
                remove.add(f);
            }
        }
        subscriptionStatus.keySet().removeIf(f -> next.entry(f) == null && !subscribed.containsKey(f));
        // PublishQoS or the reply-to topic may have changed.
        sender.up(session(c));
        // Subscribe first, so that a topic newly needed for the reply-to is covered before the old filter goes.
        Runnable unsubscribeThenFinish = () -> {
            if (remove.isEmpty() || c != current) {
                publishStatus();
                done.complete(null);
            } else {
                unsubscribe(c, remove, () -> {
                    publishStatus();
                    done.complete(null);
                });
            }
        };
        publishStatus();
        if (add.isEmpty()) {
            unsubscribeThenFinish.run();
            return;
        }
        subscribe(c, add, results -> {
            List<String> refused = new ArrayList<>();
            results.forEach((f, code) -> {
                if (code >= 0x80) {
                    refused.add(f);
                }
            });
            if (!refused.isEmpty()) {
                String text = label() + ": the broker refused the subscription to " + refused;
                LOG.warning(text);
                done.completeExceptionally(new MqttMtpException(Reason.REFUSED, text));
            }
            unsubscribeThenFinish.run();
        });
    }

    /**
     * Sends one SUBSCRIBE for {@code entries}; the SUBACK reason codes update {@link #subscribed} and the
     * per-filter status, then {@code then} runs on the control thread with filter → reason code.
     */
    private void subscribe(Connection c, List<SubscriptionPlan.Entry> entries,
                           java.util.function.Consumer<Map<String, Integer>> then) {
        MqttSubscription[] subs = new MqttSubscription[entries.size()];
        for (int i = 0; i < subs.length; i++) {
            SubscriptionPlan.Entry e = entries.get(i);
            subs[i] = new MqttSubscription(e.filter(), e.qos());
            // The agent never needs its own PUBLISHes back (a reply-to filter may cover a controller topic).
            subs[i].setNoLocal(true);
            subscriptionStatus.put(e.filter(), SubscriptionStatus.SUBSCRIBING);
        }
        MqttProperties props = new MqttProperties();
        List<UserProperty> ups = userProperties(settings.client(), PacketType.SUBSCRIBE);
        if (!ups.isEmpty()) {
            props.setUserProperties(ups);
        }
        stats.subscribeSent();
        MqttActionListener done = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                onControl(() -> onSuback(c, entries, token.getReasonCodes(), null, then));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                int[] codes = token == null ? null : token.getReasonCodes();
                onControl(() -> onSuback(c, entries, codes, cause, then));
            }
        };
        try {
            c.client.subscribe(subs, null, done, props);
        } catch (MqttException | RuntimeException e) {
            onSuback(c, entries, null, e, then);
        }
    }

    private void onSuback(Connection c, List<SubscriptionPlan.Entry> entries, int[] codes, Throwable cause,
                          java.util.function.Consumer<Map<String, Integer>> then) {
        if (c != current) {
            return;
        }
        if (codes == null || codes.length != entries.size()) {
            if (cause != null && !(cause instanceof MqttException me && me.getReasonCode() >= 0x80)) {
                // No SUBACK at all: the connection is going down; the lost-connection path takes over.
                LOG.fine(() -> label() + ": SUBSCRIBE failed: " + describe(cause));
                onConnectionLost(c, "SUBSCRIBE failed: " + describe(cause));
                return;
            }
            int code = cause instanceof MqttException me ? me.getReasonCode() : 0x80;
            codes = new int[entries.size()];
            java.util.Arrays.fill(codes, code);
        }
        stats.packetsReceived(1);
        Map<String, Integer> results = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String f = entries.get(i).filter();
            results.put(f, codes[i]);
            if (codes[i] < 0x80) {
                subscribed.put(f, codes[i]);
                subscriptionStatus.put(f, SubscriptionStatus.SUBSCRIBED);
            } else {
                subscribed.remove(f);
                subscriptionStatus.put(f, SubscriptionStatus.ERROR);
                int code = codes[i];
                LOG.fine(() -> String.format("%s: SUBSCRIBE %s refused (reason code 0x%02x)", label(), f, code));
            }
        }
        then.accept(results);
    }

    private void unsubscribe(Connection c, List<String> filters, Runnable then) {
        for (String f : filters) {
            subscriptionStatus.put(f, SubscriptionStatus.UNSUBSCRIBING);
        }
        MqttProperties props = new MqttProperties();
        List<UserProperty> ups = userProperties(settings.client(), PacketType.UNSUBSCRIBE);
        if (!ups.isEmpty()) {
            props.setUserProperties(ups);
        }
        stats.unsubscribeSent();
        MqttActionListener done = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                onControl(() -> onUnsuback(c, filters, then));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                onControl(() -> onUnsuback(c, filters, then));
            }
        };
        try {
            c.client.unsubscribe(filters.toArray(new String[0]), null, done, props);
        } catch (MqttException | RuntimeException e) {
            onUnsuback(c, filters, then);
        }
    }

    private void onUnsuback(Connection c, List<String> filters, Runnable then) {
        if (c != current) {
            return;
        }
        stats.packetsReceived(1);
        for (String f : filters) {
            subscribed.remove(f);
            subscriptionStatus.remove(f);
        }
        then.run();
    }

    private void clearSubscriptions() {
        subscribed.clear();
        subscriptionStatus.clear();
    }

    // ------------------------------------------------------------------------------------------------ receive

    private void onMessage(String topic, MqttMessage m) {
        stats.publishReceived(m.getQos());
        MqttProperties p = m.getProperties();
        String contentType = p == null ? null : p.getContentType();
        if (contentType != null && !contentType.equals(CONTENT_TYPE) && !contentType.equals(CONTENT_TYPE_LONG)) {
            stats.publishDiscarded();
            if (loggedContentTypes.size() < MAX_LOGGED_CONTENT_TYPES && loggedContentTypes.add(contentType)) {
                LOG.warning(() -> label() + ": dropping PUBLISH on " + topic + " with Content Type '" + contentType
                        + "': not a USP Record (usp.msg); further ones are dropped silently");
            }
            return;
        }
        String responseTopic = p == null ? null : emptyToNull(p.getResponseTopic());
        try {
            listener.recordReceived(m.getPayload(), responseTopic, topic);
        } catch (RuntimeException e) {
            // Never let it reach Paho: an exception from messageArrived closes the connection.
            LOG.log(Level.WARNING, label() + ": the Record listener failed", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String effectiveClientId() {
        String configured = settings.client().clientId();
        if (!configured.isEmpty()) {
            return configured;
        }
        return assignedClientId == null ? "" : assignedClientId; // R-MQTT.9/11
    }

    private static List<UserProperty> userProperties(MqttClientSettings cs, PacketType type) {
        List<UserProperty> out = new ArrayList<>();
        for (MqttClientSettings.UserProperty up : cs.userProperties()) {
            if (up.appliesTo(type)) {
                out.add(new UserProperty(up.name(), up.value()));
            }
        }
        return out;
    }

    private void transition(MqttLinkState next, Failure why, String text) {
        machine.moveTo(next, why, text);
        publishStatus();
    }

    private void publishStatus() {
        MqttLinkStatus s = snapshot();
        status = s;
        safely(() -> listener.statusChanged(s));
    }

    private MqttLinkStatus snapshot() {
        ConnackInfo ci = connack;
        Map<String, SubscriptionStatus> subs = new LinkedHashMap<>(subscriptionStatus);
        for (MqttClientSettings.Subscription row : settings.client().subscriptions()) {
            subs.putIfAbsent(row.topic(), SubscriptionStatus.UNSUBSCRIBED);
        }
        return new MqttLinkStatus(machine.state(), machine.clientStatus(), settings.client().serverUri(),
                effectiveClientId(), assignedClientId, ci == null ? null : ci.responseInformation(),
                machine.state() == MqttLinkState.UP && plan != null ? plan.replyToTopic() : null,
                ci == null ? 2 : ci.maximumQos(), ci == null || ci.retainAvailable(), subs, machine.reason());
    }

    private String label() {
        return settings.name();
    }

    private void onControl(Runnable task) {
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, label() + ": internal error", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine(() -> label() + ": closed; event dropped");
        }
    }

    private void awaitControl(Runnable task) {
        if (Thread.currentThread() == controlThread) {
            task.run(); // called from a status callback: waiting for ourselves would never end
            return;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        onControl(() -> {
            try {
                task.run();
            } finally {
                f.complete(null);
            }
        });
        try {
            f.get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning(() -> label() + ": control thread did not answer in time");
        }
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, label() + ": listener failed", e);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Failure classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException || c instanceof GeneralSecurityException) {
                return Failure.REFUSED;
            }
            if (c instanceof UnknownHostException || c instanceof ConnectException
                    || c instanceof NoRouteToHostException || c instanceof SocketTimeoutException) {
                return Failure.UNREACHABLE;
            }
            if (c instanceof MqttException me) {
                int code = me.getReasonCode();
                if (code >= 0x80 && code <= 0xff) {
                    return Failure.REFUSED;
                }
                if (code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT
                        || code == MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR) {
                    if (c.getCause() == null) {
                        return Failure.UNREACHABLE;
                    }
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return Failure.UNREACHABLE;
    }

    /** A one-line reason for operators: the broker's reason code, or the root cause of a network failure. */
    static String describe(Throwable t) {
        if (t instanceof MqttException me && me.getReasonCode() >= 0x80 && me.getReasonCode() <= 0xff) {
            return String.format("broker refused (reason code 0x%02x%s)", me.getReasonCode(),
                    me.getMessage() == null ? "" : ", " + me.getMessage());
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootText = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        boolean genericWrapper = t instanceof MqttException me
                && me.getReasonCode() == MqttException.REASON_CODE_CLIENT_EXCEPTION;
        if (root != t && !genericWrapper && t.getMessage() != null && !t.getMessage().equals(root.getMessage())) {
            return t.getMessage() + " (" + rootText + ")";
        }
        return rootText;
    }

    // ------------------------------------------------------------------------------------------------ Paho client

    /** One Paho client for one connection attempt; its callbacks post to the control thread. */
    private final class Connection implements MqttCallback {
        final MqttAsyncClient client;
        final String serverUri;
        private final String requestedClientId;

        Connection(MqttMtpSettings s, String clientId) throws MqttException {
            this.serverUri = s.client().serverUri();
            this.requestedClientId = clientId;
            // Memory persistence: nothing goes to the SD card; in-flight QoS 1 state does not outlive the process.
            this.client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence(),
                    new KeepAlivePinger(KEEP_ALIVE, stats), null);
            this.client.setCallback(this);
        }

        String clientId() {
            return assignedClientId != null && requestedClientId.isEmpty() ? assignedClientId : requestedClientId;
        }

        String responseInformationText(MqttProperties p) {
            return p == null ? "" : String.valueOf(p.getResponseInfo());
        }

        /** Ends this client: DISCONNECT when asked (bounded wait) and the sockets and threads released. */
        void close(boolean sendDisconnect) {
            try {
                if (client.isConnected()) {
                    if (sendDisconnect) {
                        // disconnectForcibly always waits its full timeout for the DISCONNECT token; the plain
                        // disconnect completes as soon as the packet is written.
                        MqttProperties props = new MqttProperties();
                        List<UserProperty> ups = userProperties(settings.client(), PacketType.DISCONNECT);
                        if (!ups.isEmpty()) {
                            props.setUserProperties(ups);
                        }
                        stats.packetsSent(1);
                        client.disconnect(DISCONNECT_QUIESCE_MS, null, null, 0x00, props)
                                .waitForCompletion(DISCONNECT_TIMEOUT_MS);
                    } else {
                        client.disconnectForcibly(0, 0, false);
                    }
                }
            } catch (MqttException | RuntimeException e) {
                LOG.fine(() -> label() + ": disconnect: " + describe(e));
                try {
                    client.disconnectForcibly(0, 0, false);
                } catch (MqttException | RuntimeException again) {
                    LOG.fine(() -> label() + ": disconnect: " + describe(again));
                }
            }
            try {
                client.close(true);
            } catch (MqttException | RuntimeException e) {
                LOG.fine(() -> label() + ": close: " + describe(e));
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String why;
            if (response.getException() != null) {
                why = describe(response.getException());
            } else {
                stats.packetsReceived(1); // DISCONNECT from the broker
                why = String.format("broker sent DISCONNECT (reason code 0x%02x%s)", response.getReturnCode(),
                        response.getReasonString() == null ? "" : ", " + response.getReasonString());
            }
            onControl(() -> onConnectionLost(this, why));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.fine(() -> label() + ": MQTT protocol error: " + describe(exception));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            onMessage(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // PublishSender completes each Record through its own action listener.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // onConnack runs from the connect token.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // Enhanced authentication is not used.
        }
    }

    /** For tests: the filters the broker accepted on the current connection. */
    Set<String> subscribedFilters() {
        CompletableFuture<Set<String>> f = new CompletableFuture<>();
        onControl(() -> f.complete(new HashSet<>(subscribed.keySet())));
        try {
            return f.get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
