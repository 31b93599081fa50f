package io.uspbridge.cli;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import java.io.IOException;

/**
 * Reads what the load tool needs to know of a response Record and nothing more: the msg_id, and whether it is a
 * GET_RESP whose every requested path has err_code 0. It walks the Record's and the Msg's fields on the wire and skips
 * the resolved paths and their parameters, instead of building the whole message as {@code usp-ctl get} does (for
 * a controller measuring an agent, that was a good part of its CPU per request, docs/PERFORMANCE.md).
 */
final class GetResponseCheck {

    /** A response (ok or not) to the request with {@code msgId}; {@code null} msgId: not a response Record. */
    record Outcome(String msgId, boolean ok) {
        static final Outcome NOT_A_RESPONSE = new Outcome(null, false);
    }

    private static final int RECORD_NO_SESSION_CONTEXT = 7;
    private static final int NO_SESSION_CONTEXT_PAYLOAD = 2;
    private static final int MSG_HEADER = 1;
    private static final int MSG_BODY = 2;
    private static final int HEADER_MSG_ID = 1;
    private static final int HEADER_MSG_TYPE = 2;
    private static final int BODY_REQUEST = 1;
    private static final int BODY_RESPONSE = 2;
    private static final int BODY_ERROR = 3;
    private static final int RESPONSE_GET_RESP = 1;
    private static final int GET_RESP_REQ_PATH_RESULTS = 1;
    private static final int REQ_PATH_RESULT_ERR_CODE = 2;

    private GetResponseCheck() {
    }

    /**
     * A Record's outcome. Records that are no NoSessionContext Record, that cannot be read, that carry no msg_id or
     * carry a request (a Notify) are {@link Outcome#NOT_A_RESPONSE}: the controller handles them as usual.
     */
    static Outcome of(byte[] record) {
        try {
            int[] payload = field(record, 0, record.length, RECORD_NO_SESSION_CONTEXT);
            if (payload == null) {
                return Outcome.NOT_A_RESPONSE;
            }
            int[] msg = field(record, payload[0], payload[1], NO_SESSION_CONTEXT_PAYLOAD);
            return msg == null ? Outcome.NOT_A_RESPONSE : msg(record, msg[0], msg[1]);
        } catch (IOException e) {
            return Outcome.NOT_A_RESPONSE;
        }
    }

    private static Outcome msg(byte[] b, int off, int len) throws IOException {
        String msgId = null;
        int msgType = -1;
        int bodyKind = 0;
        boolean getRespOk = false;
        CodedInputStream in = CodedInputStream.newInstance(b, off, len);
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == MSG_HEADER && isBytes(tag)) {
                int[] h = region(in, off);
                CodedInputStream hin = CodedInputStream.newInstance(b, h[0], h[1]);
                while (!hin.isAtEnd()) {
                    int htag = hin.readTag();
                    if (WireFormat.getTagFieldNumber(htag) == HEADER_MSG_ID && isBytes(htag)) {
                        msgId = hin.readStringRequireUtf8();
                    } else if (WireFormat.getTagFieldNumber(htag) == HEADER_MSG_TYPE
                            && WireFormat.getTagWireType(htag) == WireFormat.WIRETYPE_VARINT) {
                        msgType = hin.readEnum();
                    } else {
                        hin.skipField(htag);
                    }
                }
            } else if (field == MSG_BODY && isBytes(tag)) {
                int[] body = region(in, off);
                CodedInputStream bin = CodedInputStream.newInstance(b, body[0], body[1]);
                while (!bin.isAtEnd()) {
                    int btag = bin.readTag();
                    int bfield = WireFormat.getTagFieldNumber(btag);
                    if (bfield == BODY_RESPONSE && isBytes(btag)) {
                        bodyKind = BODY_RESPONSE;
                        int[] r = region(bin, body[0]);
                        int[] getResp = field(b, r[0], r[1], RESPONSE_GET_RESP);
                        getRespOk = getResp != null && allPathsOk(b, getResp[0], getResp[1]);
                    } else if (bfield == BODY_REQUEST || bfield == BODY_ERROR) {
                        bodyKind = bfield;
                        bin.skipField(btag);
                    } else {
                        bin.skipField(btag);
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        if (msgId == null || msgId.isEmpty() || bodyKind == BODY_REQUEST) {
            return Outcome.NOT_A_RESPONSE;
        }
        return new Outcome(msgId, bodyKind == BODY_RESPONSE && getRespOk && msgType == MsgType.GET_RESP_VALUE);
    }

    /** At least one requested path, and none with an err_code. */
    private static boolean allPathsOk(byte[] b, int off, int len) throws IOException {
        int results = 0;
        CodedInputStream in = CodedInputStream.newInstance(b, off, len);
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == GET_RESP_REQ_PATH_RESULTS && isBytes(tag)) {
                results++;
                int[] r = region(in, off);
                CodedInputStream rin = CodedInputStream.newInstance(b, r[0], r[1]);
                while (!rin.isAtEnd()) {
                    int rtag = rin.readTag();
                    if (WireFormat.getTagFieldNumber(rtag) == REQ_PATH_RESULT_ERR_CODE
                            && WireFormat.getTagWireType(rtag) == WireFormat.WIRETYPE_FIXED32) {
                        if (rin.readFixed32() != 0) {
                            return false;
                        }
                    } else {
                        rin.skipField(rtag); // the resolved paths and their parameters are not read
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        return results > 0;
    }

    /** The {offset, length} in {@code b} of the first length-delimited field {@code number}; null if absent. */
    private static int[] field(byte[] b, int off, int len, int number) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(b, off, len);
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == number && isBytes(tag)) {
                return region(in, off);
            }
            in.skipField(tag);
        }
        return null;
    }

    /** Reads a length prefix and skips the bytes it covers; {offset, length} of them in the whole array. */
    private static int[] region(CodedInputStream in, int base) throws IOException {
        int length = in.readRawVarint32();
        int start = base + in.getTotalBytesRead();
        if (length < 0) {
            throw new IOException("negative length");
        }
        in.skipRawBytes(length);
        return new int[] {start, length};
    }

    private static boolean isBytes(int tag) {
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
}
