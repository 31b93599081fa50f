package io.uspbridge.record;

import io.uspbridge.proto.UspRecord.Record;
import java.util.TreeMap;

/**
 * Records of a Session Context that arrived before the one the agent expects (R-E2E.20 rule 1), held until the
 * gap is filled. Bounded: a Record too far ahead, or one more than the limits allow, cannot be buffered, which
 * fails it (R-E2E.21).
 */
final class EarlyRecords {
    private final int maxRecords;
    private final long maxBytes;
    /** Keyed by sequence_id, compared as the uint64 it is. */
    private final TreeMap<Long, Record> records = new TreeMap<>(Long::compareUnsigned);
    private long bytes;

    EarlyRecords(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    enum Offer { BUFFERED, DUPLICATE, TOO_FAR, FULL }

    /** Holds {@code record} ({@code sequenceId > expectedId}) until its turn. */
    Offer offer(long sequenceId, long expectedId, Record record) {
        if (Long.compareUnsigned(sequenceId - expectedId, maxRecords) > 0) {
            return Offer.TOO_FAR;
        }
        if (records.containsKey(sequenceId)) {
            return Offer.DUPLICATE; // R-E2E.25: the first copy is kept
        }
        int size = payloadBytes(record);
        if (records.size() >= maxRecords || bytes + size > maxBytes) {
            return Offer.FULL;
        }
        records.put(sequenceId, record);
        bytes += size;
        return Offer.BUFFERED;
    }

    /** Removes and returns the Record with {@code sequenceId}, or null when it has not arrived. */
    Record take(long sequenceId) {
        Record r = records.remove(sequenceId);
        if (r != null) {
            bytes -= payloadBytes(r);
        }
        return r;
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    int size() {
        return records.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        records.clear();
        bytes = 0;
    }

    /** The whole Record counts, headers and certificates included: they are memory a peer chose to spend. */
    private static int payloadBytes(Record r) {
        return r.getSerializedSize();
    }
}
