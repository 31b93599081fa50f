package io.uspbridge.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import io.uspbridge.security.EndpointTls;
import io.uspbridge.wire.OutgoingMsg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A controller that sends exactly the Records a test scripts and checks, one by one, the Records the agent sends
 * back (in the manner of Californium's LockstepEndpoint), against a real {@link RecordLayer} with Session Contexts,
 * a fake MTP, a scripted clock and a small message layer that answers Gets. A test reads like a sequence diagram:
 *
 * <pre>{@code
 * peer.send(peer.record(S, 1, 1).msg(get("m1")));
 * peer.expect().inSession(S).seq(1).expected(2).answering("m1");
 * }</pre>
 */
final class ScriptedController {
    static final String AGENT = RecordLayerTest.AGENT;
    static final String CTL = RecordLayerTest.CTL;
    static final String INBOX = "ctl/inbox";

    final ManualClock clock = new ManualClock();
    final RecordLayerTest.FakeChannel channel = new RecordLayerTest.FakeChannel();
    final Directory directory = new Directory();
    final EchoAgent agent = new EchoAgent();
    final RecordLayer layer;
    private int read;

    ScriptedController() {
        this(SessionLimits.DEFAULT);
    }

    ScriptedController(SessionLimits limits) {
        this(limits, null, null);
    }

    /** With the agent's E2E TLS material and/or Record signer (either may be null). */
    ScriptedController(SessionLimits limits, EndpointTls tls, RecordIntegrity.RecordSigner signer) {
        RecordLayer l = new RecordLayer(AGENT, directory, agent,
                ref -> ref.equals(channel.reference()) ? channel : null, RecordMetrics.NONE);
        if (tls != null) {
            l.e2eTls(tls);
        }
        if (signer != null) {
            l.signWith(signer);
        }
        layer = l.enableSessions(clock, limits, new SplittableRandom(7));
    }

    // ---- the controller's side of the diagram ---------------------------------------------------------------

    /** A Session Context Record from the controller. */
    Out record(long sessionId, long sequenceId, long expectedId) {
        return new Out(sessionId, sequenceId, expectedId);
    }

    void send(Out out) {
        send(out.build());
    }

    void send(Record r) {
        layer.onRecord(r.toByteArray(), new ReplyAddress(channel, INBOX));
    }

    void sendNoSession(UspMsg.Msg msg) {
        send(Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(AGENT)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(msg.toByteString()))
                .build());
    }

    /** The next Record the agent sent; fails when there is none. */
    In expect() {
        assertThat(channel.sent.size()).as("the agent sent another Record").isGreaterThan(read);
        RecordLayerTest.Sent s = channel.sent.get(read++);
        return new In(s.parsed(), s.address());
    }

    /** Every Record the agent sent and the test has not read yet. */
    List<Record> drain() {
        List<Record> out = new ArrayList<>();
        while (read < channel.sent.size()) {
            out.add(channel.sent.get(read++).parsed());
        }
        return out;
    }

    void expectNothing() {
        assertThat(channel.sent.subList(read, channel.sent.size())).as("Records the agent sent").isEmpty();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    SessionContext context() {
        return layer.contexts().context(CTL);
    }

    // ---- Msgs -----------------------------------------------------------------------------------------------

    static UspMsg.Msg get(String msgId, String... paths) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.GET))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setGet(UspMsg.Get.newBuilder().addAllParamPaths(paths.length == 0
                                ? List.of("Device.DeviceInfo.") : Arrays.asList(paths))))).build();
    }

    static UspMsg.Msg notifyMsg(String msgId) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.NOTIFY))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setNotify(UspMsg.Notify.newBuilder().setSubscriptionId("sub").setSendResp(true)
                                .setEvent(UspMsg.Notify.Event.newBuilder().setObjPath("Device.LocalAgent.")
                                        .setEventName("Periodic!"))))).build();
    }

    /** A Set whose one parameter value has {@code size} characters: a large request. */
    static UspMsg.Msg bigSet(String msgId, int size) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.SET))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setSet(UspMsg.Set.newBuilder().addUpdateObjs(UspMsg.Set.UpdateObject.newBuilder()
                                .setObjPath("Device.LocalAgent.Controller.1.").addParamSettings(
                                        UspMsg.Set.UpdateParamSetting.newBuilder().setParam("ProvisioningCode")
                                                .setValue("p".repeat(size))))))).build();
    }

    // ---- the pieces ---------------------------------------------------------------------------------------

    /** A Session Context Record being scripted. */
    static final class Out {
        private final SessionContextRecord.Builder sc;
        private Record.PayloadSecurity security = Record.PayloadSecurity.PLAINTEXT;
        private String from = CTL;

        Out(long sessionId, long sequenceId, long expectedId) {
            sc = SessionContextRecord.newBuilder().setSessionId(sessionId).setSequenceId(sequenceId)
                    .setExpectedId(expectedId);
        }

        Out msg(UspMsg.Msg m) {
            return payload(m.toByteString());
        }

        Out payload(ByteString p) {
            sc.addPayload(p);
            return this;
        }

        Out sar(PayloadSARState state) {
            sc.setPayloadSarState(state).setPayloadrecSarState(state);
            return this;
        }

        Out retransmit(long id) {
            sc.setRetransmitId(id);
            return this;
        }

        Out security(Record.PayloadSecurity s) {
            security = s;
            return this;
        }

        Out customize(Consumer<SessionContextRecord.Builder> change) {
            change.accept(sc);
            return this;
        }

        Record build() {
            return Record.newBuilder().setVersion("1.4").setFromId(from).setToId(AGENT).setPayloadSecurity(security)
                    .setSessionContext(sc).build();
        }
    }

    /** A Record the agent sent, with fluent checks. */
    static final class In {
        final Record record;
        final String address;

        In(Record record, String address) {
            this.record = record;
            this.address = address;
        }

        SessionContextRecord sc() {
            assertThat(record.hasSessionContext()).as("a Session Context Record: " + record).isTrue();
            return record.getSessionContext();
        }

        In inSession(long sessionId) {
            assertThat(sc().getSessionId()).as("session_id").isEqualTo(sessionId);
            return this;
        }

        In seq(long sequenceId) {
            assertThat(sc().getSequenceId()).as("sequence_id").isEqualTo(sequenceId);
            return this;
        }

        In expected(long expectedId) {
            assertThat(sc().getExpectedId()).as("expected_id").isEqualTo(expectedId);
            return this;
        }

        In asksFor(long retransmitId) {
            assertThat(sc().getRetransmitId()).as("retransmit_id").isEqualTo(retransmitId);
            return this;
        }

        In sar(PayloadSARState state) {
            assertThat(sc().getPayloadSarState()).as("payload_sar_state").isEqualTo(state);
            assertThat(sc().getPayloadrecSarState()).as("payloadrec_sar_state").isEqualTo(state);
            return this;
        }

        In empty() {
            assertThat(sc().getPayloadList()).as("payload").isEmpty();
            return this;
        }

        In to(String expectedAddress) {
            assertThat(address).as("MTP address").isEqualTo(expectedAddress);
            return this;
        }

        /** The one Msg in the payload. */
        UspMsg.Msg msg() {
            assertThat(sc().getPayloadCount()).as("payloads").isEqualTo(1);
            return RecordCodec.parseMsg(sc().getPayload(0));
        }

        /** Carries the response to {@code msgId}, whole. */
        In answering(String msgId) {
            assertThat(sc().getPayloadSarState()).as("payload_sar_state").isEqualTo(PayloadSARState.NONE);
            UspMsg.Msg m = msg();
            assertThat(m.getHeader().getMsgId()).as("msg_id").isEqualTo(msgId);
            assertThat(m.getBody().hasResponse()).as("a response").isTrue();
            return this;
        }

        long sessionId() {
            return sc().getSessionId();
        }

        In disconnect(int reasonCode) {
            assertThat(record.hasDisconnect()).as("a Disconnect Record: " + record).isTrue();
            assertThat(record.getDisconnect().getReasonCode()).as("reason_code").isEqualTo(reasonCode);
            return this;
        }

        In noSessionContext(String msgId) {
            assertThat(record.hasNoSessionContext()).as("a NoSessionContext Record: " + record).isTrue();
            assertThat(RecordCodec.parseMsg(record.getNoSessionContext().getPayload()).getHeader().getMsgId())
                    .isEqualTo(msgId);
            return this;
        }
    }

    /** An encoded Msg that is nothing but its bytes. */
    record BytesOnly(String msgId, byte[] bytes) implements OutgoingMsg {
        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public void writeTo(byte[] dst, int offset) {
            System.arraycopy(bytes, 0, dst, offset, bytes.length);
        }
    }

    /** The controller directory: one trusted controller with settable E2ESession settings. */
    static final class Directory implements ControllerDirectory {
        E2ESettings settings = E2ESettings.DEFAULT.withPayloadSecurity(E2ESettings.Security.PLAINTEXT);
        Standing standing = Standing.TRUSTED;
        final List<String> statuses = new ArrayList<>();

        @Override
        public Standing standing(String endpointId) {
            return CTL.equals(endpointId) ? standing : Standing.UNKNOWN;
        }

        @Override
        public boolean acceptsUnknownControllers() {
            return false;
        }

        @Override
        public List<Route> routes(String endpointId) {
            return CTL.equals(endpointId) ? List.of(new Route("Device.LocalAgent.MTP.1", "usp/controller", 1, false,
                    false)) : List.of();
        }

        @Override
        public List<String> controllersReachableVia(String mtpReference) {
            return List.of(CTL);
        }

        @Override
        public void learnedAddress(String endpointId, String mtpReference, String address) {
        }

        @Override
        public String learnedAddress(String endpointId, String mtpReference) {
            return null;
        }

        @Override
        public E2ESettings e2eSettings(String endpointId) {
            return settings;
        }

        @Override
        public void sessionStatus(String endpointId, SessionState state, int retryCount) {
            statuses.add(state.value() + "/" + retryCount);
        }
    }

    /**
     * The message layer: answers every Get at once with one result per path; a path {@code Big.<n>} yields a value
     * of n characters. Other requests get an empty response of their type; every Msg is kept, in order.
     */
    static final class EchoAgent implements MessageSink {
        final List<UspMsg.Msg> received = new ArrayList<>();
        final Map<String, Integer> sizes = new HashMap<>();

        /**
         * The answers reach the record layer as bytes only, like the dispatcher's Get answers: the Session Context
         * code must carry and segment them without a protobuf Msg to fall back on.
         */
        @Override
        public CompletionStage<OutgoingMsg> answer(UspMsg.Msg msg, String fromEndpoint) {
            return onMessage(msg, fromEndpoint).thenApply(m -> m == null ? null
                    : new BytesOnly(m.getHeader().getMsgId(), m.toByteArray()));
        }

        @Override
        public CompletionStage<UspMsg.Msg> onMessage(UspMsg.Msg msg, String fromEndpoint) {
            received.add(msg);
            UspMsg.Body body = msg.getBody();
            if (!body.hasRequest() || body.getRequest().hasNotify()) {
                return CompletableFuture.completedFuture(null);
            }
            UspMsg.Response.Builder resp = UspMsg.Response.newBuilder();
            UspMsg.Header.MsgType type;
            if (body.getRequest().hasGet()) {
                type = UspMsg.Header.MsgType.GET_RESP;
                UspMsg.GetResp.Builder g = UspMsg.GetResp.newBuilder();
                for (String p : body.getRequest().getGet().getParamPathsList()) {
                    String value = p.startsWith("Big.") ? "x".repeat(Integer.parseInt(p.substring(4))) : p;
                    g.addReqPathResults(UspMsg.GetResp.RequestedPathResult.newBuilder().setRequestedPath(p)
                            .addResolvedPathResults(UspMsg.GetResp.ResolvedPathResult.newBuilder()
                                    .setResolvedPath("Device.Test.").putResultParams("Value", value)));
                }
                resp.setGetResp(g);
            } else {
                type = UspMsg.Header.MsgType.SET_RESP;
                int size = body.getRequest().getSet().getUpdateObjs(0).getParamSettings(0).getValue().length();
                sizes.put(msg.getHeader().getMsgId(), size);
                resp.setSetResp(UspMsg.SetResp.getDefaultInstance());
            }
            return CompletableFuture.completedFuture(UspMsg.Msg.newBuilder()
                    .setHeader(UspMsg.Header.newBuilder().setMsgId(msg.getHeader().getMsgId()).setMsgType(type))
                    .setBody(UspMsg.Body.newBuilder().setResponse(resp)).build());
        }

        List<String> ids() {
            return received.stream().map(m -> m.getHeader().getMsgId()).toList();
        }
    }
}
