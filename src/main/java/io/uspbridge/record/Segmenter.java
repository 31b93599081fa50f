package io.uspbridge.record;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending half of segmentation (TR-369 "SAR function algorithm", originating endpoint, PLAINTEXT): a Msg too
 * large for one Record of at most MaxUSPRecordSize bytes, headers included, is split across Records marked BEGIN,
 * INPROCESS… and COMPLETE; payloadrec_sar_state equals payload_sar_state.
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

    /** The SAR state of piece {@code index} of {@code count}. */
    static PayloadSARState state(int index, int count) {
        if (count == 1) {
            return PayloadSARState.NONE;
        }
        return index == 0 ? PayloadSARState.BEGIN
                : index == count - 1 ? PayloadSARState.COMPLETE : PayloadSARState.INPROCESS;
    }
}
