package io.uspbridge.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.wire.OutgoingMsg;
import org.junit.jupiter.api.Test;

/**
 * A NoSessionContext Record is written in one pass from the encoded Msg: its bytes must be exactly those of the
 * protobuf Record carrying the same payload, for small and multi-MB payloads, and whatever the Msg's encoder.
 */
class RecordCodecTest {

    private static void assertIdentical(String to, String from, UspMsg.Msg msg) {
        byte[] expected = Record.newBuilder().setVersion(RecordCodec.VERSION).setToId(to).setFromId(from)
                .setPayloadSecurity(Record.PayloadSecurity.PLAINTEXT)
                .setNoSessionContext(io.uspbridge.proto.UspRecord.NoSessionContextRecord.newBuilder()
                        .setPayload(msg.toByteString())).build().toByteArray();
        assertThat(RecordCodec.noSessionContext(to, from, OutgoingMsg.of(msg))).isEqualTo(expected);
        // an encoder the codec knows nothing of but its bytes
        ScriptedController.BytesOnly bytes = new ScriptedController.BytesOnly("x", msg.toByteArray());
        assertThat(RecordCodec.noSessionContext(to, from, bytes)).isEqualTo(expected);
        assertThat(RecordCodec.noSessionContextRecord(to, from, bytes).toByteArray()).isEqualTo(expected);
        assertThat(RecordCodec.parse(expected).getNoSessionContext().getPayload().toByteArray())
                .isEqualTo(msg.toByteArray());
    }

    @Test
    void recordsOfSmallAndEmptyMsgs() {
        assertIdentical("proto::controller", "proto::agent", RecordCodec.errorMsg("m1", ErrorCode.MESSAGE_FAILED,
                "Ünïcödé 𝄞"));
        assertIdentical("proto::controller", "proto::agent", UspMsg.Msg.getDefaultInstance());
        assertIdentical("", "", UspMsg.Msg.getDefaultInstance());
        assertIdentical("proto::ctl-ä", "os::012345-Ω", UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId("é")).build());
    }

    @Test
    void recordsOfPayloadsWhoseLengthsTakeTwoToFourBytes() {
        for (int size : new int[] {100, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 4_200_000}) {
            UspMsg.Msg msg = RecordCodec.errorMsg("big", ErrorCode.MESSAGE_FAILED, "e".repeat(size));
            assertIdentical("proto::controller", "proto::agent", msg);
        }
    }
}
