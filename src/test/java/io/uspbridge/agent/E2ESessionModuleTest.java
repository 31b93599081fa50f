package io.uspbridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.CommandCall;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.record.RecordCodec;
import io.uspbridge.record.RecordLayer;
import io.uspbridge.record.RecordMetrics;
import io.uspbridge.record.RecordingChannel;
import io.uspbridge.record.SessionClock;
import io.uspbridge.record.SessionLimits;
import io.uspbridge.security.AccessControl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Controller.{i}.E2ESession.} on the real model: the record layer reads its settings live, writes Status and
 * CurrentRetryCount back, and Reset() reaches the controller's Session Context.
 */
class E2ESessionModuleTest {
    static final String AGENT = "proto::hub";
    static final String ACS = "proto::acs";
    static final String E2E = "Device.LocalAgent.Controller.1.E2ESession.";

    /** Timers that run when the test moves the clock. */
    static final class TestClock implements SessionClock {
        record Timer(long at, Runnable task) {
        }

        long now = 1_000;
        final List<Timer> timers = new ArrayList<>();

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Runnable schedule(Runnable task, long delayMillis) {
            Timer t = new Timer(now + delayMillis, task);
            timers.add(t);
            return () -> timers.remove(t);
        }

        void advance(long millis) {
            long until = now + millis;
            for (Timer t; (t = timers.stream().filter(x -> x.at() <= until)
                    .min(Comparator.comparingLong(Timer::at)).orElse(null)) != null;) {
                timers.remove(t);
                now = t.at();
                t.task().run();
            }
            now = until;
        }
    }

    private DataModel model;
    private final RecordingChannel channel = new RecordingChannel();
    private final TestClock clock = new TestClock();
    private final E2ESessionModule module = new E2ESessionModule();
    private RecordLayer layer;

    @BeforeEach
    void setUp() {
        model = new DataModel(AgentSchema.build(List.of(module::contribute)));
        ConfigSeederTest.seedOneController(model, ACS);
        layer = new RecordLayer(AGENT, new ModelControllerDirectory(model, new AccessControl(model), false),
                (msg, from) -> CompletableFuture.completedFuture(response(msg)),
                ref -> ref.equals(channel.reference()) ? channel : null, RecordMetrics.NONE);
    }

    private void start() {
        module.start(model, layer.enableSessions(clock, SessionLimits.DEFAULT, new SplittableRandom(3)));
    }

    private static UspMsg.Msg response(UspMsg.Msg request) {
        return UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId(request.getHeader().getMsgId())
                .setMsgType(UspMsg.Header.MsgType.GET_RESP)).setBody(UspMsg.Body.newBuilder().setResponse(
                        UspMsg.Response.newBuilder().setGetResp(UspMsg.GetResp.newBuilder().addReqPathResults(
                                UspMsg.GetResp.RequestedPathResult.newBuilder().setRequestedPath("x".repeat(2000))))))
                .build();
    }

    private void receive(long sessionId, long seq, String msgId) {
        UspMsg.Msg get = UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId(msgId)
                .setMsgType(UspMsg.Header.MsgType.GET)).setBody(UspMsg.Body.newBuilder().setRequest(
                        UspMsg.Request.newBuilder().setGet(UspMsg.Get.newBuilder().addParamPaths("Device.")))).build();
        layer.onRecord(Record.newBuilder().setVersion("1.4").setFromId(ACS).setToId(AGENT)
                .setSessionContext(UspRecord.SessionContextRecord.newBuilder().setSessionId(sessionId)
                        .setSequenceId(seq).setExpectedId(seq).addPayload(get.toByteString())).build().toByteArray(),
                new ReplyAddress(channel, "ctl/inbox"));
    }

    private Record lastSent() {
        return RecordCodec.parse(channel.last());
    }

    private String e2e(String param) {
        return model.value(E2E + param);
    }

    private void set(String param, String value) {
        model.set(model.find(E2E), param, value);
    }

    @Test
    void statusFollowsTheContextAndSessionModeForbidEndsItAtOnce() {
        start();
        assertThat(e2e("Status")).isEqualTo("Down");
        receive(77, 1, "m1");
        assertThat(e2e("Status")).isEqualTo("Up");
        assertThat(lastSent().getSessionContext().getSessionId()).isEqualTo(77);
        set("SessionMode", "Forbid");
        assertThat(lastSent().getDisconnect().getReasonCode()).isEqualTo(7105);
        assertThat(e2e("Status")).isEqualTo("Down");
    }

    @Test
    void maxUspRecordSizeAppliesToTheNextResponse() {
        start();
        set("MaxUSPRecordSize", "512");
        receive(77, 1, "m1");
        List<Record> sent = channel.sent().stream().map(RecordCodec::parse).toList();
        assertThat(sent).hasSizeGreaterThan(4).allSatisfy(r -> assertThat(r.getSerializedSize()).isLessThanOrEqualTo(512));
    }

    @Test
    void sessionModeRequireAtStartEstablishesAContextAndCountsRetries() {
        set("SessionMode", "Require");
        set("PayloadSecurity", "Plaintext");
        start();
        Record first = lastSent();
        assertThat(first.getSessionContext().getSequenceId()).isEqualTo(1);
        assertThat(first.getSessionContext().getPayloadList()).isEmpty();
        assertThat(e2e("Status")).isEqualTo("Negotiating");
        assertThat(e2e("CurrentRetryCount")).isEqualTo("0");
        clock.advance(10_000);
        assertThat(e2e("CurrentRetryCount")).isEqualTo("1");
        receive(first.getSessionContext().getSessionId(), 1, "m1");
        assertThat(e2e("Status")).isEqualTo("Up");
        assertThat(e2e("CurrentRetryCount")).isEqualTo("0");
    }

    @Test
    void resetRestartsTheContextAndExplainsWhyItCannotStartOneWithTls() throws Exception {
        start();
        receive(77, 1, "m1");
        ObjectNode e2e = model.find(E2E);
        CommandDef reset = e2e.def().command("Reset()");
        assertThat(reset.isAsync()).isFalse();
        CompletableFuture<Map<String, String>> done = reset.handler().invoke(new CommandCall(e2e, reset, Map.of(), "",
                ACS, new CompletableFuture<>())).toCompletableFuture();
        // PayloadSecurity keeps its TR-181 default, TLS, which this agent cannot start a context with yet
        assertThat(done).isCompletedExceptionally();
        assertThat(done.handle((v, e) -> e).get()).isInstanceOf(ModelException.class)
                .hasMessageContaining("PayloadSecurity");

        set("PayloadSecurity", "Plaintext");
        int before = channel.sent().size();
        assertThat(reset.handler().invoke(new CommandCall(e2e, reset, Map.of(), "", ACS, new CompletableFuture<>()))
                .toCompletableFuture()).isCompleted();
        assertThat(channel.sent()).hasSize(before + 1);
        assertThat(lastSent().getSessionContext().getSessionId()).isNotEqualTo(77);
        assertThat(e2e("Status")).isEqualTo("Negotiating");
    }

    @Test
    void disablingTheControllerEndsItsContextWithoutAWord() {
        start();
        receive(77, 1, "m1");
        int before = channel.sent().size();
        model.set(model.find("Device.LocalAgent.Controller.1."), "Enable", "false");
        assertThat(channel.sent()).hasSize(before);
        assertThat(e2e("Status")).isEqualTo("Down");
    }
}
