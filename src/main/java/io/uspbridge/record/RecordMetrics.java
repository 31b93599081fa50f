package io.uspbridge.record;

/** Counters of the record layer, for Prometheus; the default does nothing. */
public interface RecordMetrics {
    RecordMetrics NONE = new RecordMetrics() {
    };

    default void recordReceived() {
    }

    default void recordSent() {
    }

    /** A received Record that was not processed; {@code reason} is a short stable token, e.g. {@code to_id}. */
    default void recordRejected(String reason) {
    }

    /** Time from a Record's arrival to its response being handed to the MTP. */
    default void requestCompleted(long nanos) {
    }
}
