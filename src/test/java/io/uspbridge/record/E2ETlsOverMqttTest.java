package io.uspbridge.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.uspbridge.controller.ControllerClient;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import io.uspbridge.testing.TestAgent;
import io.uspbridge.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS12 payload security end to end: the whole agent ({@link TestAgent}) configured with an E2E TLS certificate
 * ({@code uspbridge.e2e.*}, PEM files made for the run) behind a real MQTT 5 broker, and a controller whose TLS is
 * the JDK's ({@link TlsPeer}) and whose Records travel through the broker ({@link ControllerClient#sendRecord}).
 */
class E2ETlsOverMqttTest {
    static final String CTL = TestAgent.CONTROLLER_ID;
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static EmbeddedBroker broker;
    static TestAgent agent;
    static ControllerClient controller;
    static TestPki pki;
    static TestPki.Identity ctlId;
    static final BlockingQueue<Record> inbox = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startAgent() throws Exception {
        pki = TestPki.create("usp-e2e-ca");
        TestPki.Paths agentFiles = pki.issue(TestAgent.AGENT_ID).write(dir, "agent");
        ctlId = pki.issue(CTL);
        broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()).start();
        Map<String, String> props = TestAgent.defaults(broker.port(), dir);
        props.put("uspbridge.e2e.certificate", agentFiles.certificate().toString());
        props.put("uspbridge.e2e.private-key", agentFiles.key().toString());
        props.put("uspbridge.e2e.trust-anchors", pki.writeCa(dir, "ca").toString());
        agent = TestAgent.start(props);
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

    private static void setE2e(Map<String, String> values) throws Exception {
        agent.onLoop(() -> {
            DataModel m = agent.runtime().model();
            for (ObjectNode c : m.findTable("Device.LocalAgent.Controller.").rows()) {
                if (CTL.equals(c.value("EndpointID"))) {
                    values.forEach((p, v) -> m.set(c.child("E2ESession"), p, v));
                }
            }
            return null;
        });
    }

    /** The controller's side of one TLS12 context over the broker. */
    static final class Session {
        final TlsPeer tls;
        final long id;
        long seq = 1;
        long expected = 1;

        Session(TlsPeer tls, long id) {
            this.tls = tls;
            this.id = id;
        }

        void send(List<ByteString> tlsRecords) throws Exception {
            SessionContextRecord.Builder sc = SessionContextRecord.newBuilder().setSessionId(id).setSequenceId(seq++)
                    .setExpectedId(expected).addAllPayload(tlsRecords);
            controller.sendRecord(Record.newBuilder().setVersion("1.4").setFromId(CTL).setToId(TestAgent.AGENT_ID)
                    .setPayloadSecurity(Record.PayloadSecurity.TLS12).setSessionContext(sc).build());
        }

        /** The agent's next Record of this context. */
        Record next() throws InterruptedException {
            while (true) {
                Record r = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(r).as("a Record from the agent").isNotNull();
                if (r.hasSessionContext() && r.getSessionContext().getSessionId() == id) {
                    assertThat(r.getPayloadSecurity()).isEqualTo(Record.PayloadSecurity.TLS12);
                    assertThat(r.getSessionContext().getSequenceId()).isEqualTo(expected);
                    expected++;
                    return r;
                }
            }
        }

        /** Feeds the agent's Records to the controller's TLS until it has something to say or finished. */
        List<ByteString> answerTo() throws Exception {
            while (true) {
                List<ByteString> out = tls.feed(List.of(next()));
                if (!out.isEmpty() || tls.done()) {
                    return out;
                }
            }
        }

        /** A Msg the agent sends in the context, decrypted; {@code max}: the largest Record allowed (0: any). */
        UspMsg.Msg nextMsg(int max, List<Record> seen) throws Exception {
            while (true) {
                Record r = next();
                seen.add(r);
                if (max > 0) {
                    assertThat(r.getSerializedSize()).isLessThanOrEqualTo(max);
                }
                tls.feed(List.of(r));
                SessionContextRecord.PayloadSARState st = r.getSessionContext().getPayloadSarState();
                if (st == SessionContextRecord.PayloadSARState.NONE
                        || st == SessionContextRecord.PayloadSARState.COMPLETE) {
                    ByteString data = tls.takeData();
                    if (!data.isEmpty()) {
                        return RecordCodec.parseMsg(data);
                    }
                }
            }
        }
    }

    private static UspMsg.Msg get(String msgId, String path) {
        return UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(MsgType.GET))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder()
                        .setGet(UspMsg.Get.newBuilder().addParamPaths(path)))).build();
    }

    @Test
    void theControllerStartsATlsContextThroughTheBrokerAndALargeGetIsSegmentedInsideIt() throws Exception {
        setE2e(Map.of("SessionMode", "Allow", "PayloadSecurity", "TLS", "MaxUSPRecordSize", "1024"));
        inbox.clear();
        TlsPeer tls = TlsPeer.jdk(ctlId, pki.ca(), true, "TLSv1.2");
        Session s = new Session(tls, 0x7e1a);
        s.send(tls.begin());
        List<ByteString> flight = s.answerTo();
        s.send(flight);
        while (!tls.done()) {
            List<ByteString> more = s.answerTo();
            if (!more.isEmpty()) {
                s.send(more);
            }
        }
        assertThat(tls.engine.getSession().getProtocol()).isEqualTo("TLSv1.2");
        await().atMost(WAIT).until(() -> agent.onLoop(() -> agent.runtime().records().sessionState(CTL))
                == SessionState.UP);

        s.send(tls.seal(get("t1", "Device.").toByteString()));
        List<Record> seen = new ArrayList<>();
        UspMsg.Msg resp = s.nextMsg(1024, seen);
        assertThat(resp.getHeader().getMsgId()).isEqualTo("t1");
        assertThat(resp.getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResultsCount())
                .isGreaterThan(10);
        assertThat(seen).as("a Get of Device. in 1 kB Records").hasSizeGreaterThan(5);
        assertThat(seen.stream().map(r -> r.getSessionContext().getPayloadrecSarState()))
                .contains(SessionContextRecord.PayloadSARState.BEGIN, SessionContextRecord.PayloadSARState.COMPLETE);
    }

    @Test
    void sessionModeRequireMakesTheAgentStartTheTlsContextAsTheTlsClient() throws Exception {
        setE2e(Map.of("SessionMode", "Forbid", "PayloadSecurity", "TLS", "MaxUSPRecordSize", "0",
                "SessionRetryMinimumWaitInterval", "5"));
        inbox.clear();
        setE2e(Map.of("SessionMode", "Require"));
        Record hello;
        do {
            hello = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(hello).as("the agent's ClientHello").isNotNull();
        } while (!hello.hasSessionContext() || hello.getPayloadSecurity() != Record.PayloadSecurity.TLS12);
        assertThat(hello.getSessionContext().getSequenceId()).isEqualTo(1);

        TlsPeer tls = TlsPeer.jdk(ctlId, pki.ca(), false);
        Session s = new Session(tls, hello.getSessionContext().getSessionId());
        s.expected = 2;
        s.send(tls.feed(List.of(hello)));
        while (!tls.done()) {
            List<ByteString> more = s.answerTo();
            if (!more.isEmpty()) {
                s.send(more);
            }
        }
        assertThat(tls.engine.getSession().getProtocol()).isEqualTo("TLSv1.3");
        // SunJSSE sends a NewSessionTicket after the handshake: it goes to the agent like any TLS record
        List<ByteString> after = tls.feed(List.of());
        if (!after.isEmpty()) {
            s.send(after);
        }
        s.send(tls.seal(get("r1", "Device.DeviceInfo.Manufacturer").toByteString()));
        UspMsg.Msg resp = s.nextMsg(0, new ArrayList<>());
        assertThat(resp.getHeader().getMsgId()).isEqualTo("r1");
        assertThat(resp.getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResults(0)
                .getResultParamsMap()).containsKey("Manufacturer");
        setE2e(Map.of("SessionMode", "Allow"));
    }
}
