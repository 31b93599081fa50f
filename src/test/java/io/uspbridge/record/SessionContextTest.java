package io.uspbridge.record;

import static io.uspbridge.record.ScriptedController.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Session Context as the pure state machine it is: inputs in, Records and Msgs out, no I/O, no clock. */
class SessionContextTest {
    static final E2ESettings PLAIN = E2ESettings.DEFAULT.withPayloadSecurity(E2ESettings.Security.PLAINTEXT);

    private final SessionContext ctx = new SessionContext("proto::agent", "proto::ctl", PLAIN, SessionLimits.DEFAULT,
            new SplittableRandom(5), 0);

    private static Record in(long session, long seq, long expected) {
        return Record.newBuilder().setVersion("1.4").setFromId("proto::ctl").setToId("proto::agent")
                .setSessionContext(SessionContextRecord.newBuilder().setSessionId(session).setSequenceId(seq)
                        .setExpectedId(expected).addPayload(get("m" + seq).toByteString())).build();
    }

    @Test
    void theRetryWaitFollowsTheSpecTableAndStopsGrowingAtTheTenthRetry() {
        assertThat(RetryWait.range(1, PLAIN)).containsExactly(5_000L, 10_000L);
        assertThat(RetryWait.range(2, PLAIN)).containsExactly(10_000L, 20_000L);
        assertThat(RetryWait.range(10, PLAIN)).containsExactly(2_560_000L, 5_120_000L);
        assertThat(RetryWait.range(25, PLAIN)).containsExactly(2_560_000L, 5_120_000L);
        E2ESettings slow = PLAIN.withRetry(65535, 65535);
        assertThat(RetryWait.range(10, slow)[1]).isEqualTo(RetryWait.MAX_MILLIS);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(RetryWait.millis(3, PLAIN, r)).isBetween(20_000L, 40_000L);
        }
    }

    @Test
    void onlyTheDeclaredTransitionsExist() {
        assertThat(SessionContext.TRANSITIONS.get(SessionState.DOWN))
                .containsExactlyInAnyOrder(SessionState.NEGOTIATING, SessionState.UP);
        assertThat(SessionContext.TRANSITIONS.get(SessionState.NEGOTIATING))
                .containsExactlyInAnyOrder(SessionState.UP, SessionState.DOWN);
        assertThat(SessionContext.TRANSITIONS.get(SessionState.UP)).containsExactly(SessionState.DOWN);
    }

    @Test
    void inputsGiveOutputsAndTheClockIsAnInputToo() {
        SessionContext.Output out = ctx.receive(in(9, 1, 1), 0);
        assertThat(out.transmit()).isEmpty();
        assertThat(out.deliver()).extracting(m -> m.getHeader().getMsgId()).containsExactly("m1");
        assertThat(ctx.state()).isEqualTo(SessionState.UP);
        assertThat(ctx.nextDeadline()).isEqualTo(SessionContext.NEVER);

        ctx.configure(PLAIN.withExpiration(30), 0);
        assertThat(ctx.nextDeadline()).isEqualTo(30_000);
        assertThat(ctx.tick(29_999)).isSameAs(SessionContext.Output.NONE);
        assertThat(ctx.state()).isEqualTo(SessionState.UP);
        assertThat(ctx.tick(30_000).transmit()).isEmpty();
        assertThat(ctx.state()).isEqualTo(SessionState.DOWN);
        assertThat(ctx.heldBytes()).isZero();
    }

    @Test
    void aRecordOfAnEndedContextDoesNotReopenIt() {
        ctx.receive(in(9, 1, 1), 0);
        ctx.receive(in(10, 1, 1), 0);
        assertThat(ctx.sessionId()).isEqualTo(10);
        assertThat(ctx.receive(in(9, 2, 1), 0)).isSameAs(SessionContext.Output.NONE);
        assertThat(ctx.sessionId()).isEqualTo(10);
    }

    @Test
    void settingsAreClampedToWhatTheTimersAndTheSegmenterCanUse() {
        E2ESettings s = new E2ESettings(SessionMode.ALLOW, -4, 0, 10, 100, 99, E2ESettings.Security.TLS);
        assertThat(s.expirationSeconds()).isZero();
        assertThat(s.retryMinimumWaitSeconds()).isEqualTo(1);
        assertThat(s.retryIntervalMultiplier()).isEqualTo(1000);
        assertThat(s.maxRecordSize()).isEqualTo(512);
        assertThat(s.maxRetransmitTries()).isEqualTo(10);
        assertThat(SessionMode.of("Require")).isEqualTo(SessionMode.REQUIRE);
        assertThat(SessionMode.of("bogus")).isEqualTo(SessionMode.ALLOW);
        assertThat(E2ESettings.Security.of("Plaintext")).isEqualTo(E2ESettings.Security.PLAINTEXT);
    }
}
