package io.uspbridge.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.wire.OutgoingMsg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Encodes and decodes USP Records (section 3). The agent always sends the USP version it speaks. */
public final class RecordCodec {
    /** The version the agent writes into every Record it sends (ENC-1). */
    public static final String VERSION = "1.4";

    private RecordCodec() {
    }

    /** Parses a Record; 7100 when the bytes are not one. */
    public static Record parse(byte[] bytes) {
        try {
            return Record.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(ErrorCode.RECORD_NOT_PARSED, "Record could not be parsed: " + e.getMessage());
        }
    }

    /** Parses the Msg carried by a Record; 7100-class failure when it is not one. */
    public static UspMsg.Msg parseMsg(ByteString payload) {
        try {
            return UspMsg.Msg.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(ErrorCode.RECORD_NOT_PARSED, "payload is not a USP Msg: " + e.getMessage());
        }
    }

    // Tags (field number << 3 | wire type) of Msg.header, Msg.body, Header.msg_id and Body.request.
    private static final int MSG_HEADER = tag(1);
    private static final int MSG_BODY = tag(2);
    private static final int HEADER_MSG_ID = tag(1);
    private static final int BODY_REQUEST = tag(1);

    private static int tag(int field) {
        return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /**
     * The msg_id of a payload that {@link #parseMsg} refused, when it can still be read: the payload is a Msg whose
     * body holds a request and whose header has a valid UTF-8 msg_id — typically a request with invalid UTF-8 in
     * one of its own string fields, which protobuf rejects as a whole. Then the sender can get an Error naming its
     * message (R-MTP.5, REC-4) instead of silence. Empty when any of that is missing.
     */
    public static Optional<String> requestMsgId(ByteString payload) {
        try {
            CodedInputStream in = payload.newCodedInput();
            ByteString header = null;
            boolean request = false;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == MSG_HEADER) {
                    header = in.readBytes();
                } else if (tag == MSG_BODY) {
                    request = hasField(in.readBytes(), BODY_REQUEST);
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            if (header == null || !request) {
                return Optional.empty();
            }
            CodedInputStream h = header.newCodedInput();
            for (int tag = h.readTag(); tag != 0; tag = h.readTag()) {
                if (tag == HEADER_MSG_ID) {
                    ByteString id = h.readBytes();
                    return id.isEmpty() || !id.isValidUtf8() ? Optional.empty() : Optional.of(id.toStringUtf8());
                }
                if (!h.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            // not even the envelope can be read: nothing to answer
        }
        return Optional.empty();
    }

    private static boolean hasField(ByteString message, int wantedTag) throws IOException {
        CodedInputStream in = message.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == wantedTag) {
                return true;
            }
            if (!in.skipField(tag)) {
                return false;
            }
        }
        return false;
    }

    /** An Error Msg answering the request {@code msgId} (MSG-7). */
    public static UspMsg.Msg errorMsg(String msgId, ErrorCode code, String text) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.ERROR))
                .setBody(UspMsg.Body.newBuilder().setError(UspMsg.Error.newBuilder().setErrCode(code.code())
                        .setErrMsg(text))).build();
    }

    private static Record.Builder header(String to, String from) {
        return Record.newBuilder().setVersion(VERSION).setToId(to).setFromId(from)
                .setPayloadSecurity(Record.PayloadSecurity.PLAINTEXT);
    }

    // Tags of Record.no_session_context (7) and NoSessionContextRecord.payload (2), both length-delimited.
    private static final int RECORD_NO_SESSION_CONTEXT = tag(7);
    private static final int NO_SESSION_CONTEXT_PAYLOAD = tag(2);

    /**
     * The NoSessionContext Record carrying {@code msg}, written once into one exactly-sized array: the bytes of
     * {@code noSessionContextRecord(to, from, msg).toByteArray()} without building the payload as its own array
     * first (for a 4 MB GetResp that copy was one more multi-MB transient, docs/SCALE.md).
     */
    public static byte[] noSessionContext(String to, String from, OutgoingMsg msg) {
        Record head = header(to, from).build();
        int headSize = head.getSerializedSize();
        int payload = msg.size();
        // proto3: empty bytes are not written; the message field itself is, being set.
        int nsc = payload == 0 ? 0 : 1 + CodedOutputStream.computeUInt32SizeNoTag(payload) + payload;
        int total = headSize + 1 + CodedOutputStream.computeUInt32SizeNoTag(nsc) + nsc;
        byte[] out = new byte[total];
        CodedOutputStream cos = CodedOutputStream.newInstance(out, 0, total - payload);
        try {
            head.writeTo(cos);
            cos.writeUInt32NoTag(RECORD_NO_SESSION_CONTEXT);
            cos.writeUInt32NoTag(nsc);
            if (payload != 0) {
                cos.writeUInt32NoTag(NO_SESSION_CONTEXT_PAYLOAD);
                cos.writeUInt32NoTag(payload);
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("a Record header wrote a different size than it measured", e);
        }
        msg.writeTo(out, total - payload);
        return out;
    }

    /** {@link #noSessionContext} as a Record (for signing, which needs the Record's fields). */
    public static Record noSessionContextRecord(String to, String from, OutgoingMsg msg) {
        return header(to, from).setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder()
                .setPayload(msg.toByteString())).build();
    }

    /** {@link #noSessionContextRecord(String, String, OutgoingMsg)} of a protobuf Msg. */
    public static Record noSessionContextRecord(String to, String from, UspMsg.Msg msg) {
        return noSessionContextRecord(to, from, OutgoingMsg.of(msg));
    }

    /** The MQTT Connect Record sent after the MTP is up (R-MTP.6): our reply-to topic. */
    public static byte[] mqttConnect(String to, String from, String subscribedTopic) {
        return mqttConnectRecord(to, from, subscribedTopic).toByteArray();
    }

    /** {@link #mqttConnect} as a Record. */
    public static Record mqttConnectRecord(String to, String from, String subscribedTopic) {
        return header(to, from).setMqttConnect(UspRecord.MQTTConnectRecord.newBuilder()
                .setVersion(UspRecord.MQTTConnectRecord.MQTTVersion.V5).setSubscribedTopic(subscribedTopic))
                .build();
    }

    /** A Disconnect Record with a 71xx reason (R-MTP.7, R-MTP.9, R-E2E.6a/6b). */
    public static byte[] disconnect(String to, String from, ErrorCode reason, String text) {
        return disconnectRecord(to, from, reason, text).toByteArray();
    }

    /** {@link #disconnect} as a Record. */
    public static Record disconnectRecord(String to, String from, ErrorCode reason, String text) {
        return header(to, from).setDisconnect(UspRecord.DisconnectRecord.newBuilder()
                .setReasonCode(reason.code()).setReason(text)).build();
    }
}
