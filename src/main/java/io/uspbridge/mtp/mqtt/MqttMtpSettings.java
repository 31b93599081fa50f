package io.uspbridge.mtp.mqtt;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one MQTT MTP needs: the {@code Device.MQTT.Client.{i}} row it uses, the MQTT parameters of the
 * {@code Device.LocalAgent.MTP.{i}.MQTT.} row that references it, the agent's Endpoint ID and its TLS files.
 *
 * @param name                    a label for logs and thread names, e.g. {@code Device.MQTT.Client.1}
 * @param endpointId              the agent's Endpoint ID, sent as CONNECT User Property {@code usp-endpoint-id}
 *                                (R-MQTT.13)
 * @param client                  {@code Device.MQTT.Client.{i}}
 * @param responseTopicConfigured {@code LocalAgent.MTP.{i}.MQTT.ResponseTopicConfigured}; the reply-to topic when
 *                                the broker sends no Response Information (MQTT-8); may be empty
 * @param publishQoS              {@code LocalAgent.MTP.{i}.MQTT.PublishQoS}, lowered to the broker's Maximum QoS
 * @param tls                     CA certificates and client credentials for TLS, or null for the JDK's trust store
 *                                and no client certificate
 * @param sendQueueCapacity       Records waiting to be sent beyond which {@code publish} fails at once; read when the
 *                                MTP is created
 */
public record MqttMtpSettings(String name, String endpointId, MqttClientSettings client,
                              String responseTopicConfigured, int publishQoS, TlsFiles tls,
                              int sendQueueCapacity) {

    public static final int DEFAULT_SEND_QUEUE_CAPACITY = 256;

    /**
     * PEM files for TLS. {@code caCertificates} may hold several certificates (a bundle); null means the JDK's default
     * trust store. {@code clientCertificate} (the chain, leaf first) and {@code clientKey} (PKCS#8, PKCS#1 RSA or SEC1
     * EC, unencrypted) go together or not at all.
     */
    public record TlsFiles(Path caCertificates, Path clientCertificate, Path clientKey) {
        public TlsFiles {
            if ((clientCertificate == null) != (clientKey == null)) {
                throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
            }
        }

        public static TlsFiles trust(Path caCertificates) {
            return new TlsFiles(caCertificates, null, null);
        }
    }

    public MqttMtpSettings {
        name = name == null || name.isBlank() ? "MQTT client" : name;
        Objects.requireNonNull(endpointId, "endpointId");
        if (endpointId.isBlank()) {
            throw new IllegalArgumentException("the agent's Endpoint ID is empty");
        }
        Objects.requireNonNull(client, "client");
        responseTopicConfigured = responseTopicConfigured == null ? "" : responseTopicConfigured;
        if (!responseTopicConfigured.isEmpty() && !TopicFilter.isValidTopicName(responseTopicConfigured)) {
            throw new IllegalArgumentException(
                    "ResponseTopicConfigured must be a topic name without wildcards: " + responseTopicConfigured);
        }
        MqttClientSettings.checkQos("PublishQoS", publishQoS);
        if (sendQueueCapacity < 1) {
            throw new IllegalArgumentException("sendQueueCapacity must be at least 1: " + sendQueueCapacity);
        }
    }

    public static MqttMtpSettings of(String endpointId, MqttClientSettings client, String responseTopicConfigured) {
        return new MqttMtpSettings(null, endpointId, client, responseTopicConfigured, 1, null,
                DEFAULT_SEND_QUEUE_CAPACITY);
    }

    public MqttMtpSettings withClient(MqttClientSettings c) {
        return new MqttMtpSettings(name, endpointId, c, responseTopicConfigured, publishQoS, tls, sendQueueCapacity);
    }

    public MqttMtpSettings withName(String n) {
        return new MqttMtpSettings(n, endpointId, client, responseTopicConfigured, publishQoS, tls, sendQueueCapacity);
    }

    public MqttMtpSettings withResponseTopicConfigured(String t) {
        return new MqttMtpSettings(name, endpointId, client, t, publishQoS, tls, sendQueueCapacity);
    }

    public MqttMtpSettings withPublishQoS(int q) {
        return new MqttMtpSettings(name, endpointId, client, responseTopicConfigured, q, tls, sendQueueCapacity);
    }

    public MqttMtpSettings withTls(TlsFiles t) {
        return new MqttMtpSettings(name, endpointId, client, responseTopicConfigured, publishQoS, t, sendQueueCapacity);
    }

    public MqttMtpSettings withSendQueueCapacity(int c) {
        return new MqttMtpSettings(name, endpointId, client, responseTopicConfigured, publishQoS, tls, c);
    }

    /** Why these settings cannot connect, or empty. */
    public Optional<String> misconfiguration() {
        return client.misconfiguration();
    }
}
