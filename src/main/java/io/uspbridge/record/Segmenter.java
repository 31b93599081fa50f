package io.uspbridge.record;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending half of segmentation (TR-369 "SAR function algorithm", originating endpoint): a Msg too large for
 * one Record of at most MaxUSPRecordSize bytes, headers included, is split across Records marked BEGIN,
 * INPROCESS… and COMPLETE. PLAINTEXT: payloadrec_sar_state equals payload_sar_state ({@link #split}). TLS12
 * ({@link #pack}): whole TLS records share a Record while they fit, and a TLS record larger than a Record is split
 * with its own payloadrec_sar_state (E2E-15).
 */
final class Segmenter {
    private Segmenter() {
    }

    /**
     * Payload bytes one Record can carry: {@code maxRecordSize} less the widest header the context can write
     * (uint64 ids at their widest varint, both SAR states set) and {@code reservedBytes} for a signature; no limit
     * when {@code maxRecordSize} is 0. Less than 1 when the header alone does not fit.
     */
    static int capacity(Record.Builder envelope, int maxRecordSize, int reservedBytes) {
        if (maxRecordSize == 0) {
            return Integer.MAX_VALUE;
        }
        Record widest = envelope.clone().setSessionContext(SessionContextRecord.newBuilder().setSessionId(-1L)
                .setSequenceId(-1L).setExpectedId(-1L).setRetransmitId(-1L)
                .setPayloadSarState(PayloadSARState.BEGIN).setPayloadrecSarState(PayloadSARState.BEGIN)).build();
        // payload tag (1) + payload length (≤ 5) + growth of the session_context length varint (≤ 4)
        return maxRecordSize - widest.getSerializedSize() - 1 - 5 - 4 - reservedBytes;
    }

    /** The pieces of {@code payload}, each at most {@code capacity} bytes (one piece when it fits). */
    static List<ByteString> split(ByteString payload, int capacity) {
        if (payload.size() <= capacity) {
            return List.of(payload);
        }
        List<ByteString> out = new ArrayList<>(payload.size() / capacity + 1);
        for (int from = 0; from < payload.size(); from += capacity) {
            out.add(payload.substring(from, Math.min(payload.size(), from + capacity)));
        }
        return out;
    }

    /** The payloads of one Record and their payloadrec_sar_state. */
    record Packed(List<ByteString> payloads, PayloadSARState recState) {
    }

    /** Bytes each further payload field of a Record costs besides its content: its tag and length. */
    static final int PAYLOAD_FIELD = 1 + 5;

    /**
     * Lays TLS records into Records of {@code capacity} payload bytes (see {@link #capacity}): consecutive whole
     * TLS records share a Record (payloadrec_sar_state NONE); one that fits no Record is split into Records of its
     * own, BEGIN, INPROCESS… COMPLETE.
     */
    static List<Packed> pack(List<ByteString> tlsRecords, int capacity) {
        List<Packed> out = new ArrayList<>();
        List<ByteString> current = new ArrayList<>();
        long used = 0;
        for (ByteString r : tlsRecords) {
            if (r.size() <= capacity) {
                long cost = current.isEmpty() ? r.size() : (long) r.size() + PAYLOAD_FIELD;
                if (used + cost > capacity) {
                    out.add(new Packed(List.copyOf(current), PayloadSARState.NONE));
                    current.clear();
                    used = 0;
                    cost = r.size();
                }
                current.add(r);
                used += cost;
                continue;
            }
            if (!current.isEmpty()) {
                out.add(new Packed(List.copyOf(current), PayloadSARState.NONE));
                current.clear();
                used = 0;
            }
            List<ByteString> pieces = split(r, capacity);
            for (int i = 0; i < pieces.size(); i++) {
                out.add(new Packed(List.of(pieces.get(i)), state(i, pieces.size())));
            }
        }
        if (!current.isEmpty()) {
            out.add(new Packed(List.copyOf(current), PayloadSARState.NONE));
        }
        return out;
    }

    /** The SAR state of piece {@code index} of {@code count}. */
    static PayloadSARState state(int index, int count) {
        if (count == 1) {
            return PayloadSARState.NONE;
        }
        return index == 0 ? PayloadSARState.BEGIN
                : index == count - 1 ? PayloadSARState.COMPLETE : PayloadSARState.INPROCESS;
    }
}
