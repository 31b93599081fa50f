package io.uspbridge.mtp.mqtt;

/**
 * What an {@link MqttMtp} tells the layer above it.
 *
 * <p><b>Threads.</b> {@link #recordReceived} runs on the MQTT client's callback thread, one message after another:
 * while it runs, no further message of this link is delivered and acknowledgements wait. It must hand the bytes over
 * (post them to the agent loop) and return at once, and must not call back into the MTP synchronously in a way that
 * waits for the network. {@link #statusChanged} and {@link #clientIdAssigned} run on the MTP's control thread. An
 * exception thrown by the listener is logged and otherwise ignored.
 */
public interface MqttMtpListener {
    /**
     * A PUBLISH arrived on a subscribed topic and carries a USP Record (Content Type {@code usp.msg},
     * {@code application/vnd.bbf.usp.msg}, or none; R-MQTT.27a).
     *
     * @param record        the payload, owned by the receiver
     * @param responseTopic the MQTT 5 Response Topic: where to send the reply (R-MQTT.26); null when absent
     * @param topic         the topic the message was published to
     */
    void recordReceived(byte[] record, String responseTopic, String topic);

    /** The link's status changed: its state, reply-to topic, subscriptions or client id. */
    default void statusChanged(MqttLinkStatus status) {
    }

    /**
     * The broker assigned a client identifier (the agent connected with an empty ClientID). The agent should store it
     * in {@code Device.MQTT.Client.{i}.ClientID} (R-MQTT.9); the link reuses it on every reconnect to this broker
     * (R-MQTT.11) either way.
     */
    default void clientIdAssigned(String clientId) {
    }
}
