package io.uspbridge.message;

import static io.uspbridge.message.UspExchange.error;
import static io.uspbridge.message.UspExchange.response;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.RowLifecycle;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.Transaction;
import io.uspbridge.model.ValueType;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.record.RecordCodec;
import io.uspbridge.record.RecordLayer;
import io.uspbridge.record.RecordMetrics;
import io.uspbridge.record.RecordingChannel;
import io.uspbridge.record.TrustedControllers;
import io.uspbridge.security.Permissions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests, sent as Records through the record layer to the handlers on a real agent loop:
 * each gets a clear USP error, nothing is half-applied, and the loop answers the next request as usual.
 */
class HostileRequestsTest {
    private static final String AGENT = "proto::agent";
    private static final String CTL = UspExchange.CONTROLLER;

    private AgentLoop loop;
    private DataModel model;
    private RecordLayer layer;
    private final RecordingChannel channel = new RecordingChannel();
    private int ids;

    @BeforeEach
    void setUp() throws Exception {
        loop = new AgentLoop("agent-loop");
        model = loop.submit(() -> {
            DataModel m = MessageFixture.model();
            m.bindToCurrentThread();
            MessageFixture.subscription(m, "a", true, 5);
            return m;
        }).get(5, TimeUnit.SECONDS);
        MessageDispatcher dispatcher = MessageHandlers.register(new MessageDispatcher(c -> Permissions.ALL), model,
                MessageSettings.defaults(), loop);
        layer = new RecordLayer(AGENT, new TrustedControllers(CTL), dispatcher, ref -> channel, RecordMetrics.NONE);
    }

    @AfterEach
    void tearDown() {
        // Whatever came before, the loop still answers an ordinary request.
        UspMsg.Msg alive = exchange(msg(UspExchange.get(0, "Device.LocalAgent.EndpointID")).toByteArray());
        assertThat(response(alive).getGetResp().getReqPathResults(0).getErrCode()).isZero();
        loop.close();
    }

    private UspMsg.Msg msg(UspMsg.Request request) {
        return Messages.request("h" + (++ids), UspExchange.typeOf(request), request);
    }

    /** Sends one Msg (as bytes) in a Record from the controller and returns the Msg the agent answered. */
    private UspMsg.Msg exchange(byte[] msgBytes) {
        int before = channel.sent().size();
        byte[] record = UspRecord.Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(AGENT)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder()
                        .setPayload(ByteString.copyFrom(msgBytes))).build().toByteArray();
        loop.execute(() -> layer.onRecord(record, new ReplyAddress(channel, "usp/controller")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> channel.sent().size() > before);
        byte[] sent = channel.sent().get(before);
        UspRecord.Record answer = RecordCodec.parse(sent);
        // The agent writes its Records itself (a GetResp never exists as protobuf objects): they must be exactly
        // what protobuf-java writes for the same Record.
        assertThat(answer.toByteArray()).isEqualTo(sent);
        assertThat(RecordCodec.parseMsg(answer.getNoSessionContext().getPayload()).toByteArray())
                .isEqualTo(answer.getNoSessionContext().getPayload().toByteArray());
        return RecordCodec.parseMsg(answer.getNoSessionContext().getPayload());
    }

    private UspMsg.Msg exchange(UspMsg.Request request) {
        return exchange(msg(request).toByteArray());
    }

    @Test
    void anUnknownRequestTypeIs7001() {
        UspMsg.Request future = UspMsg.Request.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("new"))
                        .build()).build()).build();
        UspMsg.Msg answer = exchange(Messages.request("future-1", MsgType.GET, future).toByteArray());
        assertThat(answer.getHeader().getMsgId()).isEqualTo("future-1");
        assertThat(error(answer).getErrCode()).isEqualTo(7001);
        UspMsg.Msg notify = exchange(UspMsg.Request.newBuilder().setNotify(UspMsg.Notify.newBuilder()
                .setSubscriptionId("x")).build());
        assertThat(error(notify).getErrCode()).as("an agent takes no Notify").isEqualTo(7001);
    }

    @Test
    void aMsgWithoutBodyOrRequestTypeIs7004() {
        UspMsg.Msg noBody = UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId("nb")).build();
        assertThat(error(exchange(noBody.toByteArray())).getErrCode()).isEqualTo(7004);
        UspMsg.Msg emptyRequest = Messages.request("er", MsgType.GET, UspMsg.Request.getDefaultInstance());
        assertThat(error(exchange(emptyRequest.toByteArray())).getErrCode()).isEqualTo(7004);
    }

    @Test
    void theBodyDecidesNotTheMsgType() {
        UspMsg.Msg mislabelled = Messages.request("ml", MsgType.DELETE, UspExchange.get(0,
                "Device.LocalAgent.Subscription.1.ID"));
        UspMsg.Msg answer = exchange(mislabelled.toByteArray());
        assertThat(answer.getHeader().getMsgType()).isEqualTo(MsgType.GET_RESP);        // R-MSG.10
        assertThat(model.findTable("Device.LocalAgent.Subscription.").size()).isEqualTo(1);
    }

    @Test
    void emptyPathsAreErrors() {
        assertThat(error(exchange(UspExchange.get(0))).getErrCode()).isEqualTo(7004);
        assertThat(error(exchange(UspExchange.gsdm(true, true))).getErrCode()).isEqualTo(7004);
        assertThat(error(exchange(UspExchange.delete(true))).getErrCode()).isEqualTo(7004);
        assertThat(error(exchange(UspExchange.add(true))).getErrCode()).isEqualTo(7004);
        UspMsg.GetResp r = response(exchange(UspExchange.get(0, "", " ", "."))).getGetResp();
        assertThat(r.getReqPathResultsList()).extracting(p -> p.getErrCode()).containsExactly(7008, 7008, 7008);
    }

    @Test
    void aGetOfTenThousandPathsIsRefusedAsAWhole() {
        String[] paths = new String[10_000];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = "Device.LocalAgent.Subscription.*.";
        }
        UspMsg.Error e = error(exchange(UspExchange.get(0, paths)));
        assertThat(e.getErrCode()).isEqualTo(7005);
        assertThat(e.getErrMsg()).contains("10000 paths");
        UspMsg.Error gin = error(exchange(UspMsg.Request.newBuilder().setGetInstances(UspMsg.GetInstances
                .newBuilder().addAllObjPaths(List.of(paths))).build()));
        assertThat(gin.getErrCode()).isEqualTo(7005);
    }

    @Test
    void deeplyNestedAndEnormousPathsAre7008WithAShortMessage() {
        String deep = "Device." + "LocalAgent.".repeat(300);
        String huge = "Device.LocalAgent." + "X".repeat(40_000);
        StringBuilder conditions = new StringBuilder("Device.LocalAgent.Subscription.[");
        for (int i = 0; i < 200; i++) {
            conditions.append(i == 0 ? "" : "&&").append("Enable==true");
        }
        String search = conditions.append("].").toString();
        String brackets = "Device.LocalAgent.Subscription." + "[".repeat(5000) + "].";
        String follows = "Device.LocalAgent.Subscription.1." + "Recipient+.".repeat(100) + "Enable";
        UspMsg.GetResp r = response(exchange(UspExchange.get(0, deep, huge, search, brackets, follows)))
                .getGetResp();
        assertThat(r.getReqPathResultsList()).allSatisfy(p -> {
            assertThat(p.getErrCode()).isIn(7008, 7026);
            assertThat(p.getErrMsg()).hasSizeLessThan(400);
        });
        assertThat(r.getReqPathResults(0).getErrCode()).isEqualTo(7008);
        assertThat(r.getReqPathResults(1).getErrCode()).isEqualTo(7008);
        var gsdm = response(exchange(UspExchange.gsdm(false, true, deep, huge))).getGetSupportedDmResp();
        // (the supported-path walk meets the unknown name before the segment limit: 7026)
        assertThat(gsdm.getReqObjResultsList()).extracting(p -> p.getErrCode()).containsExactly(7026, 7008);
        assertThat(gsdm.getReqObjResultsList()).allSatisfy(p -> assertThat(p.getErrMsg()).hasSizeLessThan(400));
        UspMsg.Error set = error(exchange(UspExchange.set(false, UspExchange.update(deep, "Enable", "true",
                "true"))));
        assertThat(set.getErrCode()).isEqualTo(7008);
        assertThat(set.getParamErrs(0).getParamPath()).isEqualTo(deep);
    }

    @Test
    void invalidUtf8InAStringFieldGetsError7100NamingTheMessage() {
        byte[] bytes = msg(UspExchange.get(0, "Device.ZZZZ.")).toByteArray();
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("ZZZZ");
        bytes[at] = (byte) 0xFF;
        UspMsg.Msg answer = exchange(bytes);
        assertThat(answer.getHeader().getMsgId()).isEqualTo("h" + ids);
        UspMsg.Error e = error(answer);
        assertThat(e.getErrCode()).isEqualTo(7100);
        assertThat(e.getErrMsg()).contains("UTF-8");
    }

    @Test
    void hugeValuesAndTooManySettingsChangeNothing() {
        UspMsg.Error big = error(exchange(UspExchange.set(true, UspExchange.update(
                "Device.LocalAgent.Subscription.1.", "NotifRetry", "true", "true", "ReferenceList",
                "Device.".repeat(200_000), "false"))));
        assertThat(big.getErrCode()).isEqualTo(7004);
        assertThat(big.getErrMsg()).hasSizeLessThan(300);
        String[] settings = new String[3 * 5000];
        for (int i = 0; i < settings.length; i += 3) {
            settings[i] = "NotifRetry";
            settings[i + 1] = "true";
            settings[i + 2] = "true";
        }
        assertThat(error(exchange(UspExchange.set(true, UspExchange.update("Device.LocalAgent.Subscription.1.",
                settings)))).getErrCode()).isEqualTo(7005);
        assertThat(loopValue("Device.LocalAgent.Subscription.1.NotifRetry")).isEqualTo("false");
    }

    private String loopValue(String path) {
        try {
            return loop.submit(() -> model.value(path)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSearchConstantOfTheWrongTypeIs7008() {
        UspMsg.GetResp r = response(exchange(UspExchange.get(0,
                "Device.LocalAgent.Subscription.[NotifExpiration>\"ten\"].",
                "Device.LocalAgent.Subscription.[Enable<true].",
                "Device.LocalAgent.Subscription.[NoSuchParam==1]."))).getGetResp();
        assertThat(r.getReqPathResultsList()).extracting(p -> p.getErrCode()).containsExactly(7008, 7008, 7026);
    }

    /** A feature whose code fails unexpectedly: the request gets 7003 and the transaction is not left open. */
    @Test
    void aFailureInsideTheModelIs7003AndLeavesNothingBehind() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        b.object("Device.");
        SchemaBuilder.ObjectBuilder t = b.table("Device.Thing.{i}.").access(TableAccess.ADD_DELETE).alias();
        t.param("Name", ValueType.string(16)).writable();
        t.lifecycle(new RowLifecycle() {
            @Override
            public void validate(ObjectNode object, Transaction tx) {
                if ("boom".equals(object.value("Name"))) {
                    throw new IllegalStateException("a bug in a feature");
                }
                if ("refuse".equals(object.value("Name"))) {
                    throw new ModelException(io.uspbridge.model.ErrorCode.VALUE_CONFLICT, "refused");
                }
            }
        });
        DataModel m = new DataModel(b.build());
        UspExchange usp = new UspExchange(m);
        UspMsg.Error e = error(usp.send(UspExchange.add(false, UspExchange.create("Device.Thing.", "Name", "boom",
                "true"))));
        assertThat(e.getErrCode()).isEqualTo(7003);
        assertThat(m.findTable("Device.Thing.").size()).isZero();
        assertThat(error(usp.send(UspExchange.add(false, UspExchange.create("Device.Thing.", "Name", "refuse",
                "true")))).getErrCode()).isEqualTo(7014);
        var ok = response(usp.send(UspExchange.add(false, UspExchange.create("Device.Thing.", "Name", "fine",
                "true")))).getAddResp();
        assertThat(ok.getCreatedObjResults(0).getOperStatus().hasOperSuccess()).isTrue();
    }
}
