package io.uspbridge.agent;

import io.uspbridge.config.AgentConfig;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.Table;
import io.uspbridge.model.ValueType;
import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.mtp.mqtt.MqttClientSettings;
import io.uspbridge.mtp.mqtt.MqttClientStats;
import io.uspbridge.mtp.mqtt.MqttLinkStatus;
import io.uspbridge.mtp.mqtt.MqttMtp;
import io.uspbridge.mtp.mqtt.MqttMtpListener;
import io.uspbridge.mtp.mqtt.MqttMtpSettings;
import io.uspbridge.record.RecordLayer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * Binds the MQTT objects of the data model to live MQTT MTPs: one {@link MqttMtp} per enabled
 * {@code Device.LocalAgent.MTP.{i}} with Protocol MQTT, configured from the {@code Device.MQTT.Client.{i}} it
 * references. Controllers' changes to those rows reconfigure the link (MQTT-6: subscription rows while connected);
 * the link's state flows back into {@code Client.{i}.Status}, {@code ResponseInformation}, {@code ClientID} (an
 * assigned one, R-MQTT.9), {@code Subscription.{i}.Status}, {@code LocalAgent.MTP.{i}.Status} and
 * {@code ResponseTopicDiscovered}; {@code Client.{i}.Stats.} are read live. When a link comes up, the record layer
 * sends the MQTT Connect Records (R-MTP.6).
 */
public final class MqttMtpBinding implements AgentModule {
    private static final Logger LOG = Logger.getLogger(MqttMtpBinding.class.getName());
    static final String CLIENTS = "Device.MQTT.Client.";
    static final String AGENT_MTPS = "Device.LocalAgent.MTP.";

    private final Map<String, Link> links = new LinkedHashMap<>();   // by LocalAgent.MTP reference path
    private AgentContext ctx;
    private DataModel model;
    private boolean writingStatus;
    private final io.uspbridge.model.ModelListener listener = this::onChanges;

    /** One running MTP and what it was built from. */
    private final class Link implements MtpChannel, MqttMtpListener {
        final String mtpRef;
        final MqttMtp mtp;
        MqttMtpSettings settings;
        String clientRef;
        volatile boolean up;

        Link(String mtpRef, String clientRef, MqttMtpSettings settings) {
            this.mtpRef = mtpRef;
            this.clientRef = clientRef;
            this.settings = settings;
            this.mtp = new MqttMtp(settings, this);
        }

        @Override
        public String reference() {
            return mtpRef;
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
            String t = mtp.status().replyToTopic();
            return t == null ? settings.responseTopicConfigured() : t;
        }

        @Override
        public CompletionStage<Void> send(byte[] record, String address, boolean retain) {
            return mtp.publish(address, record, retain);
        }

        // MqttMtpListener: called on MTP threads; everything moves to the agent loop.
        @Override
        public void recordReceived(byte[] record, String responseTopic, String topic) {
            RecordLayer records = ctx.records();
            ctx.loop().execute(() -> records.onRecord(record, new ReplyAddress(this, responseTopic)));
        }

        @Override
        public void statusChanged(MqttLinkStatus status) {
            ctx.loop().execute(() -> onStatus(this, status));
        }

        @Override
        public void clientIdAssigned(String clientId) {
            ctx.loop().execute(() -> writeStatus(() -> {
                ObjectNode client = model.find(clientRef);
                if (client != null) {
                    model.set(client, "ClientID", clientId);
                }
            }));
        }
    }

    @Override
    public void contribute(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder stats = schema.object(CLIENTS + "{i}.Stats.");
        dateStat(stats, "BrokerConnectionEstablished", MqttClientStats::brokerConnectionEstablished);
        dateStat(stats, "LastPublishMessageSent", MqttClientStats::lastPublishMessageSent);
        dateStat(stats, "LastPublishMessageReceived", MqttClientStats::lastPublishMessageReceived);
        counter(stats, "PublishSent", ValueType.unsignedLong(), MqttClientStats::publishSent);
        counter(stats, "PublishReceived", ValueType.unsignedLong(), MqttClientStats::publishReceived);
        counter(stats, "SubscribeSent", ValueType.unsignedLong(), MqttClientStats::subscribeSent);
        counter(stats, "UnSubscribeSent", ValueType.unsignedLong(), MqttClientStats::unSubscribeSent);
        counter(stats, "MQTTMessagesSent", ValueType.unsignedLong(), MqttClientStats::mqttMessagesSent);
        counter(stats, "MQTTMessagesReceived", ValueType.unsignedLong(), MqttClientStats::mqttMessagesReceived);
        counter(stats, "ConnectionErrors", ValueType.unsignedInt(), MqttClientStats::connectionErrors);
        counter(stats, "PublishErrors", ValueType.unsignedInt(), MqttClientStats::publishErrors);
        schema.table(CLIENTS + "{i}.").command("ForceReconnect()").handler(call -> {
            Link link = linkOfClient(call.object());
            if (link != null) {
                // After this loop task, which hands the command's Operate response to the MTP: the link then sends
                // it before it disconnects, and the controller gets its response.
                ctx.loop().execute(() -> link.mtp.forceReconnect());
            }
            return CompletableFuture.completedFuture(Map.of());
        });
    }

    private void dateStat(SchemaBuilder.ObjectBuilder stats, String name, Function<MqttClientStats, Instant> f) {
        stats.param(name, ValueType.dateTime()).computed(n -> {
            MqttClientStats s = statsOf(n.parent());
            Instant t = s == null ? null : f.apply(s);
            return t == null ? ValueType.UNKNOWN_TIME
                    : ValueType.formatDateTime(LocalDateTime.ofInstant(t, ZoneOffset.UTC).withNano(0));
        });
    }

    private void counter(SchemaBuilder.ObjectBuilder stats, String name, ValueType type,
            ToLongFunction<MqttClientStats> f) {
        stats.param(name, type).computed(n -> {
            MqttClientStats s = statsOf(n.parent());
            return Long.toString(s == null ? 0 : f.applyAsLong(s));
        });
    }

    private MqttClientStats statsOf(ObjectNode client) {
        Link link = linkOfClient(client);
        return link == null ? null : link.mtp.stats();
    }

    private Link linkOfClient(ObjectNode client) {
        for (Link l : links.values()) {
            if (l.clientRef.equals(client.referencePath())) {
                return l;
            }
        }
        return null;
    }

    @Override
    public void start(AgentContext context) {
        this.ctx = context;
        this.model = context.model();
        ObjectNode caps = model.find("Device.MQTT.Capabilities.");
        if (caps != null) {
            model.update(tx -> {
                tx.set(caps, "ProtocolVersionsSupported", "5.0");
                tx.set(caps, "TransportProtocolSupported", "TCP/IP,TLS");
            });
        }
        model.addListener(listener);
        reconcile();
    }

    private void onChanges(List<ModelChange> changes) {
        if (writingStatus) {
            return;
        }
        for (ModelChange c : changes) {
            String p = c.object().path();
            if (p.startsWith(CLIENTS) || p.startsWith(AGENT_MTPS)) {
                reconcile();
                return;
            }
        }
    }

    /** Makes the running links match the rows: start, reconfigure or stop them. Runs on the agent loop. */
    private void reconcile() {
        Map<String, MqttMtpSettings> wanted = new LinkedHashMap<>();
        Map<String, String> clientOf = new HashMap<>();
        Table mtps = model.findTable(AGENT_MTPS);
        for (ObjectNode mtp : mtps == null ? List.<ObjectNode>of() : mtps.rows()) {
            ObjectNode mq = mtp.child("MQTT");
            if (!mtp.booleanValue("Enable") || !"MQTT".equals(mtp.value("Protocol")) || mq == null) {
                continue;
            }
            ObjectNode client = model.find(mq.value("Reference"));
            if (client == null || !client.booleanValue("Enable")) {
                continue;
            }
            try {
                wanted.put(mtp.referencePath(), settingsOf(mtp, client));
                clientOf.put(mtp.referencePath(), client.referencePath());
            } catch (IllegalArgumentException e) {
                LOG.warning("MQTT client " + client.referencePath() + " is misconfigured: " + e.getMessage());
                writeStatus(() -> model.update(tx -> {
                    tx.set(client, "Status", "Error_Misconfigured");
                    tx.set(mtp, "Status", "Error");
                }));
            }
        }
        for (String ref : new ArrayList<>(links.keySet())) {
            if (!wanted.containsKey(ref)) {
                stopLink(links.remove(ref));
            }
        }
        wanted.forEach((ref, settings) -> {
            Link link = links.get(ref);
            if (link == null) {
                link = new Link(ref, clientOf.get(ref), settings);
                links.put(ref, link);
                ctx.channels().registerChannel(link);
                link.mtp.start();
            } else if (!Objects.equals(link.settings, settings)) {
                link.settings = settings;
                link.clientRef = clientOf.get(ref);
                link.mtp.updateSettings(settings);
            }
        });
    }

    private void stopLink(Link link) {
        if (link == null) {
            return;
        }
        ctx.channels().unregisterChannel(link);
        link.up = false;
        link.mtp.close();
    }

    private MqttMtpSettings settingsOf(ObjectNode mtp, ObjectNode client) {
        ObjectNode mq = mtp.child("MQTT");
        List<MqttClientSettings.Subscription> subs = new ArrayList<>();
        for (ObjectNode s : client.rows("Subscription")) {
            if (!s.value("Topic").isEmpty()) {
                subs.add(new MqttClientSettings.Subscription(s.value("Topic"), intOf(s, "QoS"),
                        s.booleanValue("Enable")));
            }
        }
        List<MqttClientSettings.UserProperty> props = new ArrayList<>();
        for (ObjectNode p : client.rows("UserProperty")) {
            Set<MqttClientSettings.PacketType> types = EnumSet.noneOf(MqttClientSettings.PacketType.class);
            for (String t : ValueType.splitList(p.value("PacketType"))) {
                types.add(MqttClientSettings.PacketType.valueOf(t));
            }
            props.add(new MqttClientSettings.UserProperty(p.value("Name"), p.value("Value"),
                    p.booleanValue("Enable"), types));
        }
        MqttClientSettings c = MqttClientSettings.builder()
                .brokerAddress(client.value("BrokerAddress"))
                .brokerPort(intOf(client, "BrokerPort"))
                .transportProtocol(MqttClientSettings.TransportProtocol.fromTr181(client.value("TransportProtocol")))
                .clientId(client.value("ClientID"))
                .username(client.value("Username"))
                .password(client.value("Password"))
                .keepAliveTime(intOf(client, "KeepAliveTime"))
                .cleanStart(client.booleanValue("CleanStart"))
                .sessionExpiryInterval(longOf(client, "SessionExpiryInterval"))
                .receiveMaximum(intOf(client, "ReceiveMaximum"))
                .maximumPacketSize(longOf(client, "MaximumPacketSize"))
                .topicAliasMaximum(intOf(client, "TopicAliasMaximum"))
                .requestResponseInfo(client.booleanValue("RequestResponseInfo"))
                .requestProblemInfo(client.booleanValue("RequestProblemInfo"))
                .connectRetryTime(longOf(client, "ConnectRetryTime"))
                .connectRetryIntervalMultiplier(intOf(client, "ConnectRetryIntervalMultiplier"))
                .connectRetryMaxInterval(longOf(client, "ConnectRetryMaxInterval"))
                .publishMessageExpiryInterval(longOf(client, "PublishMessageExpiryInterval"))
                .will(new MqttClientSettings.Will(client.booleanValue("WillEnable"), client.value("WillTopic"),
                        client.value("WillValue"), intOf(client, "WillQoS"), client.booleanValue("WillRetain"),
                        longOf(client, "WillDelayInterval"), longOf(client, "WillMessageExpiryInterval"),
                        client.value("WillContentType"), client.value("WillResponseTopic")))
                .subscriptions(subs)
                .userProperties(props)
                .build();
        return new MqttMtpSettings(client.referencePath(), ctx.endpointId(), c, mq.value("ResponseTopicConfigured"),
                intOf(mq, "PublishQoS"), tls(c), MqttMtpSettings.DEFAULT_SEND_QUEUE_CAPACITY);
    }

    /** TLS files from configuration apply to every TLS client (the Certificate table is not implemented). */
    private MqttMtpSettings.TlsFiles tls(MqttClientSettings c) {
        if (c.transportProtocol() != MqttClientSettings.TransportProtocol.TLS) {
            return null;
        }
        AgentConfig.Tls t = ctx.config().mqtt().tls();
        Path ca = t.caFile().map(Path::of).orElse(null);
        Path cert = t.certFile().map(Path::of).orElse(null);
        Path key = t.keyFile().map(Path::of).orElse(null);
        return ca == null && cert == null ? null : new MqttMtpSettings.TlsFiles(ca, cert, key);
    }

    private void onStatus(Link link, MqttLinkStatus status) {
        if (links.get(link.mtpRef) != link) {
            return; // a link that was replaced or stopped
        }
        boolean wasUp = link.up;
        link.up = status.isUp();
        writeStatus(() -> model.update(tx -> {
            ObjectNode client = model.find(link.clientRef);
            ObjectNode mtp = model.find(link.mtpRef);
            if (client != null) {
                tx.set(client, "Status", status.clientStatus());
                tx.set(client, "ResponseInformation", nz(status.responseInformation()));
                for (ObjectNode s : client.rows("Subscription")) {
                    MqttLinkStatus.SubscriptionStatus st = status.subscriptions().get(s.value("Topic"));
                    tx.set(s, "Status", st == null || !s.booleanValue("Enable") ? "Unsubscribed" : st.tr181());
                }
            }
            if (mtp != null) {
                tx.set(mtp, "Status", status.mtpStatus());
                if (mtp.child("MQTT") != null) {
                    tx.set(mtp.child("MQTT"), "ResponseTopicDiscovered", nz(status.responseInformation()));
                }
            }
        }));
        if (link.up && !wasUp) {
            ctx.records().onChannelUp(link);
        }
    }

    private void writeStatus(Runnable r) {
        writingStatus = true;
        try {
            r.run();
        } finally {
            writingStatus = false;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static int intOf(ObjectNode n, String p) {
        String v = n.value(p);
        return v == null || v.isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(v));
    }

    private static long longOf(ObjectNode n, String p) {
        String v = n.value(p);
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }

    /** The running MTPs (for tests and the health check). */
    public List<MtpChannel> channels() {
        return List.copyOf(links.values());
    }

    @Override
    public void stop() {
        if (model != null) {
            model.removeListener(listener);
        }
        for (Link l : links.values()) {
            stopLink(l);
        }
        links.clear();
    }
}
