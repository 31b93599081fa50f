package io.uspbridge.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetResp;
import io.uspbridge.proto.UspMsg.GetResp.RequestedPathResult;
import io.uspbridge.proto.UspMsg.GetResp.ResolvedPathResult;
import io.uspbridge.wire.OutgoingMsg;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A GetResp written by {@link GetRespWriter} must give a controller exactly the bytes protobuf-java writes for the
 * same Msg: every shape is built both ways and compared byte for byte, and parsed back.
 */
class GetRespWriterTest {
    private static final String MSG_ID = "get-1";

    private static UspMsg.Msg expected(RequestedPathResult... results) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(MSG_ID).setMsgType(UspMsg.Header.MsgType.GET_RESP))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder().setGetResp(
                        GetResp.newBuilder().addAllReqPathResults(List.of(results))))).build();
    }

    private static RequestedPathResult found(String requested, ResolvedPathResult... resolved) {
        return RequestedPathResult.newBuilder().setRequestedPath(requested)
                .addAllResolvedPathResults(List.of(resolved)).build();
    }

    private static RequestedPathResult failed(String requested, ErrorCode code, String message) {
        return RequestedPathResult.newBuilder().setRequestedPath(requested).setErrCode(code.code())
                .setErrMsg(message).build();
    }

    private static ResolvedPathResult resolved(String path, Map<String, String> params) {
        return ResolvedPathResult.newBuilder().setResolvedPath(path).putAllResultParams(params).build();
    }

    /** The Msg as the writer writes it when a Get produces what {@code expected} holds. */
    private static OutgoingMsg written(UspMsg.Msg expected) {
        GetRespWriter w = new GetRespWriter();
        for (RequestedPathResult req : expected.getBody().getResponse().getGetResp().getReqPathResultsList()) {
            if (req.getErrCode() != 0) {
                w.pathFailed(req.getRequestedPath(), code(req.getErrCode()), req.getErrMsg());
                continue;
            }
            int mark = w.mark();
            write(w, req.getResolvedPathResultsList());
            w.pathDone(req.getRequestedPath(), mark);
        }
        return w.finish(MSG_ID);
    }

    private static void write(GetRespWriter w, List<ResolvedPathResult> results) {
        for (ResolvedPathResult res : results) {
            w.beginObject(res.getResolvedPath());
            res.getResultParamsMap().forEach(w::param);
            w.endObject();
        }
    }

    private static ErrorCode code(int code) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.code() == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("no ErrorCode " + code);
    }

    /**
     * {@code wellFormed}: every string is valid UTF-16, so the bytes parse back to the Msg; an unpaired surrogate is
     * written as '?' (by protobuf-java too), so such a Msg parses back to what protobuf-java's bytes parse to.
     */
    private static void assertIdentical(UspMsg.Msg msg, boolean wellFormed) throws Exception {
        byte[] expected = msg.toByteArray();
        OutgoingMsg out = written(msg);
        assertThat(out.size()).isEqualTo(expected.length);
        assertThat(out.toByteArray()).isEqualTo(expected);
        // written at an offset into a larger array, as the record layer does
        byte[] framed = new byte[expected.length + 7];
        out.writeTo(framed, 3);
        assertThat(framed).startsWith(0, 0, 0).endsWith(0, 0, 0, 0);
        assertThat(java.util.Arrays.copyOfRange(framed, 3, 3 + expected.length)).isEqualTo(expected);
        assertThat(out.parse()).isEqualTo(wellFormed ? msg : UspMsg.Msg.parseFrom(expected));
        assertThat(out.msgId()).isEqualTo(MSG_ID);
    }

    private static void assertIdentical(UspMsg.Msg msg) throws Exception {
        assertIdentical(msg, true);
    }

    @Test
    void emptyAnswersAndEmptyPartsAreWrittenAsProtobufWritesThem() throws Exception {
        assertIdentical(expected());
        assertIdentical(expected(RequestedPathResult.getDefaultInstance()));
        assertIdentical(expected(found("", ResolvedPathResult.getDefaultInstance())));
        assertIdentical(expected(found("Device.Empty.", resolved("Device.Empty.", Map.of()))));
        assertIdentical(expected(found("Device.ProxiedDevice.")));
    }

    @Test
    void failedPathsKeepTheirCodeAndMessageBesideFoundOnes() throws Exception {
        assertIdentical(expected(
                failed("Device.Nope.", ErrorCode.INVALID_PATH, "no such object"),
                found("Device.DeviceInfo.", resolved("Device.DeviceInfo.", Map.of("Manufacturer", "ACME"))),
                failed("Device.Secret.", ErrorCode.PERMISSION_DENIED, ""),
                failed("", ErrorCode.RESOURCES_EXCEEDED, "text only"),
                failed("Device.Ünï.", ErrorCode.INTERNAL_ERROR, "Device.Ünï.UpTime could not be read 𝄞")));
    }

    @Test
    void emptyKeysAndValuesAreStillWrittenAsBothFieldsOfTheMapEntry() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("", "value of an empty name");
        params.put("Empty", "");
        assertIdentical(expected(found("Device.X.", resolved("Device.X.", params),
                resolved("Device.Y.", Map.of("", "")))));
    }

    @Test
    void nonAsciiStringsAreEncodedAsUtf8() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Name", "Küche — Ώρα 温度");
        params.put("Emoji", "🌡️ 21.5 °C 𝄞");
        params.put("Ünïcödé", "\u0000\u007f\u0080\u07ff\u0800\uffff");
        params.put("Long", "é".repeat(20_000));
        params.put("Longer", "温".repeat(70_000));
        assertIdentical(expected(found("Device.Ä.", resolved("Device.Ä.𝄞.", params))));
    }

    @Test
    void unpairedSurrogatesBecomeWhatProtobufWrites() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Lone\uD800", "high \uD83C alone");
        params.put("Low", "\uDC00 first");
        params.put("End", "ends high \uD83D");
        params.put("Twice", "\uD83D\uD83D\uDE00");
        assertIdentical(expected(found("Device.\uDFFF.", resolved("Device.\uDFFF.", params)),
                failed("Device.\uD800", ErrorCode.INVALID_PATH, "\uDC00 does not exist")), false);
    }

    @Test
    void manyObjectsAcrossManyPagesWithLongLengths() throws Exception {
        // 600 resolved objects of 40 parameters each: lengths of 1 to 4 varint bytes, several MB over many pages
        RequestedPathResult.Builder req = RequestedPathResult.newBuilder().setRequestedPath("Device.ProxiedDevice.");
        for (int d = 1; d <= 600; d++) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int p = 0; p < 40; p++) {
                params.put("IoTCapability." + p + ".Value", p == 7 ? "x".repeat(200 + d * 30) : Integer.toString(d * p));
            }
            req.addResolvedPathResults(resolved("Device.ProxiedDevice." + d + ".", params));
        }
        UspMsg.Msg msg = expected(req.build(), found("Device.DeviceInfo.",
                resolved("Device.DeviceInfo.", Map.of("SoftwareVersion", "1.0"))));
        assertThat(msg.getSerializedSize()).isGreaterThan(2 * 1024 * 1024);
        assertIdentical(msg);
    }

    @Test
    void aDroppedPathLeavesNoTraceOfWhatItHadWritten() throws Exception {
        GetRespWriter w = new GetRespWriter();
        int first = w.mark();
        write(w, List.of(resolved("Device.A.", Map.of("X", "1"))));
        w.pathDone("Device.A.", first);
        // a path that wrote 3 pages' worth, then failed (budget exceeded): all of it is dropped
        int second = w.mark();
        for (int i = 0; i < 1000; i++) {
            write(w, List.of(resolved("Device.B." + i + ".", Map.of("Value", "v".repeat(50)))));
        }
        w.beginObject("Device.B.1000.");   // and one left half-written by a failed read
        w.param("Value", "half");
        w.drop(second);
        w.pathFailed("Device.B.", ErrorCode.RESOURCES_EXCEEDED, "too much");
        int third = w.mark();
        write(w, List.of(resolved("Device.C.", Map.of("Y", "2"))));
        w.pathDone("Device.C.", third);

        UspMsg.Msg expected = expected(found("Device.A.", resolved("Device.A.", Map.of("X", "1"))),
                failed("Device.B.", ErrorCode.RESOURCES_EXCEEDED, "too much"),
                found("Device.C.", resolved("Device.C.", Map.of("Y", "2"))));
        assertThat(w.finish(MSG_ID).toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void randomShapesAreIdentical() throws Exception {
        Random random = new Random(369);
        String alphabet = "aZ09._ éß€𝄞\uD800";
        ErrorCode[] codes = ErrorCode.values();
        for (int n = 0; n < 300; n++) {
            List<RequestedPathResult> results = new java.util.ArrayList<>();
            for (int r = random.nextInt(4); r > 0; r--) {
                String path = text(random, alphabet, 30);
                if (random.nextInt(3) == 0) {
                    results.add(failed(path, codes[random.nextInt(codes.length)], text(random, alphabet, 200)));
                    continue;
                }
                RequestedPathResult.Builder req = RequestedPathResult.newBuilder().setRequestedPath(path);
                for (int o = random.nextInt(5); o > 0; o--) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (int p = random.nextInt(20); p > 0; p--) {
                        params.put(text(random, alphabet, 20), text(random, alphabet, random.nextInt(3) == 0 ? 300 : 10));
                    }
                    req.addResolvedPathResults(resolved(text(random, alphabet, 40), params));
                }
                results.add(req.build());
            }
            assertIdentical(expected(results.toArray(RequestedPathResult[]::new)), false);
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
}
