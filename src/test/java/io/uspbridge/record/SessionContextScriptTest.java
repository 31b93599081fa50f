package io.uspbridge.record;

import static io.uspbridge.record.ScriptedController.CTL;
import static io.uspbridge.record.ScriptedController.INBOX;
import static io.uspbridge.record.ScriptedController.get;
import static io.uspbridge.record.ScriptedController.notifyMsg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.uspbridge.model.ModelException;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Session Context behaviour against a scripted controller, one sequence diagram per test (TP-469 3.8–3.15 where
 * they match). S is the controller's session id; the agent's own ids are random and read from its Records.
 */
class SessionContextScriptTest {
    static final long S = 0x5E55;
    static final long S2 = 0x5E56;

    private final ScriptedController peer = new ScriptedController();

    private UspMsg.Msg notifyResp(String msgId) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(UspMsg.Header.MsgType.NOTIFY_RESP))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                        .setNotifyResp(UspMsg.NotifyResp.newBuilder().setSubscriptionId("sub")))).build();
    }

    /** The controller starts S and the agent answers m1 in it. */
    private void upWithS() {
        peer.send(peer.record(S, 1, 1).msg(get("m1")));
        peer.expect().inSession(S).seq(1).expected(2).answering("m1");
    }

    // ---- establishment ----------------------------------------------------------------------------------

    @Test
    void tp469_3_8_theControllerStartsAContextAndTheAgentAnswersInIt() {
        peer.send(peer.record(S, 1, 1).msg(get("m1")));
        peer.expect().inSession(S).seq(1).expected(2).answering("m1").to(INBOX);
        assertThat(peer.directory.statuses).containsExactly("Up/0");
        peer.send(peer.record(S, 2, 2).msg(get("m2")));
        peer.expect().inSession(S).seq(2).expected(3).answering("m2");
    }

    @Test
    void tp469_3_9_aNewSessionIdRestartsTheContextAndTheAgentCountsFromOneAgain() {
        upWithS();
        peer.send(peer.record(S2, 1, 1).msg(get("m2")));
        peer.expect().inSession(S2).seq(1).expected(2).answering("m2");
    }

    @Test
    void sequenceIdOneAgainInTheSameContextIsADuplicateNotARestart() {
        upWithS();
        peer.send(peer.record(S, 1, 1).msg(get("m1-again")));
        peer.expectNothing();
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void theAgentStartsAContextForANotifyWhenSessionModeIsRequireAndRetriesUntilAnswered() {
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.REQUIRE);
        assertThat(peer.layer.sendToController(CTL, notifyMsg("n1")).toCompletableFuture()).isCompleted();
        ScriptedController.In first = peer.expect().seq(1).expected(1).sar(PayloadSARState.NONE);
        long a = first.sessionId();
        assertThat(a).isGreaterThan(1).isNotEqualTo(S);
        assertThat(first.msg().getHeader().getMsgId()).isEqualTo("n1");
        assertThat(peer.directory.statuses).containsExactly("Negotiating/0");

        // R-E2E.10: retry 1 waits 5–10 s, retry 2 10–20 s (m = 5 s, k = 2000)
        assertThat(peer.clock.nextTimerIn()).isBetween(5_000L, 10_000L);
        peer.advance(Duration.ofMillis(peer.clock.nextTimerIn()));
        peer.expect().inSession(a).seq(1).expected(1);
        assertThat(peer.directory.statuses).containsExactly("Negotiating/0", "Negotiating/1");
        assertThat(peer.clock.nextTimerIn()).isBetween(10_000L, 20_000L);
        peer.advance(Duration.ofSeconds(20));
        peer.expect().inSession(a).seq(1);

        peer.send(peer.record(a, 1, 2).msg(notifyResp("n1")));
        assertThat(peer.directory.statuses).endsWith("Negotiating/2", "Up/0");
        assertThat(peer.agent.ids()).containsExactly("n1");
        peer.layer.sendToController(CTL, notifyMsg("n2"));
        peer.expect().inSession(a).seq(2).expected(2);
        peer.advance(Duration.ofHours(1));
        peer.expectNothing();
    }

    @Test
    void settingSessionModeToRequireEstablishesAContextAtOnce() {
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.REQUIRE);
        peer.layer.sessionSettingsChanged(CTL);
        peer.expect().seq(1).expected(1).empty();
        assertThat(peer.layer.sessionState(CTL)).isEqualTo(SessionState.NEGOTIATING);
    }

    @Test
    void aNotifyInAllowModeTravelsInTheRunningContextElseWithoutOne() {
        peer.layer.sendToController(CTL, notifyMsg("n0"));
        peer.expect().noSessionContext("n0");
        upWithS();
        peer.layer.sendToController(CTL, notifyMsg("n1"));
        peer.expect().inSession(S).seq(2).expected(2);
    }

    // ---- sequencing ---------------------------------------------------------------------------------------

    @Test
    void tp469_3_11_anEarlyRecordWaitsForTheGapAndEverythingIsDeliveredInOrder() {
        upWithS();
        peer.send(peer.record(S, 4, 4).msg(get("m4")));
        peer.expectNothing();
        peer.send(peer.record(S, 2, 2).msg(get("m2")));
        peer.expect().inSession(S).seq(2).expected(3).answering("m2");
        peer.expectNothing();
        peer.send(peer.record(S, 3, 3).msg(get("m3")));
        peer.expect().seq(3).expected(5).answering("m3");
        peer.expect().seq(4).expected(5).answering("m4");
        assertThat(peer.agent.ids()).containsExactly("m1", "m2", "m3", "m4");
    }

    @Test
    void aLostRecordIsAskedForWithRetransmitIdAndTheBufferedOneFollowsIt() {
        upWithS();
        peer.send(peer.record(S, 3, 2).msg(get("m3"))); // 2 was lost on the way
        peer.expectNothing();
        peer.advance(Duration.ofSeconds(10));
        peer.expect().inSession(S).seq(2).expected(2).asksFor(2).empty();
        peer.send(peer.record(S, 2, 2).msg(get("m2")));
        peer.expect().seq(3).expected(4).answering("m2");
        peer.expect().seq(4).expected(4).answering("m3");
        peer.advance(Duration.ofMinutes(10));
        peer.expectNothing();
    }

    @Test
    void aGapThatIsNeverFilledRestartsTheContextAfterFiveRequests() {
        upWithS();
        peer.send(peer.record(S, 3, 2).msg(get("m3")));
        peer.advance(Duration.ofHours(2));
        for (int i = 0; i < 5; i++) {
            peer.expect().inSession(S).seq(2 + i).asksFor(2);
        }
        long restarted = peer.expect().seq(1).empty().sessionId();
        assertThat(restarted).isNotEqualTo(S);
        assertThat(peer.context().heldBytes()).isLessThan(200);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void tp469_3_12_aSentRecordIsKeptAndRetransmittedOnRequest() {
        peer.directory.settings = peer.directory.settings.withMaxRetransmitTries(3);
        peer.send(peer.record(S, 1, 1).msg(get("m1")));
        Record first = peer.expect().answering("m1").record;
        peer.advance(Duration.ofSeconds(60));
        peer.send(peer.record(S, 2, 1).retransmit(1));
        assertThat(peer.expect().record).isEqualTo(first);
    }

    @Test
    void tp469_3_14_retransmitIdIsHonouredUpToMaxRetransmitTriesThenTheContextRestarts() {
        peer.directory.settings = peer.directory.settings.withMaxRetransmitTries(2);
        peer.send(peer.record(S, 1, 1).msg(ScriptedController.bigSet("s1", 10)));
        Record setResp = peer.expect().inSession(S).seq(1).record;
        peer.send(peer.record(S, 2, 1).retransmit(1));
        assertThat(peer.expect().record).isEqualTo(setResp);
        peer.send(peer.record(S, 3, 1).retransmit(1));
        assertThat(peer.expect().record).isEqualTo(setResp);
        peer.send(peer.record(S, 4, 1).retransmit(1));
        ScriptedController.In restart = peer.expect().seq(1).expected(1).empty();
        assertThat(restart.sessionId()).isNotEqualTo(S);
        assertThat(peer.layer.sessionState(CTL)).isEqualTo(SessionState.NEGOTIATING);
    }

    @Test
    void withMaxRetransmitTriesZeroAnyRetransmitRequestRestarts() {
        upWithS();
        peer.send(peer.record(S, 2, 1).retransmit(1));
        assertThat(peer.expect().seq(1).empty().sessionId()).isNotEqualTo(S);
    }

    @Test
    void aRetransmitRequestForARecordThatWasAcknowledgedRestarts() {
        peer.directory.settings = peer.directory.settings.withMaxRetransmitTries(-1);
        upWithS();
        peer.send(peer.record(S, 2, 2).msg(get("m2"))); // acknowledges our 1
        peer.expect().seq(2).answering("m2");
        peer.send(peer.record(S, 3, 3).retransmit(1));
        assertThat(peer.expect().seq(1).empty().sessionId()).isNotEqualTo(S);
    }

    @Test
    void tp469_3_15_duplicateRecordsGetOneResponse() {
        Record m1 = peer.record(S, 1, 1).msg(get("m1")).build();
        peer.send(m1);
        peer.send(m1);
        peer.send(m1);
        peer.send(m1);
        peer.expect().answering("m1");
        peer.expectNothing();
        Record early = peer.record(S, 3, 2).msg(get("m3")).build();
        peer.send(early);
        peer.send(early);
        peer.send(peer.record(S, 2, 2).msg(get("m2")));
        peer.expect().answering("m2");
        peer.expect().answering("m3");
        peer.expectNothing();
        assertThat(peer.agent.ids()).containsExactly("m1", "m2", "m3");
    }

    @Test
    void acknowledgedRecordsLeaveTheRetransmitBuffer() {
        upWithS();
        peer.layer.sendToController(CTL, notifyMsg("n1"));
        peer.expect().seq(2);
        assertThat(peer.context().unacknowledged()).isEqualTo(2);
        peer.send(peer.record(S, 2, 3).msg(notifyResp("n1")));
        assertThat(peer.context().unacknowledged()).isZero();
    }

    // ---- expiry and ending ----------------------------------------------------------------------------------

    @Test
    void tp469_3_10_notifiesWithinSessionExpirationShareAContextAndLaterOnesDoNot() {
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.REQUIRE).withExpiration(60);
        peer.layer.sendToController(CTL, notifyMsg("n1"));
        long a = peer.expect().seq(1).sessionId();
        peer.send(peer.record(a, 1, 2).msg(notifyResp("n1")));
        for (int i = 2; i <= 3; i++) {
            peer.advance(Duration.ofSeconds(10));
            peer.layer.sendToController(CTL, notifyMsg("n" + i));
            peer.expect().inSession(a).seq(i);
        }
        peer.directory.settings = peer.directory.settings.withExpiration(5);
        peer.layer.sessionSettingsChanged(CTL); // what E2ESessionFeature does on the Set
        long previous = a;
        for (int i = 4; i <= 6; i++) {
            peer.advance(Duration.ofSeconds(10));
            assertThat(peer.layer.sessionState(CTL)).isEqualTo(SessionState.DOWN);
            peer.layer.sendToController(CTL, notifyMsg("n" + i));
            long id = peer.expect().seq(1).sessionId();
            assertThat(id).isNotEqualTo(previous);
            previous = id;
        }
    }

    @Test
    void afterExpiryInAllowModeTheAgentDoesNotStartAContext() {
        peer.directory.settings = peer.directory.settings.withExpiration(30);
        upWithS();
        peer.advance(Duration.ofSeconds(31));
        assertThat(peer.directory.statuses).containsExactly("Up/0", "Down/0");
        peer.layer.sendToController(CTL, notifyMsg("n1"));
        peer.expect().noSessionContext("n1");
    }

    @Test
    void aRecordInAnExpiredContextMakesTheAgentStartANewOne() {
        peer.directory.settings = peer.directory.settings.withExpiration(30);
        upWithS();
        peer.advance(Duration.ofSeconds(31));
        peer.send(peer.record(S, 2, 2).msg(get("m2")));
        long a = peer.expect().seq(1).expected(1).empty().sessionId();
        assertThat(a).isNotEqualTo(S);
        assertThat(peer.agent.ids()).containsExactly("m1");
        // R-E2E.6 on the controller's side: it adopts the agent's context
        peer.send(peer.record(a, 1, 2).msg(get("m2")));
        peer.expect().inSession(a).seq(2).expected(2).answering("m2");
    }

    @Test
    void sessionModeForbidRefusesSessionRecordsWith7106AndConnectsAgainBeforeTheNextRecord() {
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.FORBID);
        peer.send(peer.record(S, 1, 1).msg(get("m1")));
        peer.expect().disconnect(7106).to(INBOX);
        assertThat(peer.agent.received).isEmpty();
        peer.sendNoSession(get("m2"));
        // R-MTP.8: after a Disconnect on a kept MQTT channel, the Connect Record goes first.
        assertThat(peer.expect().record.getMqttConnect().getSubscribedTopic()).isEqualTo("usp/agent");
        peer.expect().noSessionContext("m2");
    }

    @Test
    void switchingToForbidEndsTheRunningContextWith7105() {
        upWithS();
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.FORBID);
        peer.layer.sessionSettingsChanged(CTL);
        peer.expect().disconnect(7105);
        assertThat(peer.layer.sessionState(CTL)).isEqualTo(SessionState.DOWN);
        assertThat(peer.directory.statuses).endsWith("Down/0");
    }

    @Test
    void sessionModeRequireRefusesNoSessionContextRecordsAndEstablishesAContext() {
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.REQUIRE);
        peer.sendNoSession(get("m1"));
        assertThat(peer.agent.received).isEmpty();
        long a = peer.expect().seq(1).empty().sessionId();
        peer.sendNoSession(get("m2"));
        peer.expectNothing();
        peer.send(peer.record(a, 1, 2).msg(get("m3")));
        peer.expect().inSession(a).seq(2).expected(2).answering("m3");
    }

    @Test
    void noSessionContextRecordsKeepWorkingBesideARunningContextInAllowMode() {
        upWithS();
        peer.sendNoSession(get("m9"));
        peer.expect().noSessionContext("m9");
        assertThat(peer.layer.sessionState(CTL)).isEqualTo(SessionState.UP);
        peer.send(peer.record(S, 2, 2).msg(get("m2")));
        peer.expect().inSession(S).seq(2).answering("m2");
    }

    @Test
    void resetRestartsTheContextAndWithForbidEndsIt() {
        upWithS();
        peer.layer.resetSession(CTL);
        long a = peer.expect().seq(1).empty().sessionId();
        assertThat(a).isNotEqualTo(S);
        peer.send(peer.record(a, 1, 2).msg(get("m2")));
        peer.expect().inSession(a).seq(2).answering("m2");
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.FORBID);
        peer.layer.resetSession(CTL);
        peer.expect().disconnect(7105);
        peer.expectNothing();
    }

    @Test
    void aContextThatNeedsTlsCannotBeStartedAndSaysWhy() {
        peer.directory.settings = peer.directory.settings.withPayloadSecurity(E2ESettings.Security.TLS);
        assertThatThrownBy(() -> peer.layer.resetSession(CTL)).isInstanceOf(ModelException.class)
                .hasMessageContaining("PayloadSecurity");
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.REQUIRE);
        assertThat(peer.layer.sendToController(CTL, notifyMsg("n1")).toCompletableFuture())
                .isCompletedExceptionally();
        peer.expectNothing();
    }

    @Test
    void aTls12SessionIsRefusedWith7102() {
        peer.send(peer.record(S, 1, 1).security(Record.PayloadSecurity.TLS12).payload(ByteString.copyFromUtf8(
                "\u0016\u0003\u0001 client hello")));
        peer.expect().disconnect(7102);
        assertThat(peer.agent.received).isEmpty();
    }

    @Test
    void tp469_3_13_aPlaintextContextRestartsWhenARecordChangesThePayloadSecurity() {
        upWithS();
        peer.send(peer.record(S, 2, 2).security(Record.PayloadSecurity.TLS12).msg(get("m2")));
        assertThat(peer.expect().seq(1).empty().sessionId()).isNotEqualTo(S);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void aDisconnectFromTheControllerEndsTheContext() {
        upWithS();
        peer.send(Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(ScriptedController.AGENT)
                .setDisconnect(UspRecord.DisconnectRecord.newBuilder().setReasonCode(7105).setReason("bye")).build());
        assertThat(peer.layer.sessionState(CTL)).isEqualTo(SessionState.DOWN);
        peer.layer.sendToController(CTL, notifyMsg("n1"));
        assertThat(peer.expect().record.hasMqttConnect()).as("R-MTP.8: Connect Record first").isTrue();
        peer.expect().noSessionContext("n1");
    }

    // ---- segmentation and reassembly ------------------------------------------------------------------------

    @Test
    void aOneMegabyteGetResponseLeavesInSegmentsOfAtMostMaxUspRecordSize() throws Exception {
        int max = 4096;
        peer.directory.settings = peer.directory.settings.withMaxRecordSize(max);
        peer.send(peer.record(S, 1, 1).msg(get("big", "Big.1000000")));
        var records = peer.drain();
        assertThat(records).hasSizeGreaterThan(240);
        ByteString.Output whole = ByteString.newOutput();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            assertThat(r.getSerializedSize()).isLessThanOrEqualTo(max);
            var sc = r.getSessionContext();
            assertThat(sc.getSessionId()).isEqualTo(S);
            assertThat(sc.getSequenceId()).isEqualTo(i + 1);
            PayloadSARState want = i == 0 ? PayloadSARState.BEGIN
                    : i == records.size() - 1 ? PayloadSARState.COMPLETE : PayloadSARState.INPROCESS;
            assertThat(sc.getPayloadSarState()).isEqualTo(want);
            assertThat(sc.getPayloadrecSarState()).isEqualTo(want);
            assertThat(sc.getPayloadCount()).isEqualTo(1);
            sc.getPayload(0).writeTo(whole);
        }
        UspMsg.Msg resp = RecordCodec.parseMsg(whole.toByteString());
        assertThat(resp.getHeader().getMsgId()).isEqualTo("big");
        assertThat(resp.getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResults(0)
                .getResultParamsMap().get("Value")).hasSize(1_000_000);

        // kept until acknowledged, then let go
        assertThat(peer.context().unacknowledged()).isEqualTo(records.size());
        peer.send(peer.record(S, 2, records.size() + 1).msg(get("m2")));
        assertThat(peer.context().unacknowledged()).isEqualTo(1);
    }

    @Test
    void aLostSegmentOfALargeResponseIsRetransmittedOnRequest() {
        peer.directory.settings = peer.directory.settings.withMaxRecordSize(1024).withMaxRetransmitTries(1);
        peer.send(peer.record(S, 1, 1).msg(get("big", "Big.20000")));
        var records = peer.drain();
        Record lost = records.get(7);
        peer.send(peer.record(S, 2, 8).retransmit(8));
        assertThat(peer.expect().record).isEqualTo(lost);
    }

    @Test
    void aSegmentedRequestIsReassembledEvenWhenItsSegmentsArriveOutOfOrder() {
        UspMsg.Msg set = ScriptedController.bigSet("s1", 300_000);
        ByteString bytes = set.toByteString();
        int piece = 1000;
        int n = (bytes.size() + piece - 1) / piece;
        for (int k = 0; k < n; k += 2) {
            // pairs swapped: 2, 1, 4, 3, ...
            for (int i : new int[] {k + 1, k}) {
                if (i >= n) {
                    continue;
                }
                PayloadSARState sar = i == 0 ? PayloadSARState.BEGIN
                        : i == n - 1 ? PayloadSARState.COMPLETE : PayloadSARState.INPROCESS;
                peer.send(peer.record(S, i + 1, 1).sar(sar)
                        .payload(bytes.substring(i * piece, Math.min(bytes.size(), (i + 1) * piece))));
            }
        }
        assertThat(peer.agent.ids()).containsExactly("s1");
        assertThat(peer.agent.sizes.get("s1")).isEqualTo(300_000);
        peer.expect().inSession(S).seq(1).expected(n + 1).answering("s1");
        assertThat(peer.context().heldBytes()).isLessThan(1000);
    }

    @Test
    void segmentsOutOfSarOrderFailTheRecordAndRestartTheContext() {
        upWithS();
        peer.send(peer.record(S, 2, 2).sar(PayloadSARState.INPROCESS).payload(ByteString.copyFromUtf8("mid")));
        long a = peer.expect().seq(1).empty().sessionId();
        assertThat(a).isNotEqualTo(S);
        peer.send(peer.record(S2, 1, 1).sar(PayloadSARState.BEGIN).payload(ByteString.copyFromUtf8("start")));
        peer.send(peer.record(S2, 2, 1).sar(PayloadSARState.BEGIN).payload(ByteString.copyFromUtf8("again")));
        assertThat(peer.expect().seq(1).empty().sessionId()).isNotEqualTo(S2);
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void aReassembledPayloadThatIsNotAMsgRestartsTheContext() {
        peer.send(peer.record(S, 1, 1).sar(PayloadSARState.BEGIN).payload(ByteString.copyFrom(new byte[] {
            (byte) 0xff, (byte) 0xff})));
        peer.send(peer.record(S, 2, 1).sar(PayloadSARState.COMPLETE).payload(ByteString.copyFrom(new byte[] {
            (byte) 0xff})));
        assertThat(peer.expect().seq(1).empty().sessionId()).isNotEqualTo(S);
        assertThat(peer.agent.received).isEmpty();
    }
}
