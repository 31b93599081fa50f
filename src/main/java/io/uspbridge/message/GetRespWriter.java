package io.uspbridge.message;

import com.google.protobuf.CodedOutputStream;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.wire.OutgoingMsg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a GetResp Msg while the Get walks the model, without building it as protobuf objects: each
 * ResolvedPathResult is encoded as soon as its values are read (into a small reused array, then appended to
 * {@link ChunkedBytes}), so a Get of 1,000 devices keeps ≈ 4 MB alive instead of ≈ 30–40 MB of GetResp objects,
 * strings, maps and copies (docs/SCALE.md). The enclosing messages' sizes are known once the walk is done, so
 * {@link #finish} yields an {@link OutgoingMsg} whose bytes are written once, into the caller's array.
 *
 * <p>The bytes are those protobuf-java writes for the equivalent Msg (proto3): fields in field-number order; a
 * string or fixed32 only when not empty or zero; a map entry always with its key (1) and value (2), in insertion
 * order; an unpaired surrogate becomes {@code '?'}, as protobuf-java's fallback {@link String#getBytes} does.
 */
final class GetRespWriter {
    // Tags: field number << 3 | wire type (2 = length-delimited, 5 = fixed32); every field number here is < 16.
    private static final int MSG_HEADER = 1 << 3 | 2;
    private static final int MSG_BODY = 2 << 3 | 2;
    private static final int BODY_RESPONSE = 2 << 3 | 2;
    private static final int RESPONSE_GET_RESP = 1 << 3 | 2;
    private static final int GET_RESP_REQ_PATH_RESULTS = 1 << 3 | 2;
    private static final int REQ_REQUESTED_PATH = 1 << 3 | 2;
    private static final int REQ_ERR_CODE = 2 << 3 | 5;
    private static final int REQ_ERR_MSG = 3 << 3 | 2;
    private static final int REQ_RESOLVED_PATH_RESULTS = 4 << 3 | 2;
    private static final int RES_RESOLVED_PATH = 1 << 3 | 2;
    private static final int RES_RESULT_PARAMS = 2 << 3 | 2;
    private static final int ENTRY_KEY = 1 << 3 | 2;
    private static final int ENTRY_VALUE = 2 << 3 | 2;

    /** Room kept before an object's content for its tag and length (1 + at most 5 bytes). */
    private static final int PREFIX = 6;

    private final ChunkedBytes resolved = new ChunkedBytes();
    private final List<PathResult> paths = new ArrayList<>();
    /** The ResolvedPathResult being written: its content from {@link #PREFIX} to {@link #end}. */
    private byte[] object = new byte[1024];
    private int end;

    /** One RequestedPathResult: its strings, and its ResolvedPathResults as a range of {@link #resolved}. */
    private record PathResult(byte[] requestedPath, int errCode, byte[] errMsg, int from, int to) {
        int contentSize() {
            return stringField(requestedPath.length) + (errCode != 0 ? 1 + Integer.BYTES : 0)
                    + stringField(errMsg.length) + (to - from);
        }
    }

    /** Where the next requested path's results start; {@link #drop} returns here. */
    int mark() {
        return resolved.size();
    }

    /** Forgets the ResolvedPathResults written since {@code mark}. */
    void drop(int mark) {
        resolved.truncate(mark);
    }

    /** The requested path succeeded with the ResolvedPathResults written since {@code mark}. */
    void pathDone(String requestedPath, int mark) {
        paths.add(new PathResult(utf8(requestedPath), 0, new byte[0], mark, resolved.size()));
    }

    /** The requested path failed (GET-5): no ResolvedPathResults, an error code and message. */
    void pathFailed(String requestedPath, ErrorCode code, String message) {
        int at = resolved.size();
        paths.add(new PathResult(utf8(requestedPath), code.code(), utf8(message), at, at));
    }

    /** Starts a ResolvedPathResult; what an earlier one left unfinished (a failed read) is discarded. */
    void beginObject(String resolvedPath) {
        end = PREFIX;
        int n = utf8Length(resolvedPath);
        if (n != 0) {
            ensure(1 + 5 + n);
            object[end++] = RES_RESOLVED_PATH;
            end = varint(object, end, n);
            end = utf8(resolvedPath, object, end);
        }
    }

    /** One result_params entry of the current ResolvedPathResult. */
    void param(String key, String value) {
        int k = utf8Length(key);
        int v = utf8Length(value);
        // A map entry always carries both fields, empty or not (protobuf-java's MapEntry).
        int entry = 2 + varintSize(k) + k + varintSize(v) + v;
        ensure(1 + 5 + entry);
        byte[] b = object;
        int at = end;
        b[at++] = RES_RESULT_PARAMS;
        at = varint(b, at, entry);
        b[at++] = ENTRY_KEY;
        at = varint(b, at, k);
        at = utf8(key, b, at);
        b[at++] = ENTRY_VALUE;
        at = varint(b, at, v);
        end = utf8(value, b, at);
    }

    /** Appends the current ResolvedPathResult, with its tag and length, to the requested path's results. */
    void endObject() {
        endObject(false);
    }

    /**
     * Appends the current ResolvedPathResult, with its tag and length, to the requested path's results; with
     * {@code copy}, returns those bytes for {@link #appendEncoded} to repeat later, else null.
     */
    byte[] endObject(boolean copy) {
        int content = end - PREFIX;
        int start = PREFIX - 1 - varintSize(content);
        object[start] = REQ_RESOLVED_PATH_RESULTS;
        varint(object, start + 1, content);
        if (!copy) {
            resolved.append(object, start, end - start);
            return null;
        }
        byte[] bytes = Arrays.copyOfRange(object, start, end);
        resolved.appendShared(bytes);
        return bytes;
    }

    /**
     * Appends a ResolvedPathResult that {@link #endObject(boolean)} returned before, by reference: its bytes are
     * copied once, into the Record. It must not change afterwards.
     */
    void appendEncoded(byte[] resolvedPathResult) {
        resolved.appendShared(resolvedPathResult);
    }

    private void ensure(int more) {
        if (end + more > object.length) {
            object = Arrays.copyOf(object, Math.max(end + more, object.length * 2));
        }
    }

    /** The GetResp Msg answering {@code msgId}, with the requested paths in the order they were done. */
    OutgoingMsg finish(String msgId) {
        UspMsg.Header header = UspMsg.Header.newBuilder().setMsgId(msgId)
                .setMsgType(UspMsg.Header.MsgType.GET_RESP).build();
        return new Encoded(header, List.copyOf(paths), resolved);
    }

    /** The GetResp Msg: sizes summed once, bytes written once. */
    private static final class Encoded implements OutgoingMsg {
        private final UspMsg.Header header;
        private final List<PathResult> paths;
        private final ChunkedBytes resolved;
        private final int[] pathSizes;
        private final int getRespSize;
        private final int responseSize;
        private final int bodySize;
        private final int size;

        Encoded(UspMsg.Header header, List<PathResult> paths, ChunkedBytes resolved) {
            this.header = header;
            this.paths = paths;
            this.resolved = resolved;
            pathSizes = new int[paths.size()];
            int g = 0;
            for (int i = 0; i < pathSizes.length; i++) {
                pathSizes[i] = paths.get(i).contentSize();
                g += field(pathSizes[i]);
            }
            getRespSize = g;
            responseSize = field(getRespSize);
            bodySize = field(responseSize);
            size = field(header.getSerializedSize()) + field(bodySize);
        }

        @Override
        public String msgId() {
            return header.getMsgId();
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void writeTo(byte[] dst, int offset) {
            int at = offset;
            int headerSize = header.getSerializedSize();
            dst[at++] = MSG_HEADER;
            at = varint(dst, at, headerSize);
            CodedOutputStream cos = CodedOutputStream.newInstance(dst, at, headerSize);
            try {
                header.writeTo(cos);
                cos.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException("a Header wrote a different size than it measured", e);
            }
            at += headerSize;
            dst[at++] = MSG_BODY;
            at = varint(dst, at, bodySize);
            dst[at++] = BODY_RESPONSE;
            at = varint(dst, at, responseSize);
            dst[at++] = RESPONSE_GET_RESP;
            at = varint(dst, at, getRespSize);
            for (int i = 0; i < pathSizes.length; i++) {
                PathResult p = paths.get(i);
                dst[at++] = GET_RESP_REQ_PATH_RESULTS;
                at = varint(dst, at, pathSizes[i]);
                at = bytesField(dst, at, REQ_REQUESTED_PATH, p.requestedPath());
                if (p.errCode() != 0) {
                    dst[at++] = REQ_ERR_CODE;
                    int c = p.errCode();
                    dst[at++] = (byte) c;
                    dst[at++] = (byte) (c >>> 8);
                    dst[at++] = (byte) (c >>> 16);
                    dst[at++] = (byte) (c >>> 24);
                }
                at = bytesField(dst, at, REQ_ERR_MSG, p.errMsg());
                resolved.copyTo(p.from(), p.to(), dst, at);
                at += p.to() - p.from();
            }
            if (at != offset + size) {
                throw new IllegalStateException("GetResp wrote " + (at - offset) + " bytes, measured " + size);
            }
        }
    }

    /** A string field's bytes; nothing when it is empty (proto3). */
    private static int bytesField(byte[] dst, int at, int tag, byte[] value) {
        if (value.length == 0) {
            return at;
        }
        dst[at++] = (byte) tag;
        at = varint(dst, at, value.length);
        System.arraycopy(value, 0, dst, at, value.length);
        return at + value.length;
    }

    /** The size of a length-delimited field (one-byte tag) of {@code content} bytes. */
    private static int field(int content) {
        return 1 + varintSize(content) + content;
    }

    private static int stringField(int utf8Length) {
        return utf8Length == 0 ? 0 : field(utf8Length);
    }

    static int varintSize(int value) {
        return CodedOutputStream.computeUInt32SizeNoTag(value);
    }

    private static int varint(byte[] dst, int at, int value) {
        while ((value & ~0x7F) != 0) {
            dst[at++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        dst[at++] = (byte) value;
        return at;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The length of {@code s} in UTF-8 as {@link String#getBytes} encodes it (an unpaired surrogate is '?'). */
    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        bytes += 2;     // 4 bytes for the two chars
                        i++;
                    }                   // else '?': one byte, as counted
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Writes {@code s} in UTF-8 at {@code dst[at]} (exactly {@link #utf8Length} bytes); the position after it. */
    static int utf8(String s, byte[] dst, int at) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            dst[at++] = (byte) c;
            i++;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[at++] = (byte) c;
            } else if (c < 0x800) {
                dst[at++] = (byte) (0xC0 | c >>> 6);
                dst[at++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                dst[at++] = (byte) (0xE0 | c >>> 12);
                dst[at++] = (byte) (0x80 | c >>> 6 & 0x3F);
                dst[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[at++] = (byte) (0xF0 | cp >>> 18);
                dst[at++] = (byte) (0x80 | cp >>> 12 & 0x3F);
                dst[at++] = (byte) (0x80 | cp >>> 6 & 0x3F);
                dst[at++] = (byte) (0x80 | cp & 0x3F);
            } else {
                dst[at++] = '?';
            }
        }
        return at;
    }
}
