package io.uspbridge.mtp.mqtt;

import java.util.Map;

/**
 * A snapshot of an MQTT MTP's connection, everything the agent exposes in the data model about it.
 *
 * @param state             the lifecycle state
 * @param clientStatus      TR-181 {@code Device.MQTT.Client.{i}.Status}
 * @param brokerUri         the broker this link talks to
 * @param clientId          the ClientId used for the current or next CONNECT: the configured one, or the Assigned
 *                          Client Identifier once the broker sent one (R-MQTT.9/11); empty before that
 * @param assignedClientId  the Assigned Client Identifier from the broker, or null; the agent stores it into
 *                          {@code Device.MQTT.Client.{i}.ClientID} (R-MQTT.9)
 * @param responseInformation CONNACK Response Information ({@code Client.{i}.ResponseInformation} and
 *                          {@code LocalAgent.MTP.{i}.MQTT.ResponseTopicDiscovered}), or null
 * @param replyToTopic      the agent's reply-to topic while UP (MQTT-8), else null
 * @param maximumQos        the broker's Maximum QoS (2 when it did not say)
 * @param retainAvailable   false when the broker said Retain Available = 0
 * @param subscriptions     {@code Subscription.{i}.Status} per configured topic filter, and the status of the filters
 *                          the link added itself (subscribe-topic, reply-to)
 * @param lastError         why the link is not UP, or null
 */
public record MqttLinkStatus(MqttLinkState state, String clientStatus, String brokerUri, String clientId,
                             String assignedClientId, String responseInformation, String replyToTopic,
                             int maximumQos, boolean retainAvailable, Map<String, SubscriptionStatus> subscriptions,
                             String lastError) {

    /** TR-181 {@code Device.MQTT.Client.{i}.Subscription.{i}.Status}. */
    public enum SubscriptionStatus {
        UNSUBSCRIBED("Unsubscribed"),
        SUBSCRIBING("Subscribing"),
        SUBSCRIBED("Subscribed"),
        UNSUBSCRIBING("Unsubscribing"),
        ERROR("Error");

        private final String tr181;

        SubscriptionStatus(String tr181) {
            this.tr181 = tr181;
        }

        public String tr181() {
            return tr181;
        }
    }

    public MqttLinkStatus {
        subscriptions = Map.copyOf(subscriptions);
    }

    public boolean isUp() {
        return state == MqttLinkState.UP;
    }

    /** TR-181 {@code Device.LocalAgent.MTP.{i}.Status}: Up, Down or Error (misconfigured). */
    public String mtpStatus() {
        return switch (state) {
            case UP -> "Up";
            case DISABLED -> "Error";
            default -> "Down";
        };
    }
}
