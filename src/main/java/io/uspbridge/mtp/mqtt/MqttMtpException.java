package io.uspbridge.mtp.mqtt;

/** A Record could not be sent, or a subscription change failed; the message says why, for an operator. */
public class MqttMtpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a publish was refused or failed. */
    public enum Reason {
        /** The link is not UP (connecting, waiting to retry, stopped or disabled). */
        NOT_CONNECTED,
        /** The send queue is full: the broker accepts Records more slowly than the agent produces them. */
        QUEUE_FULL,
        /** The connection went down before the broker acknowledged the Record. */
        CONNECTION_LOST,
        /** The broker answered with a failure reason code (PUBACK/PUBREC ≥ 0x80, SUBACK/UNSUBACK refusals). */
        REFUSED,
        /** The topic or the Record is not acceptable (wildcards in the topic, too large for the broker). */
        INVALID,
        /** The MQTT MTP is stopping. */
        STOPPED
    }

    private final Reason reason;

    public MqttMtpException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MqttMtpException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
