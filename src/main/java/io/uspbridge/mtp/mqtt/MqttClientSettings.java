package io.uspbridge.mtp.mqtt;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One MQTT client connection, parameter for parameter as TR-181 {@code Device.MQTT.Client.{i}} describes it (the
 * agent's data model maps its rows onto this record; see DATA-MODEL.md). Values are validated against the TR-181
 * ranges here; combinations that the data model may hold but that cannot work (WillEnable without WillTopic, an empty
 * BrokerAddress) are reported by {@link #misconfiguration()} and make the link's Status {@code Error_Misconfigured}.
 *
 * <p>Unsigned TR-181 parameters whose MQTT property is optional use 0 for "leave the property out of the packet":
 * SessionExpiryInterval, ReceiveMaximum, MaximumPacketSize, TopicAliasMaximum, PublishMessageExpiryInterval.
 *
 * <p>Not mapped: {@code Interface} (routing is the OS's job here), {@code ProtocolVersion} (always 5.0, R-MQTT.1),
 * {@code CleanSession} and {@code MessageRetryTime} (MQTT 3.1/3.1.1 only), {@code AuthenticationMethod} (enhanced
 * authentication needs an exchange this client does not implement) and {@code ALPN}.
 */
public record MqttClientSettings(
        String brokerAddress,
        int brokerPort,
        TransportProtocol transportProtocol,
        String clientId,
        String username,
        String password,
        int keepAliveTime,
        boolean cleanStart,
        long sessionExpiryInterval,
        int receiveMaximum,
        long maximumPacketSize,
        int topicAliasMaximum,
        boolean requestResponseInfo,
        boolean requestProblemInfo,
        long connectRetryTime,
        int connectRetryIntervalMultiplier,
        long connectRetryMaxInterval,
        long publishMessageExpiryInterval,
        Will will,
        List<Subscription> subscriptions,
        List<UserProperty> userProperties) {

    private static final long UNSIGNED_INT_MAX = 0xFFFF_FFFFL;

    /** {@code Device.MQTT.Client.{i}.TransportProtocol}; the WebSocket transports are not offered. */
    public enum TransportProtocol {
        TCP_IP("TCP/IP", "tcp"),
        TLS("TLS", "ssl");

        private final String tr181;
        private final String scheme;

        TransportProtocol(String tr181, String scheme) {
            this.tr181 = tr181;
            this.scheme = scheme;
        }

        /** The TR-181 enumeration value. */
        public String tr181() {
            return tr181;
        }

        /** The URL scheme Paho uses for it. */
        public String scheme() {
            return scheme;
        }

        public static TransportProtocol fromTr181(String value) {
            for (TransportProtocol t : values()) {
                if (t.tr181.equals(value)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("TransportProtocol " + value + " is not supported (TCP/IP, TLS)");
        }
    }

    /** {@code Device.MQTT.Client.{i}.Subscription.{i}}: a topic filter, its requested QoS and whether it is on. */
    public record Subscription(String topic, int qos, boolean enable) {
        public Subscription {
            if (!TopicFilter.isValidFilter(topic)) {
                throw new IllegalArgumentException("Subscription Topic is not a valid MQTT topic filter: " + topic);
            }
            checkQos("Subscription QoS", qos);
        }

        public static Subscription enabled(String topic, int qos) {
            return new Subscription(topic, qos, true);
        }
    }

    /** Packet types a {@link UserProperty} can go on ({@code UserProperty.{i}.PacketType}). */
    public enum PacketType {
        AUTH, CONNECT, DISCONNECT, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE, WILL
    }

    /**
     * {@code Device.MQTT.Client.{i}.UserProperty.{i}}. Applied to CONNECT, PUBLISH, SUBSCRIBE, UNSUBSCRIBE,
     * DISCONNECT and the Will; the client library sends the acknowledgement and AUTH packets itself, so properties for
     * those are not added.
     */
    public record UserProperty(String name, String value, boolean enable, Set<PacketType> packetTypes) {
        public UserProperty {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            packetTypes = packetTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(packetTypes));
        }

        boolean appliesTo(PacketType type) {
            return enable && packetTypes.contains(type);
        }
    }

    /** The Will parameters of {@code Device.MQTT.Client.{i}} ({@code WillEnable}, {@code WillTopic}, ...). */
    public record Will(boolean enable, String topic, String value, int qos, boolean retain, long delayInterval,
                       long messageExpiryInterval, String contentType, String responseTopic) {
        public Will {
            topic = topic == null ? "" : topic;
            value = value == null ? "" : value;
            contentType = contentType == null ? "" : contentType;
            responseTopic = responseTopic == null ? "" : responseTopic;
            checkQos("WillQoS", qos);
            checkUnsigned("WillDelayInterval", delayInterval);
            checkUnsigned("WillMessageExpiryInterval", messageExpiryInterval);
        }

        /** WillEnable false, TR-181 defaults otherwise. */
        public static Will none() {
            return new Will(false, "", "", 0, false, 5, 0, "", "");
        }
    }

    public MqttClientSettings {
        brokerAddress = brokerAddress == null ? "" : brokerAddress.trim();
        if (brokerPort < 1 || brokerPort > 65535) {
            throw new IllegalArgumentException("BrokerPort must be within [1, 65535]: " + brokerPort);
        }
        Objects.requireNonNull(transportProtocol, "transportProtocol");
        clientId = clientId == null ? "" : clientId;
        if (clientId.length() > 65535) {
            throw new IllegalArgumentException("ClientID is longer than 65535 characters");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        if (username.length() > 256 || password.length() > 256) {
            throw new IllegalArgumentException("Username and Password are limited to 256 characters");
        }
        if (keepAliveTime < 0 || keepAliveTime > 65535) {
            throw new IllegalArgumentException("KeepAliveTime must be within [0, 65535]: " + keepAliveTime);
        }
        checkUnsigned("SessionExpiryInterval", sessionExpiryInterval);
        if (receiveMaximum < 0 || receiveMaximum > 65535) {
            throw new IllegalArgumentException("ReceiveMaximum must be within [0, 65535]: " + receiveMaximum);
        }
        checkUnsigned("MaximumPacketSize", maximumPacketSize);
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65535) {
            throw new IllegalArgumentException("TopicAliasMaximum must be within [0, 65535]: " + topicAliasMaximum);
        }
        // Validates ConnectRetryTime, ConnectRetryIntervalMultiplier and ConnectRetryMaxInterval.
        new ConnectRetryPolicy(connectRetryTime, connectRetryIntervalMultiplier, connectRetryMaxInterval);
        checkUnsigned("PublishMessageExpiryInterval", publishMessageExpiryInterval);
        will = will == null ? Will.none() : will;
        subscriptions = List.copyOf(subscriptions);
        userProperties = List.copyOf(userProperties);
    }

    /** The reconnect policy these settings describe. */
    public ConnectRetryPolicy retryPolicy() {
        return new ConnectRetryPolicy(connectRetryTime, connectRetryIntervalMultiplier, connectRetryMaxInterval);
    }

    /** {@code tcp://host:port} or {@code ssl://host:port}, with IPv6 literals in brackets. */
    public String serverUri() {
        String host = brokerAddress.indexOf(':') >= 0 && !brokerAddress.startsWith("[")
                ? "[" + brokerAddress + "]" : brokerAddress;
        return transportProtocol.scheme() + "://" + host + ":" + brokerPort;
    }

    /** Why these settings cannot connect, or empty when they can (TR-181 Status {@code Error_Misconfigured}). */
    public Optional<String> misconfiguration() {
        if (brokerAddress.isEmpty()) {
            return Optional.of("BrokerAddress is empty");
        }
        if (will.enable() && (will.topic().isEmpty() || will.value().isEmpty())) {
            return Optional.of("WillEnable is true but WillTopic or WillValue is empty");
        }
        if (will.enable() && !TopicFilter.isValidTopicName(will.topic())) {
            return Optional.of("WillTopic is not a valid topic name: " + will.topic());
        }
        if (!password.isEmpty() && username.isEmpty()) {
            // MQTT 5 allows a password without a user name, but TR-181 sends the Password only with a Username.
            return Optional.of("Password is set but Username is empty");
        }
        return Optional.empty();
    }

    /** True when both describe the same broker (an assigned client identifier is only valid there, R-MQTT.11). */
    public boolean sameBroker(MqttClientSettings other) {
        return other != null && brokerAddress.equalsIgnoreCase(other.brokerAddress) && brokerPort == other.brokerPort
                && transportProtocol == other.transportProtocol;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder with the TR-181 "on create" defaults and Request Response Information on (R-MQTT.12). */
    public static Builder builder() {
        return new Builder();
    }

    static void checkQos(String name, int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException(name + " must be 0, 1 or 2: " + qos);
        }
    }

    static void checkUnsigned(String name, long value) {
        if (value < 0 || value > UNSIGNED_INT_MAX) {
            throw new IllegalArgumentException(name + " must be an unsignedInt: " + value);
        }
    }

    /** Builds {@link MqttClientSettings}; starts from the TR-181 defaults. */
    public static final class Builder {
        private String brokerAddress = "";
        private int brokerPort = 1883;
        private TransportProtocol transportProtocol = TransportProtocol.TCP_IP;
        private String clientId = "";
        private String username = "";
        private String password = "";
        private int keepAliveTime = 60;
        private boolean cleanStart = true;
        private long sessionExpiryInterval;
        private int receiveMaximum;
        private long maximumPacketSize;
        private int topicAliasMaximum;
        private boolean requestResponseInfo = true;
        private boolean requestProblemInfo = true;
        private long connectRetryTime = 5;
        private int connectRetryIntervalMultiplier = 2000;
        private long connectRetryMaxInterval = 30720;
        private long publishMessageExpiryInterval;
        private Will will = Will.none();
        private final List<Subscription> subscriptions = new ArrayList<>();
        private final List<UserProperty> userProperties = new ArrayList<>();

        private Builder() {
        }

        private Builder(MqttClientSettings s) {
            brokerAddress = s.brokerAddress;
            brokerPort = s.brokerPort;
            transportProtocol = s.transportProtocol;
            clientId = s.clientId;
            username = s.username;
            password = s.password;
            keepAliveTime = s.keepAliveTime;
            cleanStart = s.cleanStart;
            sessionExpiryInterval = s.sessionExpiryInterval;
            receiveMaximum = s.receiveMaximum;
            maximumPacketSize = s.maximumPacketSize;
            topicAliasMaximum = s.topicAliasMaximum;
            requestResponseInfo = s.requestResponseInfo;
            requestProblemInfo = s.requestProblemInfo;
            connectRetryTime = s.connectRetryTime;
            connectRetryIntervalMultiplier = s.connectRetryIntervalMultiplier;
            connectRetryMaxInterval = s.connectRetryMaxInterval;
            publishMessageExpiryInterval = s.publishMessageExpiryInterval;
            will = s.will;
            subscriptions.addAll(s.subscriptions);
            userProperties.addAll(s.userProperties);
        }

        /**
         * Sets BrokerAddress, BrokerPort and TransportProtocol from {@code tcp://host[:port]} or
         * {@code ssl://host[:port]} (also {@code mqtt://}, {@code mqtts://}); the port defaults to 1883 or 8883.
         */
        public Builder brokerUrl(String url) {
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a broker URL: " + url, e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            TransportProtocol t = switch (scheme) {
                case "tcp", "mqtt" -> TransportProtocol.TCP_IP;
                case "ssl", "tls", "mqtts" -> TransportProtocol.TLS;
                default -> throw new IllegalArgumentException(
                        "broker URL must start with tcp:// or ssl://: " + url);
            };
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("broker URL has no host: " + url);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            this.brokerAddress = host;
            this.brokerPort = uri.getPort() > 0 ? uri.getPort() : (t == TransportProtocol.TLS ? 8883 : 1883);
            this.transportProtocol = t;
            return this;
        }

        public Builder brokerAddress(String v) {
            brokerAddress = v;
            return this;
        }

        public Builder brokerPort(int v) {
            brokerPort = v;
            return this;
        }

        public Builder transportProtocol(TransportProtocol v) {
            transportProtocol = v;
            return this;
        }

        public Builder clientId(String v) {
            clientId = v;
            return this;
        }

        public Builder username(String v) {
            username = v;
            return this;
        }

        public Builder password(String v) {
            password = v;
            return this;
        }

        public Builder keepAliveTime(int v) {
            keepAliveTime = v;
            return this;
        }

        public Builder cleanStart(boolean v) {
            cleanStart = v;
            return this;
        }

        public Builder sessionExpiryInterval(long v) {
            sessionExpiryInterval = v;
            return this;
        }

        public Builder receiveMaximum(int v) {
            receiveMaximum = v;
            return this;
        }

        public Builder maximumPacketSize(long v) {
            maximumPacketSize = v;
            return this;
        }

        public Builder topicAliasMaximum(int v) {
            topicAliasMaximum = v;
            return this;
        }

        public Builder requestResponseInfo(boolean v) {
            requestResponseInfo = v;
            return this;
        }

        public Builder requestProblemInfo(boolean v) {
            requestProblemInfo = v;
            return this;
        }

        public Builder connectRetryTime(long v) {
            connectRetryTime = v;
            return this;
        }

        public Builder connectRetryIntervalMultiplier(int v) {
            connectRetryIntervalMultiplier = v;
            return this;
        }

        public Builder connectRetryMaxInterval(long v) {
            connectRetryMaxInterval = v;
            return this;
        }

        public Builder publishMessageExpiryInterval(long v) {
            publishMessageExpiryInterval = v;
            return this;
        }

        public Builder will(Will v) {
            will = v;
            return this;
        }

        public Builder subscriptions(List<Subscription> v) {
            subscriptions.clear();
            subscriptions.addAll(v);
            return this;
        }

        public Builder subscription(String topic, int qos) {
            subscriptions.add(Subscription.enabled(topic, qos));
            return this;
        }

        public Builder userProperties(List<UserProperty> v) {
            userProperties.clear();
            userProperties.addAll(v);
            return this;
        }

        public MqttClientSettings build() {
            return new MqttClientSettings(brokerAddress, brokerPort, transportProtocol, clientId, username, password,
                    keepAliveTime, cleanStart, sessionExpiryInterval, receiveMaximum, maximumPacketSize,
                    topicAliasMaximum, requestResponseInfo, requestProblemInfo, connectRetryTime,
                    connectRetryIntervalMultiplier, connectRetryMaxInterval, publishMessageExpiryInterval, will,
                    subscriptions, userProperties);
        }
    }
}
