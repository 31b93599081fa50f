package io.uspbridge.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;

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

    private static Record.Builder header(String to, String from) {
        return Record.newBuilder().setVersion(VERSION).setToId(to).setFromId(from)
                .setPayloadSecurity(Record.PayloadSecurity.PLAINTEXT);
    }

    public static byte[] noSessionContext(String to, String from, UspMsg.Msg msg) {
        return noSessionContextRecord(to, from, msg).toByteArray();
    }

    /** {@link #noSessionContext} as a Record. */
    public static Record noSessionContextRecord(String to, String from, UspMsg.Msg msg) {
        return header(to, from).setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder()
                .setPayload(msg.toByteString())).build();
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
