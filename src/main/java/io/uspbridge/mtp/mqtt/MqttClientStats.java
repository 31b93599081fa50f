package io.uspbridge.mtp.mqtt;

import java.time.Instant;

/**
 * TR-181 {@code Device.MQTT.Client.{i}.Stats.}, as counted by the MTP. Packets are counted per MQTT flow at the
 * client API: CONNECT/CONNACK, SUBSCRIBE/SUBACK, UNSUBSCRIBE/UNSUBACK, PUBLISH with its PUBACK or PUBREC/PUBREL/PUBCOMP,
 * PINGREQ/PINGRESP, DISCONNECT.
 *
 * @param brokerConnectionEstablished when the current connection came up, or null while down
 * @param publishDiscarded            PUBLISHes received that did not carry a USP Record (another Content Type); not a
 *                                    TR-181 counter, for operators' metrics
 */
public record MqttClientStats(Instant brokerConnectionEstablished, Instant lastPublishMessageSent,
                              Instant lastPublishMessageReceived, long publishSent, long publishReceived,
                              long subscribeSent, long unSubscribeSent, long mqttMessagesSent,
                              long mqttMessagesReceived, long connectionErrors, long publishErrors,
                              long publishDiscarded) {
}
