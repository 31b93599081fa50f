package io.uspbridge.record;

import static io.uspbridge.record.ScriptedController.AGENT;
import static io.uspbridge.record.ScriptedController.CTL;
import static io.uspbridge.record.ScriptedController.bigSet;
import static io.uspbridge.record.ScriptedController.get;
import static io.uspbridge.record.ScriptedController.notifyMsg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord.PayloadSARState;
import io.uspbridge.security.EndpointTls;
import io.uspbridge.testing.TestPki;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLException;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS12 payload security in a Session Context (digest §4.4, TP-469 3.4–3.6), scripted: the controller's side is the
 * JDK's own TLS (SunJSSE, {@link TlsPeer}) and sends exactly the Records a sequence diagram shows; the agent is the
 * real {@link RecordLayer} with its BouncyCastle engine. Certificates are made for the run ({@link TestPki}).
 */
class E2ETlsScriptTest {
    static TestPki pki;
    static TestPki.Identity agentId;
    static TestPki.Identity ctlId;
    static EndpointTls agentTls;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create("usp-test-ca");
        agentId = pki.issue(AGENT);
        ctlId = pki.issue(CTL);
        agentTls = EndpointTls.of(agentId.key(), agentId.chain(), List.of(pki.ca()));
    }

    /** The controller's view of one TLS12 Session Context. */
    static final class Session {
        final ScriptedController peer;
        final TlsPeer tls;
        long id;
        long seq = 1;
        long expected = 1;

        Session(ScriptedController peer, TlsPeer tls, long id) {
            this.peer = peer;
            this.tls = tls;
            this.id = id;
        }

        /** One Record from the controller carrying {@code tlsRecords} whole. */
        void send(List<ByteString> tlsRecords) {
            ScriptedController.Out out = peer.record(id, seq++, expected).security(Record.PayloadSecurity.TLS12);
            tlsRecords.forEach(out::payload);
            peer.send(out);
        }

        /** The agent's Records since the last call: all in this context, TLS12, in sequence. */
        List<Record> receive() {
            List<Record> rs = peer.drain();
            for (Record r : rs) {
                assertThat(r.hasSessionContext()).as("a Session Context Record: " + r).isTrue();
                assertThat(r.getPayloadSecurity()).isEqualTo(Record.PayloadSecurity.TLS12);
                assertThat(r.getSessionContext().getSessionId()).as("session_id").isEqualTo(id);
                assertThat(r.getSessionContext().getSequenceId()).as("sequence_id").isEqualTo(expected);
                expected++;
            }
            return rs;
        }

        /** Feeds the agent's Records to the controller's TLS and sends what it answers, until nothing moves. */
        void converse() throws SSLException {
            for (int i = 0; i < 6; i++) {
                List<Record> rs = receive();
                List<ByteString> answer = tls.feed(rs);
                if (answer.isEmpty()) {
                    if (rs.isEmpty()) {
                        return;
                    }
                    continue;
                }
                send(answer);
            }
        }

        /** Sends a Msg encrypted; returns the Msg the agent answers, decrypted. */
        UspMsg.Msg request(UspMsg.Msg m) throws SSLException {
            send(tls.seal(m.toByteString()));
            tls.feed(receive());
            return RecordCodec.parseMsg(tls.takeData());
        }
    }

    /** The controller starts a TLS12 context as the TLS client; returns it after the handshake. */
    private static Session controllerStarts(ScriptedController peer, TlsPeer tls) throws SSLException {
        Session s = new Session(peer, tls, 0x5151L);
        s.send(tls.begin());
        s.converse();
        return s;
    }

    @Test
    void theControllerStartsATls12ContextAndAGetIsAnsweredInsideTls() throws Exception {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        TlsPeer tls = TlsPeer.jdk(ctlId, pki.ca(), true, "TLSv1.2");
        Session s = controllerStarts(peer, tls);

        assertThat(tls.done()).as("the controller's handshake is done").isTrue();
        assertThat(tls.engine.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(tls.engine.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(peer.context().tlsEstablished()).isTrue();
        assertThat(peer.context().state()).isEqualTo(SessionState.UP);

        UspMsg.Msg resp = s.request(get("m1", "Device.DeviceInfo."));
        assertThat(resp.getHeader().getMsgId()).isEqualTo("m1");
        assertThat(resp.getBody().getResponse().hasGetResp()).isTrue();
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void aControllerMsgInPlaintextInATlsContextRestartsIt() throws Exception {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        Session s = controllerStarts(peer, TlsPeer.jdk(ctlId, pki.ca(), true));
        // R-E2E.18/19: one payload security per context
        peer.send(peer.record(s.id, s.seq, s.expected).msg(get("p1")));
        assertThat(peer.agent.received).isEmpty();
        ScriptedController.In restart = peer.expect().seq(1);
        assertThat(restart.sessionId()).isNotEqualTo(s.id);
        assertThat(restart.record.getPayloadSecurity()).isEqualTo(Record.PayloadSecurity.TLS12);
    }

    @Test
    void theAgentStartsATlsContextAndItsNotifyWaitsForTheHandshake() throws Exception {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.REQUIRE)
                .withPayloadSecurity(E2ESettings.Security.TLS);
        peer.layer.sendToController(CTL, notifyMsg("n1"));

        List<Record> hello = peer.drain();
        assertThat(hello).as("the ClientHello, in the first Record of a new context").hasSize(1);
        assertThat(hello.get(0).getSessionContext().getSequenceId()).isEqualTo(1);
        assertThat(hello.get(0).getPayloadSecurity()).isEqualTo(Record.PayloadSecurity.TLS12);
        assertThat(peer.context().state()).isEqualTo(SessionState.NEGOTIATING);

        TlsPeer tls = TlsPeer.jdk(ctlId, pki.ca(), false);
        Session s = new Session(peer, tls, hello.get(0).getSessionContext().getSessionId());
        s.expected = 2;
        s.send(tls.feed(hello));
        s.converse();

        assertThat(tls.done()).isTrue();
        assertThat(tls.engine.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(tls.engine.getSession().getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        UspMsg.Msg notify = RecordCodec.parseMsg(tls.takeData());
        assertThat(notify.getHeader().getMsgId()).isEqualTo("n1");
        assertThat(peer.context().state()).isEqualTo(SessionState.UP);
        assertThat(peer.context().retryCount()).isZero();
    }

    @Test
    void aLargeGetResponseIsSegmentedInsideTlsAndALargeRequestIsReassembled() throws Exception {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        peer.directory.settings = peer.directory.settings.withMaxRecordSize(1200);
        Session s = controllerStarts(peer, TlsPeer.jdk(ctlId, pki.ca(), true));

        s.send(s.tls.seal(get("big", "Big.100000").toByteString()));
        List<Record> rs = s.receive();
        assertThat(rs.size()).as("Records of the response").isGreaterThan(80);
        for (Record r : rs) {
            assertThat(r.getSerializedSize()).as("a Record within MaxUSPRecordSize").isLessThanOrEqualTo(1200);
        }
        List<PayloadSARState> msgStates = rs.stream().map(r -> r.getSessionContext().getPayloadSarState()).toList();
        assertThat(msgStates.get(0)).isEqualTo(PayloadSARState.BEGIN);
        assertThat(msgStates.get(msgStates.size() - 1)).isEqualTo(PayloadSARState.COMPLETE);
        assertThat(msgStates.subList(1, msgStates.size() - 1)).containsOnly(PayloadSARState.INPROCESS);
        // TLS records (at most 16 KiB + overhead) are larger than a Record: each is split with payloadrec_sar_state
        List<PayloadSARState> recStates = rs.stream().map(r -> r.getSessionContext().getPayloadrecSarState())
                .toList();
        assertThat(recStates).contains(PayloadSARState.BEGIN, PayloadSARState.INPROCESS, PayloadSARState.COMPLETE);
        assertThat(recStates.stream().filter(st -> st == PayloadSARState.BEGIN).count())
                .as("one BEGIN per TLS record of a 100 kB Msg").isGreaterThanOrEqualTo(6);
        s.tls.feed(rs);
        UspMsg.Msg resp = RecordCodec.parseMsg(s.tls.takeData());
        assertThat(resp.getHeader().getMsgId()).isEqualTo("big");
        assertThat(resp.getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResults(0)
                .getResultParamsMap().get("Value")).hasSize(100_000);

        // The other way: a 60 kB Set, its TLS records split in 1000-byte pieces
        List<ByteString> tlsRecords = s.tls.seal(bigSet("s1", 60_000).toByteString());
        List<ByteString> pieces = new ArrayList<>();
        List<PayloadSARState> pieceStates = new ArrayList<>();
        for (ByteString r : tlsRecords) {
            List<ByteString> split = Segmenter.split(r, 1000);
            for (int i = 0; i < split.size(); i++) {
                pieces.add(split.get(i));
                pieceStates.add(Segmenter.state(i, split.size()));
            }
        }
        for (int i = 0; i < pieces.size(); i++) {
            PayloadSARState msgState = Segmenter.state(i, pieces.size());
            PayloadSARState recState = pieceStates.get(i);
            peer.send(peer.record(s.id, s.seq++, s.expected).security(Record.PayloadSecurity.TLS12)
                    .payload(pieces.get(i)).customize(sc -> sc.setPayloadSarState(msgState)
                            .setPayloadrecSarState(recState)));
        }
        s.tls.feed(s.receive());
        UspMsg.Msg setResp = RecordCodec.parseMsg(s.tls.takeData());
        assertThat(setResp.getHeader().getMsgId()).isEqualTo("s1");
        assertThat(peer.agent.sizes).containsEntry("s1", 60_000);
        assertThat(peer.context().heldBytes()).as("nothing kept after the exchange but unacknowledged Records")
                .isLessThan(200_000);
    }

    @Test
    void aControllerCertificateThatDoesNotNameItsEndpointIdIsRefusedAndTheAgentRetriesLater() throws Exception {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        TestPki.Identity impostor = pki.issue("proto::someone-else");
        TlsPeer tls = TlsPeer.jdk(impostor, pki.ca(), true, "TLSv1.2");
        Session s = new Session(peer, tls, 0x6161L);
        s.send(tls.begin());
        s.send(tls.feed(s.receive()));

        List<Record> alert = s.receive();
        assertThat(alert).as("the TLS alert, in the failed context (TP-469 3.5)").isNotEmpty();
        assertThatThrownBy(() -> tls.feed(alert)).isInstanceOf(SSLException.class);
        assertThat(tls.done()).isFalse();
        assertThat(peer.agent.received).isEmpty();
        assertThat(peer.context().state()).isEqualTo(SessionState.NEGOTIATING);
        assertThat(peer.context().retryCount()).as("CurrentRetryCount").isEqualTo(1);
        assertThat(peer.directory.statuses).contains("Negotiating/1");

        // R-E2E.10: the new context's handshake starts after the first retry wait (5–10 s by default)
        peer.advance(Duration.ofSeconds(4));
        peer.expectNothing();
        peer.advance(Duration.ofSeconds(7));
        ScriptedController.In retry = peer.expect().seq(1);
        assertThat(retry.sessionId()).isNotEqualTo(s.id);
        assertThat(retry.record.getPayloadSecurity()).isEqualTo(Record.PayloadSecurity.TLS12);
        assertThat(retry.sc().getPayloadCount()).as("a ClientHello").isPositive();
    }

    @Test
    void aFailedHandshakeIsRetriedWithTheRetryAlgorithmUntilItSucceeds() throws Exception {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        peer.directory.settings = peer.directory.settings.withMode(SessionMode.REQUIRE)
                .withPayloadSecurity(E2ESettings.Security.TLS);
        peer.layer.sendToController(CTL, notifyMsg("n1"));
        List<Record> hello = peer.drain();

        // a controller whose certificate no trust anchor of the agent signed
        TestPki other = TestPki.create("other-ca");
        TlsPeer untrusted = TlsPeer.jdk(other.issue(CTL), pki.ca(), false);
        Session first = new Session(peer, untrusted, hello.get(0).getSessionContext().getSessionId());
        first.expected = 2;
        first.send(untrusted.feed(hello));
        List<Record> alert = first.receive();
        assertThat(alert).as("the agent's alert").isNotEmpty();
        assertThat(peer.context().retryCount()).isEqualTo(1);
        assertThat(peer.context().sessionId()).isNotEqualTo(first.id);

        peer.advance(Duration.ofSeconds(11));
        List<Record> hello2 = peer.drain();
        assertThat(hello2).hasSize(1);
        TlsPeer good = TlsPeer.jdk(ctlId, pki.ca(), false);
        Session second = new Session(peer, good, hello2.get(0).getSessionContext().getSessionId());
        assertThat(second.id).isNotEqualTo(first.id);
        second.expected = 2;
        second.send(good.feed(hello2));
        second.converse();

        assertThat(good.done()).isTrue();
        assertThat(RecordCodec.parseMsg(good.takeData()).getHeader().getMsgId())
                .as("the Notify held through the failed handshake").isEqualTo("n1");
        assertThat(peer.context().retryCount()).as("reset by the completed handshake").isZero();
    }

    @Test
    void recordsOfATlsContextAreSignedWhenTheAgentSignsAndSignedRequestsAreAccepted() throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(agentId.certificate());
        }
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls,
                RecordIntegrity.signer(agentId.key(), w.toString()));
        Session s = controllerStarts(peer, TlsPeer.jdk(ctlId, pki.ca(), true));
        assertThat(s.tls.done()).isTrue();

        // The controller signs its request with the signature method (its certificate in sender_cert)
        StringWriter cw = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(cw)) {
            pw.writeObject(ctlId.certificate());
        }
        ScriptedController.Out req = peer.record(s.id, s.seq++, s.expected).security(Record.PayloadSecurity.TLS12);
        s.tls.seal(get("h1").toByteString()).forEach(req::payload);
        peer.send(RecordIntegrity.signer(ctlId.key(), cw.toString()).sign(req.build()));
        List<Record> answer = s.receive();
        assertThat(answer).isNotEmpty();
        for (Record r : answer) {
            // INT-3 wants the HMAC method after the handshake; without a keying-material exporter the agent keeps
            // the signature method, which every receiver can check (package documentation)
            assertThat(r.getSenderCert().isEmpty()).isFalse();
            assertThat(RecordIntegrity.problem(r, new Date())).isNull();
        }
        s.tls.feed(answer);
        assertThat(RecordCodec.parseMsg(s.tls.takeData()).getHeader().getMsgId()).isEqualTo("h1");

        // An HMAC-sized mac_signature cannot be checked: the Record is ignored and the context restarts (R-E2E.23)
        ScriptedController.Out bad = peer.record(s.id, s.seq++, s.expected).security(Record.PayloadSecurity.TLS12);
        s.tls.seal(get("h2").toByteString()).forEach(bad::payload);
        peer.send(bad.build().toBuilder().setMacSignature(ByteString.copyFrom(new byte[32])).build());
        assertThat(peer.agent.ids()).containsExactly("h1");
        ScriptedController.In restart = peer.expect().seq(1);
        assertThat(restart.sessionId()).isNotEqualTo(s.id);
    }

    @Test
    void tp469_3_6_theAgentDoesNotAcceptTlsRenegotiation() throws Exception {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        TlsPeer tls = TlsPeer.jdk(ctlId, pki.ca(), true, "TLSv1.2");
        Session s = controllerStarts(peer, tls);
        assertThat(s.request(get("before")).getHeader().getMsgId()).isEqualTo("before");

        // The controller asks for a new handshake in the running TLS 1.2 session: a ClientHello
        tls.engine.beginHandshake();
        List<ByteString> hello = tls.feed(List.of());
        assertThat(hello).as("the controller's ClientHello").isNotEmpty();
        s.send(hello);
        List<Record> answer = s.receive();
        assertThat(answer).as("the agent's no_renegotiation alert (R-E2E.42)").hasSize(1);
        ByteString alert = answer.get(0).getSessionContext().getPayload(0);
        assertThat(alert.byteAt(0)).as("TLS record content type alert").isEqualTo((byte) 21);
        assertThat(peer.context().sessionId()).as("the context goes on").isEqualTo(s.id);
        assertThat(peer.context().tlsEstablished()).isTrue();
        assertThat(peer.agent.ids()).containsExactly("before");
    }

    @Test
    void bytesThatAreNotTlsFailTheHandshakeAndHoldNoMemory() {
        ScriptedController peer = new ScriptedController(SessionLimits.DEFAULT, agentTls, null);
        // a TLS record header announcing 16 kB of handshake, then garbage, in 40 Records
        ScriptedController.Out first = peer.record(0x9191L, 1, 1).security(Record.PayloadSecurity.TLS12)
                .payload(ByteString.copyFrom(new byte[] {22, 3, 3, 0x40, 0}));
        peer.send(first);
        for (int i = 2; i <= 40; i++) {
            peer.send(peer.record(0x9191L, i, 1).security(Record.PayloadSecurity.TLS12)
                    .payload(ByteString.copyFrom(new byte[1000])));
        }
        assertThat(peer.agent.received).isEmpty();
        assertThat(peer.context().sessionId()).as("the failed context is replaced").isNotEqualTo(0x9191L);
        assertThat(peer.context().retryCount()).isEqualTo(1);
        assertThat(peer.context().heldBytes()).isLessThan(64 * 1024);
    }

    @Test
    void withoutTlsMaterialATls12ContextIsRefusedWith7102() {
        ScriptedController peer = new ScriptedController();
        peer.send(peer.record(0x8181L, 1, 1).security(Record.PayloadSecurity.TLS12)
                .payload(ByteString.copyFromUtf8("hello")));
        peer.expect().disconnect(7102);
        assertThat(peer.context().state()).isEqualTo(SessionState.DOWN);
    }
}
