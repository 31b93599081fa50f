package io.uspbridge.record;

import static io.uspbridge.record.ScriptedController.CTL;
import static io.uspbridge.record.ScriptedController.get;
import static io.uspbridge.record.ScriptedController.notifyMsg;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A controller that tries to make the agent hold memory or deliver Msgs it should not: every attempt ends with the
 * Record failed, the context restarted (a fresh, empty one with the agent's own session_id) and the memory the
 * context holds within {@link SessionLimits}.
 */
class MaliciousPeerTest {
    static final long S = 0x5E55;
    /** Small limits, so that the tests reach them quickly. */
    static final SessionLimits LIMITS = new SessionLimits(64 << 10, 256, 32, 64 << 10, 128, 256 << 10, 60_000, 5);
    /** What the context may hold at most: reassembly + early Records + retransmit buffer. */
    static final long BOUND = LIMITS.maxReassembledBytes() + LIMITS.maxEarlyBytes() + LIMITS.maxUnacknowledgedBytes();

    private final ScriptedController peer = new ScriptedController(LIMITS);

    private void upWithS() {
        peer.send(peer.record(S, 1, 1).msg(get("m1")));
        peer.expect().inSession(S).seq(1).answering("m1");
    }

    /** The agent restarted the context: its first Record is an empty sequence_id 1 under a new session_id. */
    private long expectRestart(long notThis) {
        ScriptedController.In r = peer.expect().seq(1).expected(1).empty();
        assertThat(r.sessionId()).isNotEqualTo(notThis).isGreaterThan(1);
        assertThat(peer.layer.sessionState(CTL)).isEqualTo(SessionState.NEGOTIATING);
        assertThat(peer.context().heldBytes()).isLessThan(200);
        return r.sessionId();
    }

    private void assertBounded() {
        assertThat(peer.context().heldBytes()).isLessThanOrEqualTo(BOUND);
    }

    @Test
    void aWrongSessionIdDeliversNothingUntilItsContextIsWholeAndItsGapIsGivenUp() {
        upWithS();
        long wrong = 0xBAD;
        peer.send(peer.record(wrong, 5, 1).msg(get("evil")));
        peer.expectNothing();
        // the old context is over: its Records are late now
        peer.send(peer.record(S, 2, 2).msg(get("late")));
        peer.advance(Duration.ofHours(3));
        for (int i = 1; i <= 5; i++) {
            peer.expect().inSession(wrong).seq(i).asksFor(1);
        }
        expectRestart(wrong);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void sessionIdsZeroAndOneAreInvalidAndRestartARunningContext() {
        peer.send(peer.record(0, 1, 1).msg(get("zero")));
        peer.expectNothing();
        upWithS();
        peer.send(peer.record(1, 1, 1).msg(get("one")));
        expectRestart(S);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void absurdSequenceIdsRestartTheContextInsteadOfBeingHeld() {
        upWithS();
        peer.send(peer.record(S, 1L << 40, 2).msg(get("far")));
        long a = expectRestart(S);
        peer.send(peer.record(a, 1, 1).msg(get("m2")));
        peer.expect().inSession(a).answering("m2");
        // R-E2E.8: within 10 000 of the uint64 maximum
        peer.send(peer.record(a, -5L, 2).msg(get("max")));
        long b = expectRestart(a);
        peer.send(peer.record(b, 1, 1).msg(get("m3")));
        peer.expect().inSession(b).answering("m3");
        peer.send(peer.record(b, 0, 2).msg(get("zero")));
        expectRestart(b);
        assertThat(peer.agent.ids()).containsExactly("m1", "m2", "m3");
    }

    @Test
    void aFloodOfEarlyRecordsIsHeldOnlyUpToTheLimit() {
        upWithS();
        ByteString kb = ByteString.copyFrom(new byte[1024]);
        for (int seq = 3; seq < 3 + LIMITS.maxEarlyRecords(); seq++) {
            peer.send(peer.record(S, seq, 2).payload(kb));
            assertBounded();
        }
        peer.expectNothing();
        assertThat(peer.context().earlyRecords()).isEqualTo(LIMITS.maxEarlyRecords());
        peer.send(peer.record(S, 3 + LIMITS.maxEarlyRecords(), 2).payload(kb));
        expectRestart(S);
    }

    @Test
    void earlyRecordsCannotExceedTheirBytesEither() {
        upWithS();
        ByteString big = ByteString.copyFrom(new byte[30 << 10]);
        peer.send(peer.record(S, 3, 2).payload(big));
        peer.send(peer.record(S, 4, 2).payload(big));
        assertBounded();
        peer.send(peer.record(S, 5, 2).payload(big));
        expectRestart(S);
    }

    @Test
    void aReassemblyThatNeverEndsIsCutAtTheSizeLimit() {
        upWithS();
        ByteString kb = ByteString.copyFrom(new byte[1024]);
        peer.send(peer.record(S, 2, 2).sar(PayloadSARState.BEGIN).payload(kb));
        int seq = 3;
        for (; seq < 3 + 63; seq++) {
            peer.send(peer.record(S, seq, 2).sar(PayloadSARState.INPROCESS).payload(kb));
            assertBounded();
        }
        peer.expectNothing();
        peer.send(peer.record(S, seq, 2).sar(PayloadSARState.INPROCESS).payload(kb));
        expectRestart(S);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void aReassemblyThatStallsIsGivenUpAfterTheIdleTime() {
        upWithS();
        peer.send(peer.record(S, 2, 2).sar(PayloadSARState.BEGIN).payload(ByteString.copyFromUtf8("half")));
        peer.advance(Duration.ofSeconds(59));
        peer.expectNothing();
        peer.advance(Duration.ofSeconds(2));
        expectRestart(S);
    }

    @Test
    void aSegmentBombOfTinySegmentsIsCutAtTheSegmentLimit() {
        upWithS();
        ByteString one = ByteString.copyFrom(new byte[] {1});
        peer.send(peer.record(S, 2, 2).sar(PayloadSARState.BEGIN).payload(one));
        int seq = 3;
        for (; seq < 2 + LIMITS.maxSegments(); seq++) {
            peer.send(peer.record(S, seq, 2).sar(PayloadSARState.INPROCESS).payload(one));
        }
        peer.expectNothing();
        peer.send(peer.record(S, seq, 2).sar(PayloadSARState.INPROCESS).payload(one));
        expectRestart(S);
    }

    @Test
    void aControllerThatNeverAcknowledgesCannotGrowTheRetransmitBuffer() {
        peer.directory.settings = peer.directory.settings.withMaxRetransmitTries(-1);
        upWithS();
        for (int i = 0; i < 3 * LIMITS.maxUnacknowledged(); i++) {
            peer.layer.sendToController(CTL, notifyMsg("n" + i));
            assertThat(peer.context().unacknowledged()).isLessThanOrEqualTo(LIMITS.maxUnacknowledged());
        }
        peer.drain();
        // the oldest were let go: asking for one of them fails the Record
        peer.send(peer.record(S, 2, 2).retransmit(2));
        expectRestart(S);
    }

    @Test
    void morePayloadsThanPlaintextAllowsAndMismatchedSarStatesRestart() {
        upWithS();
        peer.send(peer.record(S, 2, 2).msg(get("a")).msg(get("b")));
        long a = expectRestart(S);
        peer.send(peer.record(a, 1, 1).msg(get("c")).customize(sc -> sc
                .setPayloadSarState(PayloadSARState.NONE).setPayloadrecSarState(PayloadSARState.BEGIN)));
        expectRestart(a);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void garbageInASessionRecordNeverReachesTheMessageLayer() {
        upWithS();
        Record r = peer.record(S, 2, 2).payload(ByteString.copyFromUtf8("\u0000\u00ff not a msg")).build();
        peer.send(r);
        expectRestart(S);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }
}
