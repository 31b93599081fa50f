package io.uspbridge.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.uspbridge.controller.ControllerClient;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import io.uspbridge.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Session Context behaviours end to end: the whole agent ({@link TestAgent}: model, message handlers, record
 * layer with Session Contexts, MQTT MTP) behind a real MQTT 5 broker, and a controller ({@link ControllerClient})
 * that sends the Session Context Records a sequence diagram shows and reads the agent's Records off its topic.
 */
class E2ESessionOverMqttTest {
    static final String CTL = TestAgent.CONTROLLER_ID;
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static EmbeddedBroker broker;
    static TestAgent agent;
    static ControllerClient controller;
    static final BlockingQueue<Record> inbox = new LinkedBlockingQueue<>();
    private int ids;

    @BeforeAll
    static void startAgent() throws Exception {
        broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()).start();
        agent = TestAgent.start(TestAgent.defaults(broker.port(), dir));
        controller = agent.controller(broker.port());
        controller.onArrival(a -> inbox.add(a.record()));
        agent.awaitMtpUp(WAIT);
    }

    @AfterAll
    static void stopAgent() {
        if (controller != null) {
            controller.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    /**
     * Every test starts from the object defaults of E2ESession (PayloadSecurity Plaintext: TLS is not offered) and
     * without a context: a running one is ended (Forbid, 7105), and everything the agent sent before is read.
     */
    @BeforeEach
    void defaults() throws Exception {
        boolean ended = agent.onLoop(() -> {
            DataModel m = agent.runtime().model();
            ObjectNode e2e = e2eNode(m);
            Map.of("SessionMode", "Allow", "SessionExpiration", "0", "SessionRetryMinimumWaitInterval", "5",
                    "SessionRetryIntervalMultiplier", "2000", "MaxUSPRecordSize", "0", "MaxRetransmitTries", "0",
                    "PayloadSecurity", "Plaintext").forEach((p, v) -> m.set(e2e, p, v));
            if (agent.runtime().records().sessionState(CTL) == SessionState.DOWN) {
                return false;
            }
            m.set(e2e, "SessionMode", "Forbid");
            m.set(e2e, "SessionMode", "Allow");
            return true;
        });
        while (ended && !nextSessionRecord().hasDisconnect()) {
            // Records of the ended context, sent before its Disconnect
        }
        inbox.clear();
    }

    private static ObjectNode e2eNode(DataModel m) {
        for (ObjectNode c : m.findTable("Device.LocalAgent.Controller.").rows()) {
            if (CTL.equals(c.value("EndpointID"))) {
                return c.child("E2ESession");
            }
        }
        throw new AssertionError("no Controller row for " + CTL);
    }

    private static String e2e(String param) throws Exception {
        return agent.onLoop(() -> e2eNode(agent.runtime().model()).value(param));
    }

    // ---- the controller's side ----------------------------------------------------------------------------

    private String id() {
        return "e2e-" + (++ids);
    }

    private static UspMsg.Msg get(String msgId, String path) {
        return UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(MsgType.GET))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setGet(UspMsg.Get.newBuilder().addParamPaths(path)))).build();
    }

    private static Record record(long session, long seq, long expected, UspMsg.Msg msg) {
        SessionContextRecord.Builder sc = SessionContextRecord.newBuilder().setSessionId(session).setSequenceId(seq)
                .setExpectedId(expected);
        if (msg != null) {
            sc.addPayload(msg.toByteString());
        }
        return envelope().setSessionContext(sc).build();
    }

    private static Record.Builder envelope() {
        return Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(TestAgent.AGENT_ID);
    }

    private static void send(Record r) throws Exception {
        controller.sendRecord(r);
    }

    /** Sets E2ESession parameters with a USP Set outside any context. */
    private void setOutsideContext(Map<String, String> values) throws Exception {
        UspMsg.Set.UpdateObject.Builder obj = UspMsg.Set.UpdateObject.newBuilder().setObjPath(
                agent.onLoop(() -> e2eNode(agent.runtime().model()).path()));
        values.forEach((p, v) -> obj.addParamSettings(UspMsg.Set.UpdateParamSetting.newBuilder().setParam(p)
                .setValue(v).setRequired(true)));
        UspMsg.Msg resp = ControllerClient.await(controller.request(MsgType.SET, UspMsg.Request.newBuilder()
                .setSet(UspMsg.Set.newBuilder().addUpdateObjs(obj)).build()));
        assertThat(resp.getBody().getResponse().hasSetResp()).as("SetResp: " + resp).isTrue();
    }

    /** The next Record of a Session Context (or a Disconnect); Connect Records and NoSessionContext ones pass by. */
    private static Record nextSessionRecord() throws InterruptedException {
        while (true) {
            Record r = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r).as("a Record from the agent").isNotNull();
            if (r.hasSessionContext() || r.hasDisconnect()) {
                return r;
            }
        }
    }

    /** The next whole Msg from the agent in a Session Context, reassembled; every Record at most {@code max}. */
    private static Received nextMsg(int max) throws InterruptedException {
        List<Record> records = new ArrayList<>();
        ByteString.Output whole = ByteString.newOutput();
        while (true) {
            Record r = nextSessionRecord();
            assertThat(r.hasSessionContext()).as("a Session Context Record: " + r).isTrue();
            if (max > 0) {
                assertThat(r.getSerializedSize()).isLessThanOrEqualTo(max);
            }
            SessionContextRecord sc = r.getSessionContext();
            if (sc.getPayloadCount() == 0) {
                continue;   // an empty Record (retransmit request, context start) is not a Msg
            }
            records.add(r);
            whole.write(sc.getPayload(0).toByteArray(), 0, sc.getPayload(0).size());
            if (sc.getPayloadSarState() == PayloadSARState.NONE || sc.getPayloadSarState() == PayloadSARState.COMPLETE) {
                return new Received(records, RecordCodec.parseMsg(whole.toByteString()));
            }
        }
    }

    record Received(List<Record> records, UspMsg.Msg msg) {
        SessionContextRecord first() {
            return records.get(0).getSessionContext();
        }

        String msgId() {
            return msg.getHeader().getMsgId();
        }
    }

    /** Sends a Msg in {@code n} segments of at most {@code piece} bytes from sequence_id {@code seq}; returns n. */
    private static int sendSegmented(long session, long seq, UspMsg.Msg msg, int piece) throws Exception {
        ByteString bytes = msg.toByteString();
        int n = (bytes.size() + piece - 1) / piece;
        for (int i = 0; i < n; i++) {
            PayloadSARState sar = n == 1 ? PayloadSARState.NONE : i == 0 ? PayloadSARState.BEGIN
                    : i == n - 1 ? PayloadSARState.COMPLETE : PayloadSARState.INPROCESS;
            send(envelope().setSessionContext(SessionContextRecord.newBuilder().setSessionId(session)
                    .setSequenceId(seq + i).setExpectedId(1).setPayloadSarState(sar).setPayloadrecSarState(sar)
                    .addPayload(bytes.substring(i * piece, Math.min(bytes.size(), (i + 1) * piece)))).build());
        }
        return n;
    }

    // ---- the diagrams ---------------------------------------------------------------------------------------

    @Test
    void aContextStartedByTheControllerDeliversInOrderAndIgnoresDuplicates() throws Exception {
        long s = 0x1001;
        send(record(s, 1, 1, get("g1", "Device.DeviceInfo.Manufacturer")));
        Received r1 = nextMsg(0);
        assertThat(r1.first().getSessionId()).isEqualTo(s);
        assertThat(r1.first().getSequenceId()).isEqualTo(1);
        assertThat(r1.first().getExpectedId()).isEqualTo(2);
        assertThat(r1.msgId()).isEqualTo("g1");
        assertThat(r1.msg().getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResults(0)
                .getResultParamsMap()).containsKey("Manufacturer");
        assertThat(e2e("Status")).isEqualTo("Up");

        send(record(s, 3, 3, get("g3", "Device.DeviceInfo.ModelName")));
        send(record(s, 2, 2, get("g2", "Device.DeviceInfo.SoftwareVersion")));
        Received r2 = nextMsg(0);
        Received r3 = nextMsg(0);
        assertThat(List.of(r2.msgId(), r3.msgId())).containsExactly("g2", "g3");
        assertThat(List.of(r2.first().getSequenceId(), r3.first().getSequenceId())).containsExactly(2L, 3L);

        // duplicates of 2 and 3, then 4: only 4 is answered
        send(record(s, 3, 3, get("g3", "Device.DeviceInfo.ModelName")));
        send(record(s, 2, 2, get("g2", "Device.DeviceInfo.SoftwareVersion")));
        send(record(s, 4, 4, get("g4", "Device.DeviceInfo.")));
        Received r4 = nextMsg(0);
        assertThat(r4.msgId()).isEqualTo("g4");
        assertThat(r4.first().getSequenceId()).isEqualTo(4);
    }

    @Test
    void aLostRecordIsAskedForAndTheAgentRetransmitsItsOwnUpToMaxRetransmitTries() throws Exception {
        setOutsideContext(Map.of("SessionRetryMinimumWaitInterval", "1", "SessionRetryIntervalMultiplier", "1000",
                "MaxRetransmitTries", "1"));
        long s = 0x2002;
        send(record(s, 1, 1, get("l1", "Device.DeviceInfo.Manufacturer")));
        assertThat(nextMsg(0).msgId()).isEqualTo("l1");
        send(record(s, 3, 2, get("l3", "Device.DeviceInfo.ModelName")));    // 2 is lost on the way
        Record ask = nextSessionRecord();
        assertThat(ask.getSessionContext().getRetransmitId()).isEqualTo(2);
        assertThat(ask.getSessionContext().getPayloadList()).isEmpty();
        send(record(s, 2, 3, get("l2", "Device.DeviceInfo.SoftwareVersion")));
        Received r2 = nextMsg(0);
        Received r3 = nextMsg(0);
        assertThat(List.of(r2.msgId(), r3.msgId())).containsExactly("l2", "l3");

        // the controller lost the agent's Record with l2's answer: asked for, it comes again, byte for byte
        long lost = r2.first().getSequenceId();
        send(envelope().setSessionContext(SessionContextRecord.newBuilder().setSessionId(s).setSequenceId(4)
                .setExpectedId(lost).setRetransmitId(lost)).build());
        assertThat(nextSessionRecord()).isEqualTo(r2.records().get(0));
        // once more exceeds MaxRetransmitTries 1: the agent restarts the context
        send(envelope().setSessionContext(SessionContextRecord.newBuilder().setSessionId(s).setSequenceId(5)
                .setExpectedId(lost).setRetransmitId(lost)).build());
        Record restart = nextSessionRecord();
        assertThat(restart.getSessionContext().getSessionId()).isNotEqualTo(s);
        assertThat(restart.getSessionContext().getSequenceId()).isEqualTo(1);
        assertThat(e2e("Status")).isEqualTo("Negotiating");
    }

    @Test
    void largeSegmentedRequestsAreReassembledAndAMegabyteGetResponseLeavesInSegments() throws Exception {
        int max = 8192;
        setOutsideContext(Map.of("MaxUSPRecordSize", Integer.toString(max)));
        String table = agent.onLoop(() -> e2eNode(agent.runtime().model()).parent().path()) + "BootParameter.";
        long s = 0x3003;
        long seq = 1;
        int rows = 0;
        for (int batch = 0; batch < 13; batch++) {
            UspMsg.Add.Builder add = UspMsg.Add.newBuilder().setAllowPartial(false);
            for (int i = 0; i < 256; i++, rows++) {
                add.addCreateObjs(UspMsg.Add.CreateObject.newBuilder().setObjPath(table)
                        .addParamSettings(UspMsg.Add.CreateParamSetting.newBuilder().setParam("ParameterName")
                                .setValue(String.format("Device.X_TEST_%05d.", rows) + "p".repeat(230))));
            }
            UspMsg.Msg msg = UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId("add" + batch)
                    .setMsgType(MsgType.ADD)).setBody(UspMsg.Body.newBuilder().setRequest(
                            UspMsg.Request.newBuilder().setAdd(add))).build();
            assertThat(msg.getSerializedSize()).isGreaterThan(60_000);
            seq += sendSegmented(s, seq, msg, 1000);
            Received resp = nextMsg(max);
            assertThat(resp.msgId()).isEqualTo("add" + batch);
            assertThat(resp.records()).as("an AddResp of 256 rows is segmented").hasSizeGreaterThan(5);
            assertThat(resp.msg().getBody().getResponse().getAddResp().getCreatedObjResultsList())
                    .hasSize(256).allSatisfy(c -> assertThat(c.getOperStatus().hasOperSuccess()).isTrue());
        }

        send(record(s, seq, 1, get("all", table)));
        Received big = nextMsg(max);
        assertThat(big.msgId()).isEqualTo("all");
        assertThat(big.msg().getSerializedSize()).isGreaterThan(1_000_000);
        assertThat(big.records()).hasSizeGreaterThan(120);
        assertThat(big.records().get(0).getSessionContext().getPayloadSarState()).isEqualTo(PayloadSARState.BEGIN);
        assertThat(big.msg().getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResultsList())
                .hasSize(rows);

        UspMsg.Msg deleted = ControllerClient.await(controller.request(MsgType.DELETE, UspMsg.Request.newBuilder()
                .setDelete(UspMsg.Delete.newBuilder().addObjPaths(table + "*.")).build()));
        assertThat(deleted.getBody().getResponse().hasDeleteResp()).isTrue();
    }

    @Test
    void anIdleContextExpiresAndARecordInItMakesTheAgentStartANewOne() throws Exception {
        setOutsideContext(Map.of("SessionExpiration", "1"));
        long s = 0x4004;
        send(record(s, 1, 1, get("x1", "Device.DeviceInfo.Manufacturer")));
        assertThat(nextMsg(0).first().getSessionId()).isEqualTo(s);
        await().atMost(WAIT).until(() -> e2e("Status").equals("Down"));
        send(record(s, 2, 2, get("x2", "Device.DeviceInfo.Manufacturer")));
        Record start = nextSessionRecord();
        long a = start.getSessionContext().getSessionId();
        assertThat(a).isNotEqualTo(s);
        assertThat(start.getSessionContext().getSequenceId()).isEqualTo(1);
        assertThat(start.getSessionContext().getPayloadList()).isEmpty();
        send(record(a, 1, 2, get("x3", "Device.DeviceInfo.Manufacturer")));
        Received r = nextMsg(0);
        assertThat(r.msgId()).isEqualTo("x3");
        assertThat(r.first().getSessionId()).isEqualTo(a);
        assertThat(r.first().getSequenceId()).isEqualTo(2);
    }

    @Test
    void sessionModeRequireMakesTheAgentStartAContextAndRefuseMsgsOutsideIt() throws Exception {
        setOutsideContext(Map.of("SessionMode", "Require"));
        Record start = nextSessionRecord();
        long a = start.getSessionContext().getSessionId();
        assertThat(start.getSessionContext().getSequenceId()).isEqualTo(1);
        assertThat(e2e("Status")).isEqualTo("Negotiating");

        // outside the context: not answered; inside: answered, after the refused one
        controller.sendRecord(controller.record(get("outside", "Device.DeviceInfo.")));
        send(record(a, 1, 2, get("inside", "Device.LocalAgent.Controller.*.E2ESession.Status")));
        Received r = nextMsg(0);
        assertThat(r.msgId()).isEqualTo("inside");
        assertThat(r.first().getSequenceId()).isEqualTo(2);
        assertThat(e2e("Status")).isEqualTo("Up");

        // Reset() (what an Operate of it runs): a new context
        agent.onLoop(() -> {
            ObjectNode e2e = e2eNode(agent.runtime().model());
            CommandDef reset = e2e.def().command("Reset()");
            return reset.handler().invoke(new io.uspbridge.model.CommandCall(e2e, reset, Map.of(), "", CTL,
                    new CompletableFuture<>())).toCompletableFuture().get();
        });
        Record again = nextSessionRecord();
        assertThat(again.getSessionContext().getSessionId()).isNotEqualTo(a);
        assertThat(again.getSessionContext().getSequenceId()).isEqualTo(1);
    }

    @Test
    void sessionModeForbidRefusesAContextWith7106AndTheNextRecordFollowsAConnectRecord() throws Exception {
        setOutsideContext(Map.of("SessionMode", "Forbid"));
        send(record(0x5005, 1, 1, get("f1", "Device.DeviceInfo.")));
        Record refused = nextSessionRecord();
        assertThat(refused.getDisconnect().getReasonCode()).isEqualTo(7106);
        inbox.clear();
        UspMsg.Msg resp = ControllerClient.await(controller.request(MsgType.GET, UspMsg.Request.newBuilder()
                .setGet(UspMsg.Get.newBuilder().addParamPaths("Device.DeviceInfo.Manufacturer")).build()));
        assertThat(resp.getBody().getResponse().hasGetResp()).isTrue();
        // R-MTP.8: after the Disconnect, the MQTT Connect Record came before the response
        assertThat(inbox.poll()).satisfies(r -> assertThat(r.hasMqttConnect()).isTrue());
        assertThat(inbox.poll()).satisfies(r -> assertThat(r.hasNoSessionContext()).isTrue());
    }

    @Test
    void aMaliciousControllerCannotMakeTheAgentHoldMemoryAndTheAgentCarriesOn() throws Exception {
        long s = 0x6006;
        send(record(s, 1, 1, get("m1", "Device.DeviceInfo.Manufacturer")));
        assertThat(nextMsg(0).msgId()).isEqualTo("m1");

        // a reassembly that never ends: 4 MiB is the limit (SessionLimits.DEFAULT)
        ByteString chunk = ByteString.copyFrom(new byte[64 << 10]);
        send(envelope().setSessionContext(SessionContextRecord.newBuilder().setSessionId(s).setSequenceId(2)
                .setExpectedId(2).setPayloadSarState(PayloadSARState.BEGIN)
                .setPayloadrecSarState(PayloadSARState.BEGIN).addPayload(chunk)).build());
        for (int seq = 3; seq < 3 + 70; seq++) {
            send(envelope().setSessionContext(SessionContextRecord.newBuilder().setSessionId(s).setSequenceId(seq)
                    .setExpectedId(2).setPayloadSarState(PayloadSARState.INPROCESS)
                    .setPayloadrecSarState(PayloadSARState.INPROCESS).addPayload(chunk)).build());
        }
        Record restart = nextSessionRecord();
        assertThat(restart.getSessionContext().getSessionId()).isNotEqualTo(s);
        assertThat(restart.getSessionContext().getPayloadList()).isEmpty();
        // absurd sequence ids: the same, whatever the context
        long a = restart.getSessionContext().getSessionId();
        send(record(a, 1L << 50, 1, get("far", "Device.")));
        Record again = nextSessionRecord();
        assertThat(again.getSessionContext().getSessionId()).isNotEqualTo(a);
        assertThat(agent.onLoop(() -> agent.runtime().records().contexts().context(CTL).heldBytes()))
                .isLessThan(1000);

        long fresh = 0x6007;
        send(record(fresh, 1, 1, get("m2", "Device.DeviceInfo.Manufacturer")));
        assertThat(nextMsg(0).msgId()).isEqualTo("m2");
        assertThat(agent.onLoop(() -> agent.runtime().records().inFlight(CTL))).isEmpty();
    }
}
