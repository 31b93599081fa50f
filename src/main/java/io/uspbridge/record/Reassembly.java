package io.uspbridge.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import java.util.Arrays;

/**
 * Rebuilds a payload that arrived in segments (TR-369 "Segmented Message Exchange", receiving endpoint): BEGIN
 * starts it, INPROCESS adds to it, COMPLETE ends it; NONE is a whole payload on its own. Segments reach it in
 * sequence_id order (the Session Context sees to that), so any other order is the sender's error. Bounded in
 * bytes and in segments; every violation is a {@link Failure} that fails the Record (R-E2E.21).
 */
final class Reassembly {

    /** A segment that cannot be reassembled. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final int maxBytes;
    private final int maxSegments;
    private byte[] buffer;
    private int length;
    private int segments;
    private long lastSegmentAt;

    Reassembly(int maxBytes, int maxSegments) {
        this.maxBytes = maxBytes;
        this.maxSegments = maxSegments;
    }

    /** Takes one payload; returns the whole payload once it is complete, else null. */
    ByteString accept(PayloadSARState state, ByteString piece, long now) throws Failure {
        switch (state) {
            case NONE -> {
                if (inProgress()) {
                    throw new Failure("a whole payload (NONE) arrived while segment " + (segments + 1)
                            + " of a segmented one was due");
                }
                return piece;
            }
            case BEGIN -> {
                if (inProgress()) {
                    throw new Failure("a new segmented payload (BEGIN) arrived while segment " + (segments + 1)
                            + " of the previous one was due");
                }
                buffer = new byte[Math.min(maxBytes, Math.max(1024, piece.size() * 4))];
                append(piece, now);
                return null;
            }
            case INPROCESS -> {
                requireStarted(state);
                append(piece, now);
                return null;
            }
            case COMPLETE -> {
                requireStarted(state);
                append(piece, now);
                // The buffer is handed over, not copied: a 4 MiB request costs 4 MiB once.
                ByteString whole = UnsafeByteOperations.unsafeWrap(buffer, 0, length);
                clear();
                return whole;
            }
            default -> throw new Failure("unknown payload_sar_state " + state);
        }
    }

    private void requireStarted(PayloadSARState state) throws Failure {
        if (!inProgress()) {
            throw new Failure("segment " + state + " arrived without a BEGIN");
        }
    }

    private void append(ByteString piece, long now) throws Failure {
        if (++segments > maxSegments) {
            throw new Failure("a segmented payload has more than " + maxSegments + " segments");
        }
        if ((long) length + piece.size() > maxBytes) {
            throw new Failure("a segmented payload exceeds " + maxBytes + " bytes");
        }
        if (length + piece.size() > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes, Math.max((long) buffer.length * 2,
                    (long) length + piece.size())));
        }
        piece.copyTo(buffer, length);
        length += piece.size();
        lastSegmentAt = now;
    }

    boolean inProgress() {
        return buffer != null;
    }

    /** When the last segment arrived (meaningful while {@link #inProgress()}). */
    long lastSegmentAt() {
        return lastSegmentAt;
    }

    /** Bytes held now. */
    int bufferedBytes() {
        return buffer == null ? 0 : buffer.length;
    }

    void clear() {
        buffer = null;
        length = 0;
        segments = 0;
    }
}
