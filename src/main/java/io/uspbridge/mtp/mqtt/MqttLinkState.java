package io.uspbridge.mtp.mqtt;

/**
 * The states of an MQTT MTP connection; {@link ConnectionStateMachine} declares the transitions between them. The
 * usual path is STOPPED → CONNECTING → SUBSCRIBING → UP; failures lead to WAITING_TO_RETRY and back to CONNECTING.
 */
public enum MqttLinkState {
    /** Not started, or stopped by the agent (Client.{i}.Enable = false). */
    STOPPED,
    /** TCP/TLS connection and CONNECT sent, waiting for CONNACK. */
    CONNECTING,
    /** CONNACK received; SUBSCRIBE sent, waiting for SUBACK. Nothing may be published yet (R-MQTT.17). */
    SUBSCRIBING,
    /** Subscribed to at least one topic filter: Records flow both ways. */
    UP,
    /** The last attempt failed or the connection was lost; a retry is scheduled (R-MQTT.10). */
    WAITING_TO_RETRY,
    /** The settings cannot work (R-MQTT.16 nothing to subscribe, or a misconfiguration); waits for new settings. */
    DISABLED
}
