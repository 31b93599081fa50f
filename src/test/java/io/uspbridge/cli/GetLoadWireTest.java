package io.uspbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load tool's pre-encoded requests and its reading of responses without a full parse. */
class GetLoadWireTest {

    private static byte[] record(UspMsg.Msg msg) {
        return Record.newBuilder().setVersion("1.4").setToId("proto::agent").setFromId("proto::ctl")
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(msg.toByteString()))
                .build().toByteArray();
    }

    @Test
    void eachRequestIsTheSameGetWithItsOwnMsgId() throws Exception {
        GetRequestTemplate t = new GetRequestTemplate(GetLoadWireTest::record, "Device.DeviceInfo.", "load-x-");
        for (long n : new long[] {0, 42, 9_999_999_999L}) {
            Record r = Record.parseFrom(t.request(n));
            assertThat(r.getToId()).isEqualTo("proto::agent");
            UspMsg.Msg msg = UspMsg.Msg.parseFrom(r.getNoSessionContext().getPayload());
            assertThat(msg.getHeader().getMsgId()).isEqualTo(t.msgId(n));
            assertThat(msg.getHeader().getMsgType()).isEqualTo(MsgType.GET);
            assertThat(msg.getBody().getRequest().getGet().getParamPathsList()).containsExactly("Device.DeviceInfo.");
            assertThat(t.number(t.msgId(n))).isEqualTo(n);
        }
        assertThat(t.msgId(42)).isEqualTo("load-x-0000000042");
        assertThat(t.number("load-y-0000000042")).isEqualTo(-1);
        assertThat(t.number("load-x-42")).isEqualTo(-1);
        assertThat(t.number("load-x-00000000a2")).isEqualTo(-1);
    }

    private static UspMsg.GetResp.RequestedPathResult path(int errCode) {
        UspMsg.GetResp.RequestedPathResult.Builder r = UspMsg.GetResp.RequestedPathResult.newBuilder()
                .setRequestedPath("Device.DeviceInfo.").setErrCode(errCode);
        if (errCode == 0) {
            r.addResolvedPathResults(UspMsg.GetResp.ResolvedPathResult.newBuilder()
                    .setResolvedPath("Device.DeviceInfo.").putResultParams("UpTime", "42")
                    .putResultParams("Manufacturer", "USP Bridge"));
        } else {
            r.setErrMsg("no such path");
        }
        return r.build();
    }

    private static UspMsg.Msg getResp(String id, MsgType type, UspMsg.GetResp.RequestedPathResult... results) {
        return UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId(id).setMsgType(type))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                        .setGetResp(UspMsg.GetResp.newBuilder().addAllReqPathResults(List.of(results)))))
                .build();
    }

    @Test
    void aGetRespWithoutErrorsIsOk() {
        GetResponseCheck.Outcome o = GetResponseCheck.of(record(getResp("m1", MsgType.GET_RESP, path(0))));
        assertThat(o).isEqualTo(new GetResponseCheck.Outcome("m1", true));
    }

    @Test
    void wrongAnswersAreNotOk() {
        assertThat(GetResponseCheck.of(record(getResp("m2", MsgType.GET_RESP, path(0), path(7026)))))
                .isEqualTo(new GetResponseCheck.Outcome("m2", false));
        assertThat(GetResponseCheck.of(record(getResp("m3", MsgType.GET_RESP))))
                .as("no requested path in the answer").isEqualTo(new GetResponseCheck.Outcome("m3", false));
        assertThat(GetResponseCheck.of(record(getResp("m4", MsgType.SET_RESP, path(0)))))
                .isEqualTo(new GetResponseCheck.Outcome("m4", false));
        UspMsg.Msg error = UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId("m5").setMsgType(MsgType.ERROR))
                .setBody(UspMsg.Body.newBuilder().setError(UspMsg.Error.newBuilder().setErrCode(7000))).build();
        assertThat(GetResponseCheck.of(record(error))).isEqualTo(new GetResponseCheck.Outcome("m5", false));
        UspMsg.Msg setResp = UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId("m6").setMsgType(MsgType.GET_RESP))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                        .setSetResp(UspMsg.SetResp.getDefaultInstance()))).build();
        assertThat(GetResponseCheck.of(record(setResp))).isEqualTo(new GetResponseCheck.Outcome("m6", false));
    }

    @Test
    void requestsAndOtherRecordsAreNoResponses() {
        UspMsg.Msg notify = UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId("n1").setMsgType(MsgType.NOTIFY))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setNotify(UspMsg.Notify.newBuilder().setSubscriptionId("s")))).build();
        assertThat(GetResponseCheck.of(record(notify))).isEqualTo(GetResponseCheck.Outcome.NOT_A_RESPONSE);
        byte[] connect = Record.newBuilder().setVersion("1.4").setToId("c").setFromId("a")
                .setMqttConnect(UspRecord.MQTTConnectRecord.newBuilder().setSubscribedTopic("t")).build()
                .toByteArray();
        assertThat(GetResponseCheck.of(connect)).isEqualTo(GetResponseCheck.Outcome.NOT_A_RESPONSE);
        assertThat(GetResponseCheck.of(new byte[] {0x3a, 0x7f, 1})).isEqualTo(GetResponseCheck.Outcome.NOT_A_RESPONSE);
        byte[] garbagePayload = Record.newBuilder().setVersion("1.4").setToId("c").setFromId("a")
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder()
                        .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}))).build().toByteArray();
        assertThat(GetResponseCheck.of(garbagePayload)).isEqualTo(GetResponseCheck.Outcome.NOT_A_RESPONSE);
    }

    @Test
    void aResponseIsReadInPlaceFromAReadOnlyBufferAtAnyPosition() throws Exception {
        GetRequestTemplate t = new GetRequestTemplate(GetLoadWireTest::record, "Device.DeviceInfo.", "load-x-");
        byte[] answer = record(getResp(t.msgId(42), MsgType.GET_RESP, path(0)));
        // The client's buffer: read-only (no array to hand to protobuf) and the Record not at index 0.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(answer.length + 10);
        b.position(7);
        b.put(answer);
        b.position(7).limit(7 + answer.length);
        java.nio.ByteBuffer view = b.asReadOnlyBuffer();
        long c = GetResponseCheck.check(view);
        assertThat(c).isNotEqualTo(GetResponseCheck.NOT_A_RESPONSE);
        assertThat(GetResponseCheck.ok(c)).isTrue();
        assertThat(t.number(view, GetResponseCheck.msgIdAt(c), GetResponseCheck.msgIdLength(c))).isEqualTo(42);
        assertThat(view.position()).isEqualTo(7);
        assertThat(GetResponseCheck.of(view)).isEqualTo(new GetResponseCheck.Outcome(t.msgId(42), true));

        long other = GetResponseCheck.check(java.nio.ByteBuffer.wrap(
                record(getResp("load-y-0000000042", MsgType.GET_RESP, path(0)))));
        assertThat(t.number(java.nio.ByteBuffer.wrap(record(getResp("load-y-0000000042", MsgType.GET_RESP,
                path(0)))), GetResponseCheck.msgIdAt(other), GetResponseCheck.msgIdLength(other))).isEqualTo(-1);
    }

    @Test
    void lengthsThatLeaveTheirMessageAreNoResponse() {
        byte[] good = record(getResp("m7", MsgType.GET_RESP, path(0)));
        assertThat(GetResponseCheck.of(java.util.Arrays.copyOf(good, good.length - 1)))
                .isEqualTo(GetResponseCheck.Outcome.NOT_A_RESPONSE);
        // Field 7 with a length of 2^64 - 1 (a negative varint): never a step backwards.
        byte[] negative = {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThat(GetResponseCheck.of(negative)).isEqualTo(GetResponseCheck.Outcome.NOT_A_RESPONSE);
    }
}
