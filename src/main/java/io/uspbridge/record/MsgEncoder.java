package io.uspbridge.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.GeneratedMessage;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetResp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns a Msg into the payload bytes of a Record: exactly the bytes of {@code msg.toByteArray()}, but a GetResp is
 * written without protobuf-java's generic {@code map<string,string>} serialisation. That one builds a MapEntry per
 * parameter and measures every key and value (UTF-8 length) once to size the message and again to write it; for a
 * Get of 1,000 proxied devices (124,000 parameters, 4 MB) it was about 65 % of the agent loop's CPU (docs/SCALE.md,
 * "Profile"). Here each key and value is encoded to UTF-8 once, the nested lengths are summed bottom-up once, and
 * the bytes are written in one pass into one array.
 *
 * <p>Byte identity with protobuf-java (proto3, non-deterministic mode): fields in field-number order; a string or
 * fixed32 only when it is not empty or zero; a message field or a oneof member whenever it is set, even when empty;
 * a map entry always with both its key (1) and value (2), in the map's iteration order; unpaired surrogates become
 * {@code '?'} as in {@link String#getBytes}, which is also what protobuf-java falls back to. Any other Msg, and a
 * GetResp Msg holding unknown fields anywhere on that path, is encoded by protobuf-java itself.
 */
public final class MsgEncoder {
    private static final int MSG_HEADER = 1;
    private static final int MSG_BODY = 2;
    private static final int BODY_RESPONSE = 2;
    private static final int RESPONSE_GET_RESP = 1;
    private static final int GET_RESP_REQ_PATH_RESULTS = 1;
    private static final int REQ_REQUESTED_PATH = 1;
    private static final int REQ_ERR_CODE = 2;
    private static final int REQ_ERR_MSG = 3;
    private static final int REQ_RESOLVED_PATH_RESULTS = 4;
    private static final int RES_RESOLVED_PATH = 1;
    private static final int RES_RESULT_PARAMS = 2;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    /** The tag of every field written here fits one byte (field numbers 1–4). */
    private static final int TAG_SIZE = 1;

    private MsgEncoder() {
    }

    /** The serialised Msg, identical to {@code msg.toByteString()}. */
    public static ByteString encode(UspMsg.Msg msg) {
        if (!fastPath(msg)) {
            return msg.toByteString();
        }
        // The array is never changed after this, so wrapping it instead of copying is safe.
        return UnsafeByteOperations.unsafeWrap(encodeGetResp(msg));
    }

    /** The serialised Msg, identical to {@code msg.toByteArray()}. */
    public static byte[] toByteArray(UspMsg.Msg msg) {
        return fastPath(msg) ? encodeGetResp(msg) : msg.toByteArray();
    }

    private static boolean fastPath(UspMsg.Msg msg) {
        if (!msg.hasBody() || msg.getBody().getMsgBodyCase() != UspMsg.Body.MsgBodyCase.RESPONSE
                || msg.getBody().getResponse().getRespTypeCase() != UspMsg.Response.RespTypeCase.GET_RESP) {
            return false;
        }
        UspMsg.Response response = msg.getBody().getResponse();
        GetResp get = response.getGetResp();
        if (hasUnknown(msg) || hasUnknown(msg.getBody()) || hasUnknown(response) || hasUnknown(get)) {
            return false;
        }
        for (GetResp.RequestedPathResult req : get.getReqPathResultsList()) {
            if (hasUnknown(req)) {
                return false;
            }
            for (GetResp.ResolvedPathResult res : req.getResolvedPathResultsList()) {
                if (hasUnknown(res)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasUnknown(GeneratedMessage m) {
        return !m.getUnknownFields().asMap().isEmpty();
    }

    /**
     * Two passes over the GetResp. The first encodes every string once into {@code strings} and records each nested
     * message's length in {@code lengths}, in the order the second pass writes them: a length is known before its
     * message is written because it was summed from its parts in the first pass.
     */
    private static byte[] encodeGetResp(UspMsg.Msg msg) {
        GetResp get = msg.getBody().getResponse().getGetResp();
        Layout layout = new Layout(get);
        int getRespSize = layout.measure(get);
        int responseSize = field(RESPONSE_GET_RESP, getRespSize);
        int bodySize = field(BODY_RESPONSE, responseSize);
        int headerSize = msg.hasHeader() ? field(MSG_HEADER, msg.getHeader().getSerializedSize()) : 0;
        int total = headerSize + field(MSG_BODY, bodySize);

        byte[] out = new byte[total];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            if (msg.hasHeader()) {
                cos.writeMessage(MSG_HEADER, msg.getHeader());
            }
            lengthDelimited(cos, MSG_BODY, bodySize);
            lengthDelimited(cos, BODY_RESPONSE, responseSize);
            lengthDelimited(cos, RESPONSE_GET_RESP, getRespSize);
            layout.write(cos, get);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            // Only on a size mismatch, i.e. a bug here: the array was sized from the same layout.
            throw new UncheckedIOException("GetResp encoding wrote a different size than it measured", e);
        }
        return out;
    }

    /** The size of a length-delimited field whose content is {@code contentSize} bytes. */
    private static int field(int number, int contentSize) {
        return TAG_SIZE + CodedOutputStream.computeUInt32SizeNoTag(contentSize) + contentSize;
    }

    private static int stringField(byte[] utf8) {
        return utf8.length == 0 ? 0 : field(0, utf8.length);
    }

    private static void lengthDelimited(CodedOutputStream cos, int number, int size) throws IOException {
        cos.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        cos.writeUInt32NoTag(size);
    }

    private static void bytesField(CodedOutputStream cos, int number, byte[] utf8) throws IOException {
        lengthDelimited(cos, number, utf8.length);
        cos.writeRawBytes(utf8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The strings as UTF-8 and the message lengths of one GetResp, in writing order. */
    private static final class Layout {
        private final byte[][] strings;
        private final int[] lengths;
        private int nextString;
        private int nextLength;

        Layout(GetResp get) {
            int stringCount = 0;
            int lengthCount = 0;
            for (GetResp.RequestedPathResult req : get.getReqPathResultsList()) {
                stringCount += 2;
                lengthCount++;
                for (GetResp.ResolvedPathResult res : req.getResolvedPathResultsList()) {
                    int params = res.getResultParamsCount();
                    stringCount += 1 + 2 * params;
                    lengthCount += 1 + params;
                }
            }
            strings = new byte[stringCount][];
            lengths = new int[lengthCount];
        }

        /** First pass: fills {@link #strings} and {@link #lengths}; the GetResp's own content size. */
        int measure(GetResp get) {
            int size = 0;
            for (GetResp.RequestedPathResult req : get.getReqPathResultsList()) {
                size += field(GET_RESP_REQ_PATH_RESULTS, measure(req));
            }
            return size;
        }

        private int measure(GetResp.RequestedPathResult req) {
            int slot = nextLength++;
            byte[] path = string(req.getRequestedPath());
            byte[] errMsg = string(req.getErrMsg());
            int size = stringField(path) + stringField(errMsg)
                    + (req.getErrCode() != 0 ? TAG_SIZE + Integer.BYTES : 0);
            for (GetResp.ResolvedPathResult res : req.getResolvedPathResultsList()) {
                size += field(REQ_RESOLVED_PATH_RESULTS, measure(res));
            }
            lengths[slot] = size;
            return size;
        }

        private int measure(GetResp.ResolvedPathResult res) {
            int slot = nextLength++;
            int size = stringField(string(res.getResolvedPath()));
            for (Map.Entry<String, String> e : res.getResultParamsMap().entrySet()) {
                byte[] key = string(e.getKey());
                byte[] value = string(e.getValue());
                // A map entry always carries both fields, empty or not (protobuf-java's MapEntry).
                int entry = field(ENTRY_KEY, key.length) + field(ENTRY_VALUE, value.length);
                lengths[nextLength++] = entry;
                size += field(RES_RESULT_PARAMS, entry);
            }
            lengths[slot] = size;
            return size;
        }

        private byte[] string(String s) {
            byte[] b = utf8(s);
            strings[nextString++] = b;
            return b;
        }

        /** Second pass: the GetResp's content, reading back what {@link #measure} stored, in the same order. */
        void write(CodedOutputStream cos, GetResp get) throws IOException {
            nextString = 0;
            nextLength = 0;
            for (GetResp.RequestedPathResult req : get.getReqPathResultsList()) {
                lengthDelimited(cos, GET_RESP_REQ_PATH_RESULTS, lengths[nextLength++]);
                byte[] path = strings[nextString++];
                byte[] errMsg = strings[nextString++];
                if (path.length != 0) {
                    bytesField(cos, REQ_REQUESTED_PATH, path);
                }
                if (req.getErrCode() != 0) {
                    cos.writeFixed32(REQ_ERR_CODE, req.getErrCode());
                }
                if (errMsg.length != 0) {
                    bytesField(cos, REQ_ERR_MSG, errMsg);
                }
                List<GetResp.ResolvedPathResult> resolved = req.getResolvedPathResultsList();
                for (GetResp.ResolvedPathResult res : resolved) {
                    lengthDelimited(cos, REQ_RESOLVED_PATH_RESULTS, lengths[nextLength++]);
                    byte[] resolvedPath = strings[nextString++];
                    if (resolvedPath.length != 0) {
                        bytesField(cos, RES_RESOLVED_PATH, resolvedPath);
                    }
                    for (int i = res.getResultParamsCount(); i > 0; i--) {
                        lengthDelimited(cos, RES_RESULT_PARAMS, lengths[nextLength++]);
                        bytesField(cos, ENTRY_KEY, strings[nextString++]);
                        bytesField(cos, ENTRY_VALUE, strings[nextString++]);
                    }
                }
            }
        }
    }
}
