package io.uspbridge.cli;

import io.uspbridge.proto.UspMsg.Header.MsgType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what the load tool needs to know of a response Record and nothing more: the msg_id, and whether it is a
 * GET_RESP whose every requested path has err_code 0. It walks the Record's and the Msg's fields on the wire and skips
 * the resolved paths and their parameters, instead of building the whole message as {@code usp-ctl get} does (for
 * a controller measuring an agent, that was a good part of its CPU per request, docs/PERFORMANCE.md).
 *
 * <p>It reads the MQTT client's payload buffer in place, by absolute index: that buffer is read-only, and protobuf's
 * own reader would first copy a read-only heap buffer whole (≈250 KB for {@code Get Device.}). The result is a
 * primitive ({@link #check}), so that the receive callback allocates nothing per answer.
 */
final class GetResponseCheck {

    /** A response (ok or not) to the request with {@code msgId}; {@code null} msgId: not a response Record. */
    record Outcome(String msgId, boolean ok) {
        static final Outcome NOT_A_RESPONSE = new Outcome(null, false);
    }

    /** What {@link #check} returns for a Record that is no response. */
    static final long NOT_A_RESPONSE = -1;

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

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private GetResponseCheck() {
    }

    /**
     * A Record's outcome. Records that are no NoSessionContext Record, that cannot be read, that carry no msg_id or
     * carry a request (a Notify) are {@link Outcome#NOT_A_RESPONSE}: the controller handles them as usual.
     */
    static Outcome of(byte[] record) {
        return of(ByteBuffer.wrap(record));
    }

    static Outcome of(ByteBuffer record) {
        long c = check(record);
        if (c == NOT_A_RESPONSE) {
            return Outcome.NOT_A_RESPONSE;
        }
        byte[] id = new byte[msgIdLength(c)];
        record.get(msgIdAt(c), id);
        return new Outcome(new String(id, StandardCharsets.UTF_8), ok(c));
    }

    /**
     * The outcome of the Record between {@code record}'s position and limit, packed: {@link #NOT_A_RESPONSE}, or
     * where its msg_id is in the buffer and whether the answer is ok ({@link #msgIdAt}, {@link #msgIdLength},
     * {@link #ok}). The buffer's position is left as it was.
     */
    static long check(ByteBuffer record) {
        try {
            Wire w = new Wire(record);
            int end = w.find(record.position(), record.limit(), RECORD_NO_SESSION_CONTEXT);
            if (end < 0) {
                return NOT_A_RESPONSE;
            }
            end = w.find(w.pos, end, NO_SESSION_CONTEXT_PAYLOAD);
            return end < 0 ? NOT_A_RESPONSE : msg(w, end);
        } catch (Malformed e) {
            return NOT_A_RESPONSE;
        }
    }

    /** Index in the buffer of the msg_id's first byte. */
    static int msgIdAt(long checked) {
        return (int) (checked >>> 32);
    }

    /** Length in bytes of the msg_id. */
    static int msgIdLength(long checked) {
        return (int) ((checked & 0xffff_ffffL) >>> 1);
    }

    /** A GET_RESP with at least one requested path and no err_code. */
    static boolean ok(long checked) {
        return (checked & 1) != 0;
    }

    private static long msg(Wire w, int end) {
        int idAt = -1;
        int idLength = 0;
        long msgType = -1;
        int bodyKind = 0;
        boolean getRespOk = false;
        while (w.pos < end) {
            int tag = w.tag(end);
            int field = tag >>> 3;
            if (field == MSG_HEADER && (tag & 7) == LENGTH_DELIMITED) {
                int hend = w.lengthDelimited(end);
                while (w.pos < hend) {
                    int htag = w.tag(hend);
                    if (htag >>> 3 == HEADER_MSG_ID && (htag & 7) == LENGTH_DELIMITED) {
                        int idEnd = w.lengthDelimited(hend);
                        idAt = w.pos;
                        idLength = idEnd - w.pos;
                        w.pos = idEnd;
                    } else if (htag >>> 3 == HEADER_MSG_TYPE && (htag & 7) == VARINT) {
                        msgType = w.varint(hend);
                    } else {
                        w.skip(htag, hend);
                    }
                }
            } else if (field == MSG_BODY && (tag & 7) == LENGTH_DELIMITED) {
                int bend = w.lengthDelimited(end);
                while (w.pos < bend) {
                    int btag = w.tag(bend);
                    int bfield = btag >>> 3;
                    if (bfield == BODY_RESPONSE && (btag & 7) == LENGTH_DELIMITED) {
                        bodyKind = BODY_RESPONSE;
                        int rend = w.lengthDelimited(bend);
                        int getRespEnd = w.find(w.pos, rend, RESPONSE_GET_RESP);
                        getRespOk = getRespEnd >= 0 && allPathsOk(w, getRespEnd);
                        w.pos = rend;
                    } else {
                        if (bfield == BODY_REQUEST || bfield == BODY_ERROR) {
                            bodyKind = bfield;
                        }
                        w.skip(btag, bend);
                    }
                }
            } else {
                w.skip(tag, end);
            }
        }
        if (idAt < 0 || idLength == 0 || bodyKind == BODY_REQUEST) {
            return NOT_A_RESPONSE;
        }
        boolean ok = bodyKind == BODY_RESPONSE && getRespOk && msgType == MsgType.GET_RESP_VALUE;
        return ((long) idAt << 32) | ((long) idLength << 1) | (ok ? 1 : 0);
    }

    /** At least one requested path, and none with an err_code; reads from {@code w.pos} to {@code end}. */
    private static boolean allPathsOk(Wire w, int end) {
        int results = 0;
        while (w.pos < end) {
            int tag = w.tag(end);
            if (tag >>> 3 == GET_RESP_REQ_PATH_RESULTS && (tag & 7) == LENGTH_DELIMITED) {
                results++;
                int rend = w.lengthDelimited(end);
                while (w.pos < rend) {
                    int rtag = w.tag(rend);
                    if (rtag >>> 3 == REQ_PATH_RESULT_ERR_CODE && (rtag & 7) == FIXED32) {
                        if (w.fixed32(rend) != 0) {
                            return false;
                        }
                    } else {
                        w.skip(rtag, rend); // the resolved paths and their parameters are not read
                    }
                }
            } else {
                w.skip(tag, end);
            }
        }
        return results > 0;
    }

    /** A Record that is not valid protobuf: thrown without a stack trace, caught in {@link #check}. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super("malformed protobuf", null, false, false);
        }
    }

    /** A read position in a buffer; every read is bounded by the end of the message it is in. */
    private static final class Wire {
        private final ByteBuffer b;
        int pos;

        Wire(ByteBuffer b) {
            this.b = b;
        }

        /**
         * Finds the first length-delimited field {@code number} between {@code from} and {@code end}; leaves
         * {@link #pos} at its contents and returns their end, or -1 when there is none.
         */
        int find(int from, int end, int number) {
            pos = from;
            while (pos < end) {
                int tag = tag(end);
                if (tag >>> 3 == number && (tag & 7) == LENGTH_DELIMITED) {
                    return lengthDelimited(end);
                }
                skip(tag, end);
            }
            return -1;
        }

        int tag(int end) {
            long t = varint(end);
            if (t >>> 3 == 0 || t > 0xffff_ffffL) {
                throw Malformed.INSTANCE; // field number 0 is never valid
            }
            return (int) t;
        }

        long varint(int end) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw Malformed.INSTANCE;
                }
                byte x = b.get(pos++);
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw Malformed.INSTANCE;
        }

        int fixed32(int end) {
            if (end - pos < 4) {
                throw Malformed.INSTANCE;
            }
            int v = (b.get(pos) & 0xff) | (b.get(pos + 1) & 0xff) << 8 | (b.get(pos + 2) & 0xff) << 16
                    | (b.get(pos + 3) & 0xff) << 24;
            pos += 4;
            return v;
        }

        /** Reads a length prefix; leaves {@link #pos} at the contents and returns their end. */
        int lengthDelimited(int end) {
            long length = varint(end);
            if (length < 0 || length > end - pos) {
                throw Malformed.INSTANCE;
            }
            return pos + (int) length;
        }

        void skip(int tag, int end) {
            switch (tag & 7) {
                case VARINT -> varint(end);
                case FIXED64 -> advance(8, end);
                case LENGTH_DELIMITED -> pos = lengthDelimited(end);
                case FIXED32 -> advance(4, end);
                default -> throw Malformed.INSTANCE; // groups (3, 4) are not used by USP; 6 and 7 do not exist
            }
        }

        private void advance(int n, int end) {
            if (end - pos < n) {
                throw Malformed.INSTANCE;
            }
            pos += n;
        }
    }
}
