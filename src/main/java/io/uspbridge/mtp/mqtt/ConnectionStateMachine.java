package io.uspbridge.mtp.mqtt;

import static io.uspbridge.mtp.mqtt.MqttLinkState.CONNECTING;
import static io.uspbridge.mtp.mqtt.MqttLinkState.DISABLED;
import static io.uspbridge.mtp.mqtt.MqttLinkState.STOPPED;
import static io.uspbridge.mtp.mqtt.MqttLinkState.SUBSCRIBING;
import static io.uspbridge.mtp.mqtt.MqttLinkState.UP;
import static io.uspbridge.mtp.mqtt.MqttLinkState.WAITING_TO_RETRY;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The connection lifecycle of one MQTT MTP, with every allowed transition declared in one place:
 *
 * <pre>
 * from              to
 * STOPPED           CONNECTING (start)
 * CONNECTING        SUBSCRIBING (CONNACK success), WAITING_TO_RETRY (connect failed),
 *                   DISABLED (unusable settings or TLS files), STOPPED
 * SUBSCRIBING       UP (≥1 SUBACK success), WAITING_TO_RETRY (every SUBSCRIBE refused, R-MQTT.17, or lost),
 *                   DISABLED (nothing to subscribe, R-MQTT.16), STOPPED
 * UP                WAITING_TO_RETRY (connection lost, server DISCONNECT), CONNECTING (ForceReconnect), STOPPED
 * WAITING_TO_RETRY  CONNECTING (retry timer, R-MQTT.10), STOPPED
 * DISABLED          CONNECTING (new settings), STOPPED
 * </pre>
 *
 * It also remembers why the link is not up, which decides the TR-181 {@code Client.{i}.Status}. Confined to the
 * MTP's control thread.
 */
final class ConnectionStateMachine {

    /** Why the link left, or could not reach, UP. */
    enum Failure {
        /** No failure: stopped, or on the way up. */
        NONE,
        /** An established connection dropped or the broker sent DISCONNECT; a reconnect is on its way. */
        LOST,
        /** The broker could not be reached (DNS, TCP, timeout). */
        UNREACHABLE,
        /** The broker or TLS refused us (CONNACK reason code, certificate, SUBACK refusals). */
        REFUSED,
        /** The settings cannot work. */
        MISCONFIGURED
    }

    private static final Map<MqttLinkState, Set<MqttLinkState>> ALLOWED = new EnumMap<>(MqttLinkState.class);

    static {
        ALLOWED.put(STOPPED, EnumSet.of(CONNECTING));
        ALLOWED.put(CONNECTING, EnumSet.of(SUBSCRIBING, WAITING_TO_RETRY, DISABLED, STOPPED));
        ALLOWED.put(SUBSCRIBING, EnumSet.of(UP, WAITING_TO_RETRY, DISABLED, STOPPED));
        ALLOWED.put(UP, EnumSet.of(WAITING_TO_RETRY, CONNECTING, STOPPED));
        ALLOWED.put(WAITING_TO_RETRY, EnumSet.of(CONNECTING, STOPPED));
        ALLOWED.put(DISABLED, EnumSet.of(CONNECTING, STOPPED));
    }

    private MqttLinkState state = STOPPED;
    private Failure failure = Failure.NONE;
    private String reason;

    MqttLinkState state() {
        return state;
    }

    Failure failure() {
        return failure;
    }

    /** Why the link is not up, for operators; null when up or stopped. */
    String reason() {
        return reason;
    }

    boolean canMoveTo(MqttLinkState next) {
        return ALLOWED.get(state).contains(next);
    }

    /** Moves to {@code next} with no failure (STOPPED, CONNECTING, SUBSCRIBING, UP). */
    void moveTo(MqttLinkState next) {
        moveTo(next, Failure.NONE, null);
    }

    /** Moves to {@code next}, remembering why. Throws when the transition is not in the table: that is a bug. */
    void moveTo(MqttLinkState next, Failure why, String text) {
        if (next != state && !canMoveTo(next)) {
            throw new IllegalStateException("MQTT link cannot go from " + state + " to " + next);
        }
        state = next;
        failure = why;
        reason = text;
    }

    /** TR-181 {@code Device.MQTT.Client.{i}.Status}. */
    String clientStatus() {
        return switch (state) {
            case STOPPED -> "Disabled";
            case CONNECTING, SUBSCRIBING -> "Connecting";
            case UP -> "Connected";
            case DISABLED -> "Error_Misconfigured";
            case WAITING_TO_RETRY -> switch (failure) {
                case LOST, NONE -> "Connecting";
                case UNREACHABLE -> "Error_BrokerUnreachable";
                case MISCONFIGURED -> "Error_Misconfigured";
                case REFUSED -> "Error";
            };
        };
    }
}
