package io.uspbridge.adapter.zigbee2mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Zigbee2MQTT adapter reaches Zigbee2MQTT: its own MQTT connection, to Zigbee2MQTT's broker (which need not
 * be the broker the USP controllers use), and how patient it is.
 *
 * @param brokerUrl       {@code tcp://host:1883} or {@code ssl://host:8883}
 * @param clientId        the MQTT client id; must be unique on that broker
 * @param username        null for an anonymous connection
 * @param password        null when there is none
 * @param tls             client TLS files for {@code ssl://} URLs, or null to trust the JVM's CAs without a client
 *                        certificate
 * @param baseTopic       Zigbee2MQTT's {@code mqtt.base_topic}
 * @param writeTimeout    how long a write waits for Zigbee2MQTT to report the new state before failing with TIMEOUT
 * @param requestTimeout  how long a {@code bridge/request/...} waits for its {@code bridge/response/...}
 * @param reconnectMin    the first reconnect delay
 * @param reconnectMax    the largest reconnect delay
 * @param reconnectJitter the random spread of each delay, as a fraction (0.25 = ±25 %)
 * @param keepAlive       MQTT keep-alive
 * @param profileFolder   a folder of user mapping profiles that add to or replace the built-in ones, or null
 */
public record Zigbee2MqttSettings(String brokerUrl, String clientId, String username, String password, Tls tls,
        String baseTopic, Duration writeTimeout, Duration requestTimeout, Duration reconnectMin, Duration reconnectMax,
        double reconnectJitter, Duration keepAlive, Path profileFolder) {

    public static final String DEFAULT_BASE_TOPIC = "zigbee2mqtt";

    /**
     * PEM files for TLS.
     *
     * @param caFile   CA certificates that sign the broker's certificate, or null for the JVM's trust store
     * @param certFile the client certificate chain, or null for no client certificate
     * @param keyFile  the client's private key (unencrypted PKCS#8 or PKCS#1), required with {@code certFile}
     */
    public record Tls(Path caFile, Path certFile, Path keyFile) {
        public Tls {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("a client certificate needs its key file, and a key its certificate");
            }
        }
    }

    public Zigbee2MqttSettings {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        if (!brokerUrl.matches("(tcp|ssl|mqtt|mqtts)://.+")) {
            throw new IllegalArgumentException("broker URL must be tcp://host:port or ssl://host:port: " + brokerUrl);
        }
        // Paho speaks tcp:// and ssl://; Zigbee2MQTT's own settings use mqtt:// and mqtts://.
        brokerUrl = brokerUrl.replaceFirst("^mqtts://", "ssl://").replaceFirst("^mqtt://", "tcp://");
        if (clientId == null || clientId.isBlank()) {
            clientId = "uspbridge-zigbee2mqtt";
        }
        baseTopic = baseTopic == null || baseTopic.isBlank() ? DEFAULT_BASE_TOPIC : baseTopic;
        if (baseTopic.contains("#") || baseTopic.contains("+") || baseTopic.endsWith("/")) {
            throw new IllegalArgumentException("base topic must be a plain topic without wildcards: " + baseTopic);
        }
        writeTimeout = positive(writeTimeout, Duration.ofSeconds(5), "writeTimeout");
        requestTimeout = positive(requestTimeout, Duration.ofSeconds(10), "requestTimeout");
        reconnectMin = positive(reconnectMin, Duration.ofSeconds(1), "reconnectMin");
        reconnectMax = positive(reconnectMax, Duration.ofSeconds(120), "reconnectMax");
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax is shorter than reconnectMin");
        }
        if (reconnectJitter < 0 || reconnectJitter >= 1) {
            throw new IllegalArgumentException("reconnectJitter must be in [0, 1): " + reconnectJitter);
        }
        keepAlive = positive(keepAlive, Duration.ofSeconds(60), "keepAlive");
    }

    private static Duration positive(Duration d, Duration fallback, String name) {
        if (d == null) {
            return fallback;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** Anonymous, no TLS, base topic {@code zigbee2mqtt}, writes time out after 5 s, reconnect 1 s → 120 s ±25 %. */
    public static Zigbee2MqttSettings of(String brokerUrl) {
        return new Zigbee2MqttSettings(brokerUrl, null, null, null, null, null, null, null, null, null, 0.25, null,
                null);
    }

    public Zigbee2MqttSettings withClientId(String id) {
        return new Zigbee2MqttSettings(brokerUrl, id, username, password, tls, baseTopic, writeTimeout, requestTimeout,
                reconnectMin, reconnectMax, reconnectJitter, keepAlive, profileFolder);
    }

    public Zigbee2MqttSettings withCredentials(String user, String pass) {
        return new Zigbee2MqttSettings(brokerUrl, clientId, user, pass, tls, baseTopic, writeTimeout, requestTimeout,
                reconnectMin, reconnectMax, reconnectJitter, keepAlive, profileFolder);
    }

    public Zigbee2MqttSettings withTls(Tls files) {
        return new Zigbee2MqttSettings(brokerUrl, clientId, username, password, files, baseTopic, writeTimeout,
                requestTimeout, reconnectMin, reconnectMax, reconnectJitter, keepAlive, profileFolder);
    }

    public Zigbee2MqttSettings withBaseTopic(String topic) {
        return new Zigbee2MqttSettings(brokerUrl, clientId, username, password, tls, topic, writeTimeout,
                requestTimeout, reconnectMin, reconnectMax, reconnectJitter, keepAlive, profileFolder);
    }

    public Zigbee2MqttSettings withTimeouts(Duration write, Duration request) {
        return new Zigbee2MqttSettings(brokerUrl, clientId, username, password, tls, baseTopic, write, request,
                reconnectMin, reconnectMax, reconnectJitter, keepAlive, profileFolder);
    }

    public Zigbee2MqttSettings withReconnect(Duration min, Duration max, double jitter) {
        return new Zigbee2MqttSettings(brokerUrl, clientId, username, password, tls, baseTopic, writeTimeout,
                requestTimeout, min, max, jitter, keepAlive, profileFolder);
    }

    public Zigbee2MqttSettings withProfileFolder(Path folder) {
        return new Zigbee2MqttSettings(brokerUrl, clientId, username, password, tls, baseTopic, writeTimeout,
                requestTimeout, reconnectMin, reconnectMax, reconnectJitter, keepAlive, folder);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Zigbee2MqttSettings[" + brokerUrl + ", clientId=" + clientId + ", user=" + (username == null ? "-"
                : username) + ", tls=" + (tls != null) + ", baseTopic=" + baseTopic + ", writeTimeout=" + writeTimeout
                + "]";
    }
}
