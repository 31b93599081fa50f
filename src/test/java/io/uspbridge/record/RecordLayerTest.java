package io.uspbridge.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordLayerTest {
    static final String AGENT = "proto::agent";
    static final String CTL = "proto::controller";

    record Sent(byte[] record, String address, boolean retain) {
        Record parsed() {
            return RecordCodec.parse(record);
        }
    }

    static final class FakeChannel implements MtpChannel {
        final List<Sent> sent = new ArrayList<>();
        boolean up = true;

        @Override
        public String reference() {
            return "Device.LocalAgent.MTP.1";
        }

        @Override
        public String protocol() {
            return "MQTT";
        }

        @Override
        public boolean isUp() {
            return up;
        }

        @Override
        public String agentAddress() {
            return "usp/agent";
        }

        @Override
        public CompletionStage<Void> send(byte[] record, String address, boolean retain) {
            sent.add(new Sent(record, address, retain));
            return CompletableFuture.completedFuture(null);
        }
    }

    static final class FakeDirectory implements ControllerDirectory {
        final Map<String, Standing> standing = new HashMap<>();
        final Map<String, String> learned = new HashMap<>();
        boolean acceptUnknown;
        String configuredTopic = "usp/controller";

        @Override
        public Standing standing(String endpointId) {
            return standing.getOrDefault(endpointId, Standing.UNKNOWN);
        }

        @Override
        public boolean acceptsUnknownControllers() {
            return acceptUnknown;
        }

        @Override
        public List<Route> routes(String endpointId) {
            return standing(endpointId) == Standing.TRUSTED && configuredTopic != null
                    ? List.of(new Route("Device.LocalAgent.MTP.1", configuredTopic, 1, false, false)) : List.of();
        }

        @Override
        public List<String> controllersReachableVia(String mtpReference) {
            return standing.entrySet().stream().filter(e -> e.getValue() == Standing.TRUSTED).map(Map.Entry::getKey)
                    .toList();
        }

        @Override
        public void learnedAddress(String endpointId, String mtpReference, String address) {
            learned.put(endpointId, address);
        }

        @Override
        public String learnedAddress(String endpointId, String mtpReference) {
            return learned.get(endpointId);
        }
    }

    private final FakeChannel channel = new FakeChannel();
    private final FakeDirectory directory = new FakeDirectory();
    private final List<UspMsg.Msg> received = new ArrayList<>();
    private final Map<String, CompletableFuture<UspMsg.Msg>> pending = new HashMap<>();
    private RecordLayer layer;

    @BeforeEach
    void setUp() {
        directory.standing.put(CTL, ControllerDirectory.Standing.TRUSTED);
        layer = new RecordLayer(AGENT, directory, (msg, from) -> {
            received.add(msg);
            CompletableFuture<UspMsg.Msg> f = new CompletableFuture<>();
            pending.put(msg.getHeader().getMsgId(), f);
            return f;
        }, ref -> ref.equals(channel.reference()) ? channel : null, RecordMetrics.NONE);
    }

    static UspMsg.Msg get(String msgId) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.GET))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setGet(UspMsg.Get.newBuilder().addParamPaths("Device.DeviceInfo.")))).build();
    }

    static UspMsg.Msg resp(String msgId) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.GET_RESP))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                        .setGetResp(UspMsg.GetResp.getDefaultInstance()))).build();
    }

    static byte[] record(String from, String to, UspMsg.Msg msg) {
        return Record.newBuilder().setVersion("1.4").setFromId(from).setToId(to)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(msg.toByteString()))
                .build().toByteArray();
    }

    @Test
    void aRequestIsAnsweredOnItsResponseTopicInANoSessionContextRecord() {
        layer.onRecord(record(CTL, AGENT, get("m1")), new ReplyAddress(channel, "reply/here"));
        assertThat(received).extracting(m -> m.getHeader().getMsgId()).containsExactly("m1");
        pending.get("m1").complete(resp("m1"));
        assertThat(channel.sent).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo("reply/here");
            Record r = s.parsed();
            assertThat(r.getToId()).isEqualTo(CTL);
            assertThat(r.getFromId()).isEqualTo(AGENT);
            assertThat(r.getVersion()).isEqualTo("1.4");
            assertThat(RecordCodec.parseMsg(r.getNoSessionContext().getPayload())).isEqualTo(resp("m1"));
        });
    }

    @Test
    void withoutAResponseTopicTheConfiguredTopicIsUsed() {
        layer.onRecord(record(CTL, AGENT, get("m1")), new ReplyAddress(channel, null));
        pending.get("m1").complete(resp("m1"));
        assertThat(channel.sent).singleElement().extracting(Sent::address).isEqualTo("usp/controller");
    }

    @Test
    void tp469_2_2_recordsForAnotherAgentAreDropped() {
        layer.onRecord(record(CTL, "proto::someone-else", get("m1")), new ReplyAddress(channel, "r"));
        assertThat(received).isEmpty();
        assertThat(channel.sent).isEmpty();
    }

    @Test
    void tp469_2_1_recordsFromTheAgentsOwnIdAreDropped() {
        directory.standing.put(AGENT, ControllerDirectory.Standing.TRUSTED);
        layer.onRecord(record(AGENT, AGENT, get("m1")), new ReplyAddress(channel, "r"));
        assertThat(received).isEmpty();
    }

    @Test
    void unknownDisabledAndBannedControllersAreRefused() {
        layer.onRecord(record("proto::stranger", AGENT, get("m1")), new ReplyAddress(channel, "r"));
        directory.standing.put("proto::off", ControllerDirectory.Standing.DISABLED);
        layer.onRecord(record("proto::off", AGENT, get("m2")), new ReplyAddress(channel, "r"));
        directory.standing.put("proto::banned", ControllerDirectory.Standing.BANNED);
        layer.onRecord(record("proto::banned", AGENT, get("m3")), new ReplyAddress(channel, "r"));
        assertThat(received).isEmpty();

        directory.acceptUnknown = true;
        layer.onRecord(record("proto::stranger", AGENT, get("m4")), new ReplyAddress(channel, "r"));
        assertThat(received).extracting(m -> m.getHeader().getMsgId()).containsExactly("m4");
    }

    @Test
    void garbageEmptyAndVersionlessRecordsAreDroppedAndTheLayerKeepsWorking() {
        layer.onRecord(new byte[] {(byte) 0xff, 0x01, 0x02}, new ReplyAddress(channel, "r"));
        layer.onRecord(Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(AGENT)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.getDefaultInstance()).build().toByteArray(),
                new ReplyAddress(channel, "r"));
        layer.onRecord(Record.newBuilder().setFromId(CTL).setToId(AGENT)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(get("x").toByteString()))
                .build().toByteArray(), new ReplyAddress(channel, "r"));
        layer.onRecord(Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(AGENT)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder()
                        .setPayload(ByteString.copyFromUtf8("not a msg \u0000\u00ff")))
                .build().toByteArray(), new ReplyAddress(channel, "r"));
        assertThat(received).isEmpty();
        layer.onRecord(record(CTL, AGENT, get("ok")), new ReplyAddress(channel, "r"));
        assertThat(received).hasSize(1);
    }

    /** A Get whose path holds bytes that are not UTF-8: protobuf refuses the whole Msg (proto3 strings). */
    static byte[] getWithInvalidUtf8(String msgId) {
        byte[] bytes = UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.GET))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setGet(UspMsg.Get.newBuilder().addParamPaths("Device.ZZZZ.")))).build().toByteArray();
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("ZZZZ");
        for (int i = at; i < at + 4; i++) {
            bytes[i] = (byte) 0xC3; // a lead byte without its continuation
        }
        return bytes;
    }

    @Test
    void rMtp5_aRequestWithInvalidUtf8GetsAnErrorNamingItsMsgId() {
        byte[] payload = getWithInvalidUtf8("bad-utf8");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UspMsg.Msg.parseFrom(payload))
                .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
        layer.onRecord(Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(AGENT)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder()
                        .setPayload(ByteString.copyFrom(payload))).build().toByteArray(),
                new ReplyAddress(channel, "reply/here"));
        assertThat(received).as("the message layer never sees it").isEmpty();
        assertThat(channel.sent).singleElement().satisfies(sent -> {
            assertThat(sent.address()).isEqualTo("reply/here");
            UspMsg.Msg answer = RecordCodec.parseMsg(sent.parsed().getNoSessionContext().getPayload());
            assertThat(answer.getHeader().getMsgId()).isEqualTo("bad-utf8");
            assertThat(answer.getHeader().getMsgType()).isEqualTo(UspMsg.Header.MsgType.ERROR);
            assertThat(answer.getBody().getError().getErrCode()).isEqualTo(7100);
            assertThat(answer.getBody().getError().getErrMsg()).contains("UTF-8");
        });
        // Not a request (a response from the controller), or no readable msg_id: dropped silently.
        byte[] notRequest = UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId("r1"))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder().setGetResp(
                        UspMsg.GetResp.newBuilder().addReqPathResults(UspMsg.GetResp.RequestedPathResult.newBuilder()
                                .setRequestedPath("ZZZZ"))))).build().toByteArray();
        byte[] broken = notRequest.clone();
        int at = new String(broken, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("ZZZZ");
        broken[at] = (byte) 0xFF;
        assertThat(RecordCodec.requestMsgId(ByteString.copyFrom(broken))).isEmpty();
        assertThat(RecordCodec.requestMsgId(ByteString.copyFromUtf8("garbage \u0000"))).isEmpty();
        assertThat(RecordCodec.requestMsgId(ByteString.copyFrom(payload))).contains("bad-utf8");
    }

    @Test
    void aDuplicateMsgIdIsIgnoredWhileTheFirstIsInProcess() {
        layer.onRecord(record(CTL, AGENT, get("dup")), new ReplyAddress(channel, "r"));
        layer.onRecord(record(CTL, AGENT, get("dup")), new ReplyAddress(channel, "r"));
        assertThat(received).hasSize(1);
        pending.get("dup").complete(resp("dup"));
        layer.onRecord(record(CTL, AGENT, get("dup")), new ReplyAddress(channel, "r"));
        assertThat(received).as("once answered, the id may be used again").hasSize(2);
    }

    @Test
    void sessionContextRecordsAreRefusedWith7106UntilSessionsExist() {
        byte[] bytes = Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(AGENT)
                .setSessionContext(UspRecord.SessionContextRecord.newBuilder().setSessionId(7).setSequenceId(1)
                        .setExpectedId(1)).build().toByteArray();
        layer.onRecord(bytes, new ReplyAddress(channel, "r"));
        assertThat(channel.sent).singleElement().satisfies(s -> {
            assertThat(s.parsed().getDisconnect().getReasonCode()).isEqualTo(7106);
            assertThat(s.address()).isEqualTo("r");
        });
    }

    @Test
    void mqttConnectRecordsGoToEveryControllerWhenTheMtpComesUp() {
        layer.onChannelUp(channel);
        assertThat(channel.sent).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo("usp/controller");
            assertThat(s.parsed().getMqttConnect().getSubscribedTopic()).isEqualTo("usp/agent");
            assertThat(s.parsed().getMqttConnect().getVersion())
                    .isEqualTo(UspRecord.MQTTConnectRecord.MQTTVersion.V5);
        });
    }

    @Test
    void aControllersConnectRecordTeachesItsReplyTopic() {
        directory.configuredTopic = null;
        byte[] bytes = Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(AGENT)
                .setMqttConnect(UspRecord.MQTTConnectRecord.newBuilder().setSubscribedTopic("ctl/inbox")
                        .setVersion(UspRecord.MQTTConnectRecord.MQTTVersion.V5)).build().toByteArray();
        layer.onRecord(bytes, new ReplyAddress(channel, null));
        layer.onRecord(record(CTL, AGENT, get("m1")), new ReplyAddress(channel, null));
        pending.get("m1").complete(resp("m1"));
        assertThat(channel.sent).singleElement().extracting(Sent::address).isEqualTo("ctl/inbox");
    }

    @Test
    void notificationsUseTheConfiguredRouteAndFailWhenNoMtpIsUp() {
        assertThat(layer.sendToController(CTL, resp("n1")).toCompletableFuture()).isCompleted();
        assertThat(channel.sent).singleElement().extracting(Sent::address).isEqualTo("usp/controller");
        channel.up = false;
        assertThat(layer.sendToController(CTL, resp("n2")).toCompletableFuture()).isCompletedExceptionally();
    }
}
