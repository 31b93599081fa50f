package io.uspbridge.proxy.spi;

/** Why an adapter could not do what the core asked; the core maps the reason to a USP error code. */
public class AdapterException extends RuntimeException {

    public enum Reason {
        /** The device or capability is not known to the adapter (it vanished). */
        UNKNOWN_DEVICE,
        /** The device did not answer in time. */
        TIMEOUT,
        /** The device or its bridge refused the request. */
        REJECTED,
        /** The adapter's own link (broker, stick, server) is down. */
        DISCONNECTED,
        /** The value is not acceptable for this device. */
        INVALID_VALUE,
        /** The adapter does not offer this operation. */
        NOT_SUPPORTED
    }

    private final Reason reason;

    public AdapterException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
