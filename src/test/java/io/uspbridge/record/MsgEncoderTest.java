package io.uspbridge.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetResp;
import io.uspbridge.proto.UspMsg.GetResp.RequestedPathResult;
import io.uspbridge.proto.UspMsg.GetResp.ResolvedPathResult;
import io.uspbridge.proto.UspRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast GetResp encoding must give a controller exactly the bytes protobuf-java would have: every shape is
 * compared byte for byte with {@code msg.toByteArray()} and parsed back.
 */
class MsgEncoderTest {
    private static final UspMsg.Header HEADER = UspMsg.Header.newBuilder().setMsgId("get-1")
            .setMsgType(UspMsg.Header.MsgType.GET_RESP).build();

    private static UspMsg.Msg getResp(UspMsg.Header header, GetResp get) {
        UspMsg.Msg.Builder b = UspMsg.Msg.newBuilder()
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder().setGetResp(get)));
        if (header != null) {
            b.setHeader(header);
        }
        return b.build();
    }

    private static UspMsg.Msg getResp(RequestedPathResult... results) {
        return getResp(HEADER, GetResp.newBuilder().addAllReqPathResults(List.of(results)).build());
    }

    private static RequestedPathResult found(String requested, ResolvedPathResult... resolved) {
        return RequestedPathResult.newBuilder().setRequestedPath(requested)
                .addAllResolvedPathResults(List.of(resolved)).build();
    }

    private static ResolvedPathResult resolved(String path, Map<String, String> params) {
        return ResolvedPathResult.newBuilder().setResolvedPath(path).putAllResultParams(params).build();
    }

    /** Asserts byte identity with protobuf-java (both entry points) and that the bytes parse back to the Msg. */
    private static void assertIdentical(UspMsg.Msg msg) throws InvalidProtocolBufferException {
        assertIdentical(msg, true);
    }

    /**
     * {@code wellFormed}: every string is valid UTF-16, so the Msg parses back to itself; an unpaired surrogate is
     * written as '?' (by protobuf-java too), so such a Msg parses back to what protobuf-java's bytes parse to.
     */
    private static void assertIdentical(UspMsg.Msg msg, boolean wellFormed) throws InvalidProtocolBufferException {
        byte[] expected = msg.toByteArray();
        assertThat(MsgEncoder.toByteArray(msg)).isEqualTo(expected);
        ByteString encoded = MsgEncoder.encode(msg);
        assertThat(encoded.toByteArray()).isEqualTo(expected);
        assertThat(UspMsg.Msg.parseFrom(encoded)).isEqualTo(wellFormed ? msg : UspMsg.Msg.parseFrom(expected));
    }

    @Test
    void emptyGetRespsAndEmptyPartsAreWrittenAsProtobufWritesThem() throws Exception {
        assertIdentical(getResp());
        assertIdentical(getResp(null, GetResp.getDefaultInstance()));
        assertIdentical(getResp(UspMsg.Header.getDefaultInstance(), GetResp.getDefaultInstance()));
        // a requested path result with nothing set, a resolved one with no path and no parameters
        assertIdentical(getResp(RequestedPathResult.getDefaultInstance()));
        assertIdentical(getResp(found("", ResolvedPathResult.getDefaultInstance())));
        assertIdentical(getResp(found("Device.Empty.", resolved("Device.Empty.", Map.of()))));
    }

    @Test
    void errorsPerPathKeepTheirCodeAndMessage() throws Exception {
        assertIdentical(getResp(
                RequestedPathResult.newBuilder().setRequestedPath("Device.Nope.")
                        .setErrCode(ErrorCode.INVALID_PATH.code()).setErrMsg("no such object").build(),
                found("Device.DeviceInfo.", resolved("Device.DeviceInfo.", Map.of("Manufacturer", "ACME"))),
                RequestedPathResult.newBuilder().setRequestedPath("Device.Secret.").setErrCode(7006).build(),
                RequestedPathResult.newBuilder().setErrMsg("text only").build(),
                // a fixed32 with the top bit set is written as its four bytes, not a negative number
                RequestedPathResult.newBuilder().setRequestedPath("x").setErrCode(0xFFFF_FFFF).build()));
    }

    @Test
    void emptyKeysAndValuesAreStillWrittenAsBothFieldsOfTheMapEntry() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("", "value of an empty name");
        params.put("Empty", "");
        assertIdentical(getResp(found("Device.X.", resolved("Device.X.", params),
                resolved("Device.Y.", Map.of("", "")))));
    }

    @Test
    void nonAsciiStringsAreEncodedAsUtf8() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Name", "Küche — Ώρα 温度");
        params.put("Emoji", "🌡️ 21.5 °C 𝄞");
        params.put("Ünïcödé", "\u0000\u007f\u0080\u07ff\u0800\uffff");
        params.put("Long", "é".repeat(20_000));
        assertIdentical(getResp(found("Device.Ä.", resolved("Device.Ä.𝄞.", params))));
    }

    @Test
    void unpairedSurrogatesBecomeWhatProtobufWrites() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Lone\uD800", "high \uD83C alone");
        params.put("Low", "\uDC00 first");
        params.put("End", "ends high \uD83D");
        assertIdentical(getResp(found("Device.\uDFFF.", resolved("Device.\uDFFF.", params))), false);
    }

    @Test
    void manyPathsWithManyParametersAndLongLengths() throws Exception {
        // 600 resolved objects of 40 parameters each: lengths from 1 to 4 varint bytes, a message of several MB
        RequestedPathResult.Builder req = RequestedPathResult.newBuilder().setRequestedPath("Device.ProxiedDevice.");
        for (int d = 1; d <= 600; d++) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int p = 0; p < 40; p++) {
                params.put("IoTCapability." + p + ".Value", p == 7 ? "x".repeat(200 + d * 30) : Integer.toString(d * p));
            }
            req.addResolvedPathResults(resolved("Device.ProxiedDevice." + d + ".", params));
        }
        UspMsg.Msg msg = getResp(req.build(), found("Device.DeviceInfo.",
                resolved("Device.DeviceInfo.", Map.of("SoftwareVersion", "1.0"))));
        assertThat(msg.getSerializedSize()).isGreaterThan(2 * 1024 * 1024);
        assertIdentical(msg);
    }

    @Test
    void randomShapesAreIdentical() throws Exception {
        Random random = new Random(369);
        String alphabet = "aZ09._ éß€𝄞\uD800";
        for (int n = 0; n < 300; n++) {
            GetResp.Builder get = GetResp.newBuilder();
            for (int r = random.nextInt(4); r > 0; r--) {
                RequestedPathResult.Builder req = RequestedPathResult.newBuilder()
                        .setRequestedPath(text(random, alphabet, 30));
                if (random.nextInt(3) == 0) {
                    req.setErrCode(random.nextInt()).setErrMsg(text(random, alphabet, 200));
                }
                for (int o = random.nextInt(5); o > 0; o--) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (int p = random.nextInt(20); p > 0; p--) {
                        params.put(text(random, alphabet, 20), text(random, alphabet, random.nextInt(3) == 0 ? 300 : 10));
                    }
                    req.addResolvedPathResults(resolved(text(random, alphabet, 40), params));
                }
                get.addReqPathResults(req);
            }
            assertIdentical(getResp(random.nextBoolean() ? HEADER : null, get.build()), false);
        }
    }

    private static String text(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                    random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return s.toString();
    }

    @Test
    void unknownFieldsOnTheGetRespPathArePreservedLikeProtobufDoes() throws Exception {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build();
        ResolvedPathResult res = resolved("Device.X.", Map.of("A", "1")).toBuilder().setUnknownFields(unknown).build();
        assertIdentical(getResp(found("Device.X.", res)));
        RequestedPathResult req = found("Device.Y.").toBuilder().setUnknownFields(unknown).build();
        assertIdentical(getResp(req));
        assertIdentical(getResp(found("Device.Z.")).toBuilder().setUnknownFields(unknown).build());
    }

    @Test
    void otherMsgsPassThroughProtobuf() throws Exception {
        assertIdentical(UspMsg.Msg.getDefaultInstance());
        assertIdentical(UspMsg.Msg.newBuilder().setHeader(HEADER).build());
        assertIdentical(UspMsg.Msg.newBuilder().setHeader(HEADER).setBody(UspMsg.Body.getDefaultInstance()).build());
        assertIdentical(UspMsg.Msg.newBuilder().setBody(UspMsg.Body.newBuilder()
                .setResponse(UspMsg.Response.getDefaultInstance())).build());
        assertIdentical(RecordCodec.errorMsg("m1", ErrorCode.MESSAGE_FAILED, "Ünïcödé 𝄞"));
        assertIdentical(UspMsg.Msg.newBuilder().setHeader(HEADER).setBody(UspMsg.Body.newBuilder().setRequest(
                UspMsg.Request.newBuilder().setGet(UspMsg.Get.newBuilder().addParamPaths("Device.").setMaxDepth(2))))
                .build());
        assertIdentical(UspMsg.Msg.newBuilder().setHeader(HEADER).setBody(UspMsg.Body.newBuilder().setResponse(
                UspMsg.Response.newBuilder().setGetInstancesResp(UspMsg.GetInstancesResp.newBuilder()
                        .addReqPathResults(UspMsg.GetInstancesResp.RequestedPathResult.newBuilder()
                                .setRequestedPath("Device.ProxiedDevice.")
                                .addCurrInsts(UspMsg.GetInstancesResp.CurrInstance.newBuilder()
                                        .setInstantiatedObjPath("Device.ProxiedDevice.1.")
                                        .putUniqueKeys("Alias", "cpe-1"))))))
                .build());
    }

    @Test
    void theRecordsTheAgentSendsCarryTheSameBytesAsBefore() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Name", "Wohnzimmer 🌡️");
        params.put("Value", "21.5");
        UspMsg.Msg msg = getResp(found("Device.ProxiedDevice.", resolved("Device.ProxiedDevice.1.", params)));
        UspRecord.Record record = RecordCodec.noSessionContextRecord("proto::controller", "proto::agent", msg);
        assertThat(record.getNoSessionContext().getPayload().toByteArray()).isEqualTo(msg.toByteArray());
    }
}
