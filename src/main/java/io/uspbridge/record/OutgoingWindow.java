package io.uspbridge.record;

import io.uspbridge.proto.UspRecord.Record;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The Records a Session Context sent and the peer has not acknowledged yet (R-E2E.16), kept to answer retransmit
 * requests. Bounded in count and bytes: past a bound the oldest Record is dropped (a later request for it fails, R-E2E.21).
 */
final class OutgoingWindow {

    /** One sent Record and how often it was resent on request. */
    static final class Sent {
        final long sequenceId;
        final Record record;
        final int size;
        int retransmits;

        Sent(long sequenceId, Record record, int size) {
            this.sequenceId = sequenceId;
            this.record = record;
            this.size = size;
        }
    }

    private final int maxRecords;
    private final long maxBytes;
    /** In sending order, which is sequence order. */
    private final LinkedHashMap<Long, Sent> records = new LinkedHashMap<>();
    private long bytes;

    OutgoingWindow(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Keeps a sent Record; returns how many older Records had to be dropped to stay within the bounds. */
    int add(long sequenceId, Record record, int size) {
        records.put(sequenceId, new Sent(sequenceId, record, size));
        bytes += size;
        int dropped = 0;
        Iterator<Sent> oldest = records.values().iterator();
        while (records.size() > 1 && (records.size() > maxRecords || bytes > maxBytes)) {
            bytes -= oldest.next().size;
            oldest.remove();
            dropped++;
        }
        return dropped;
    }

    /** The kept Record with this sequence_id, or null. */
    Sent get(long sequenceId) {
        return records.get(sequenceId);
    }

    /** The peer expects {@code expectedId} next: every Record before it arrived (R-E2E.16). */
    void acknowledgeBelow(long expectedId) {
        Iterator<Sent> oldest = records.values().iterator();
        while (oldest.hasNext()) {
            Sent s = oldest.next();
            if (Long.compareUnsigned(s.sequenceId, expectedId) >= 0) {
                return;
            }
            bytes -= s.size;
            oldest.remove();
        }
    }

    List<Record> records() {
        List<Record> out = new ArrayList<>(records.size());
        records.values().forEach(s -> out.add(s.record));
        return out;
    }

    int size() {
        return records.size();
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    void clear() {
        records.clear();
        bytes = 0;
    }
}
