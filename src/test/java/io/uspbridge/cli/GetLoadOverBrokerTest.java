package io.uspbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.mtp.mqtt.PahoPeer;
import io.uspbridge.mtp.mqtt.TestPki;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.proto.UspRecord.Record;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool's own MQTT client (LoadConnection, HiveMQ client) against a real broker and a scripted agent that
 * answers some requests wrongly, twice or not at all: every answer and every error is counted exactly once, each
 * request reaches the agent once with the properties a USP controller must send, and a window wider than the
 * broker's receive maximum loses nothing. (UspCtlTest runs {@code usp-ctl load} against the whole agent.)
 */
class GetLoadOverBrokerTest {
    private static final String AGENT_ID = "proto::scripted-agent";
    private static final String AGENT_TOPIC = "usp/agent/scripted";
    private static final String CONTROLLER_TOPIC = "usp/controller/load-test";

    private static EmbeddedBroker broker;
    @TempDir
    static Path pkiDir;
    private static TestPki pki;
    private ScriptedAgent agent;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @BeforeEach
    void startAgent() throws Exception {
        agent = new ScriptedAgent(broker.url());
    }

    @AfterEach
    void stopAgent() throws Exception {
        agent.close();
    }

    private ControllerClient.Settings settings() {
        return ControllerClient.Settings.of(broker.url(), "proto::load-test", AGENT_ID, AGENT_TOPIC)
                .withControllerTopic(CONTROLLER_TOPIC).withTimeout(Duration.ofSeconds(1));
    }

    @Test
    void everyAnswerAndEveryErrorIsCountedOnceWithAWindowWiderThanTheBrokerAllows() throws Exception {
        int requests = 200;
        int window = 32;
        List<GetLoad.Result> results = new ArrayList<>();
        try (LoadConnection c = LoadConnection.connect(settings(), null)) {
            // HiveMQ CE lets a client have 10 QoS 1 PUBLISHes unacknowledged: the client must hold the rest back.
            assertThat(c.sendMaximum()).isPositive().isLessThan(window);
            new GetLoad(c).run(new GetLoad.Plan(List.of("Device.DeviceInfo."), requests, 0, window,
                    OptionalLong.empty()), results::add);
        }
        // Request n: n % 10 == 3 an err_code, == 5 answered twice, == 7 never answered (given up after the
        // timeout); the others a good GET_RESP. The last request (199) is answered once and well, after every
        // duplicate: the run cannot end before the duplicates arrived.
        assertThat(results).hasSize(1);
        GetLoad.Result r = results.get(0);
        assertThat(r.requests()).isEqualTo(requests);
        assertThat(r.errors()).isEqualTo(3 * requests / 10);
        assertThat(agent.received).hasSize(requests).allSatisfy((n, count) -> assertThat(count.get())
                .as("request %d arrived more than once", n).isEqualTo(1));
        assertThat(agent.received.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.range(0, requests).boxed().toList());
        assertThat(agent.violations).isEmpty();
    }

    @Test
    void aRunWithOnlyGoodAnswersHasNoErrorsAndTheWarmUpIsNotCounted() throws Exception {
        agent.answerEverythingWell = true;
        List<GetLoad.Result> results = new ArrayList<>();
        try (LoadConnection c = LoadConnection.connect(settings(), null)) {
            new GetLoad(c).run(new GetLoad.Plan(List.of("Device.", "Device.DeviceInfo."), 50, 20, 4,
                    OptionalLong.empty()), results::add);
        }
        assertThat(results).extracting(GetLoad.Result::path).containsExactly("Device.", "Device.DeviceInfo.");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.requests()).isEqualTo(50);
            assertThat(r.errors()).isZero();
        });
        assertThat(agent.received).hasSize(2 * (50 + 20));
        assertThat(agent.violations).isEmpty();
    }

    @Test
    void theFirstRequestOfTheCommandGetsTheWholeAnswer() throws Exception {
        agent.answerEverythingWell = true;
        try (LoadConnection c = LoadConnection.connect(settings(), null)) {
            UspMsg.Msg answer = ControllerClient.await(c.request(MsgType.GET,
                    Requests.get(List.of("Device.DeviceInfo."), 0)));
            assertThat(answer.getHeader().getMsgType()).isEqualTo(MsgType.GET_RESP);
            assertThat(answer.getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResults(0)
                    .getResultParamsMap()).containsEntry("Manufacturer", "USP Bridge");
        }
    }

    @Test
    void overTlsWithAClientCertificateFromTheSameFilesAsEveryOtherCommand() throws Exception {
        TestPki pki = pki();
        Path serverStore = pki.issueKeyStore("broker", "ip:127.0.0.1", "serverAuth");
        TestPki.PemCredentials client = pki.issueClientPem("load-client");
        try (EmbeddedBroker tls = new EmbeddedBroker(EmbeddedBroker.Settings.defaults().withTls(
                new EmbeddedBroker.TlsListener(0, serverStore, TestPki.PASSWORD, TestPki.PASSWORD, pki.trustStore(),
                        TestPki.PASSWORD, true)))) {
            tls.start();
            try (ScriptedAgent tlsAgent = new ScriptedAgent(tls.url())) {
                tlsAgent.answerEverythingWell = true;
                ConnectionOptions o = options(tls.tlsUrl(), pki.caPem, client.certificateChain(),
                        client.privateKey());
                List<GetLoad.Result> results = new ArrayList<>();
                try (LoadConnection c = LoadConnection.connect(o.plainSettings(), o.tlsKeys())) {
                    new GetLoad(c).run(new GetLoad.Plan(List.of("Device.DeviceInfo."), 40, 5, 8,
                            OptionalLong.empty()), results::add);
                }
                assertThat(results).singleElement().satisfies(r -> {
                    assertThat(r.requests()).isEqualTo(40);
                    assertThat(r.errors()).isZero();
                });
                assertThat(tlsAgent.received).hasSize(45);
                assertThat(tlsAgent.violations).isEmpty();

                // The broker asks for a client certificate: without one there is no connection.
                ConnectionOptions anonymous = options(tls.tlsUrl(), pki.caPem, null, null);
                assertThatThrownBy(() -> LoadConnection.connect(anonymous.plainSettings(), anonymous.tlsKeys())
                        .close()).hasStackTraceContaining("bad_certificate");
            }
        }
    }

    @Test
    void aBrokerCertificateForAnotherHostNameIsRefused_R_MTP_4() throws Exception {
        TestPki pki = pki();
        Path wrongName = pki.issueKeyStore("elsewhere", "dns:broker.elsewhere.invalid", "serverAuth");
        try (EmbeddedBroker other = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()
                .withTls(EmbeddedBroker.TlsListener.serverOnly(wrongName, TestPki.PASSWORD)))) {
            other.start();
            ConnectionOptions o = options(other.tlsUrl(), pki.caPem, null, null);
            // The CA through which the client-certificate test connects: only the name is wrong here.
            assertThatThrownBy(() -> LoadConnection.connect(o.plainSettings(), o.tlsKeys()).close())
                    .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
        }
    }

    /** One CA for the TLS tests of this class: keytool is slow. */
    private static synchronized TestPki pki() throws Exception {
        if (pki == null) {
            pki = TestPki.create(pkiDir, "load-test-ca");
        }
        return pki;
    }

    private static ConnectionOptions options(String broker, Path ca, Path cert, Path key) {
        return new ConnectionOptions(broker, null, null, ca, cert, key, AGENT_ID, AGENT_TOPIC, "proto::load-test",
                CONTROLLER_TOPIC, Duration.ofSeconds(5), 1);
    }

    /**
     * An agent played by a plain Paho client: it answers the Gets it receives in order, over QoS 1, from one thread.
     */
    private static final class ScriptedAgent implements AutoCloseable {
        final Map<Long, AtomicInteger> received = new ConcurrentHashMap<>();
        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean answerEverythingWell;
        private final PahoPeer mqtt;
        private final Thread worker;

        ScriptedAgent(String url) throws MqttException {
            mqtt = PahoPeer.connect(url, "").subscribe(AGENT_TOPIC, 1);
            worker = new Thread(this::work, "scripted-agent");
            worker.setDaemon(true);
            worker.start();
        }

        private void work() {
            try {
                while (true) {
                    answer(mqtt.take());
                }
            } catch (InterruptedException e) {
                // closed
            } catch (Exception e) {
                violations.add("the scripted agent failed: " + e);
            }
        }

        private void answer(PahoPeer.Received m) throws Exception {
            if (m.qos() != 1 || !"usp.msg".equals(m.contentType()) || !CONTROLLER_TOPIC.equals(m.responseTopic())) {
                violations.add("QoS " + m.qos() + ", content type " + m.contentType() + ", response topic "
                        + m.responseTopic());
            }
            Record request = Record.parseFrom(m.payload());
            if (!request.getToId().equals(AGENT_ID) || !request.getFromId().equals("proto::load-test")) {
                violations.add("to " + request.getToId() + " from " + request.getFromId());
            }
            UspMsg.Msg msg = UspMsg.Msg.parseFrom(request.getNoSessionContext().getPayload());
            String id = msg.getHeader().getMsgId();
            String path = msg.getBody().getRequest().getGet().getParamPaths(0);
            long n = number(id);
            if (n >= 0) {
                received.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
            }
            long kind = answerEverythingWell || n < 0 ? 0 : n % 10;
            if (kind == 7) {
                return;
            }
            byte[] answer = answer(id, path, kind == 3 ? 7026 : 0);
            publish(m.responseTopic(), answer);
            if (kind == 5) {
                publish(m.responseTopic(), answer);
            }
        }

        /** The number of a load request's msg_id ({@code load-<run>-0000000042}); -1 for another request. */
        private static long number(String id) {
            String digits = id.substring(Math.max(0, id.length() - GetRequestTemplate.DIGITS));
            return id.startsWith("load-") && !id.startsWith("load-probe-") && digits.chars().allMatch(Character::isDigit)
                    ? Long.parseLong(digits) : -1;
        }

        private static byte[] answer(String id, String path, int errCode) {
            UspMsg.GetResp.RequestedPathResult.Builder r = UspMsg.GetResp.RequestedPathResult.newBuilder()
                    .setRequestedPath(path).setErrCode(errCode);
            if (errCode == 0) {
                r.addResolvedPathResults(UspMsg.GetResp.ResolvedPathResult.newBuilder().setResolvedPath(path)
                        .putResultParams("Manufacturer", "USP Bridge").putResultParams("UpTime", "42"));
            } else {
                r.setErrMsg("no such path");
            }
            UspMsg.Msg msg = UspMsg.Msg.newBuilder()
                    .setHeader(UspMsg.Header.newBuilder().setMsgId(id).setMsgType(MsgType.GET_RESP))
                    .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                            .setGetResp(UspMsg.GetResp.newBuilder().addReqPathResults(r)))).build();
            return Record.newBuilder().setVersion("1.4").setToId("proto::load-test").setFromId(AGENT_ID)
                    .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(msg.toByteString()))
                    .build().toByteArray();
        }

        /** QoS 1, one at a time: the broker's receive maximum holds for this side too. */
        private void publish(String topic, byte[] payload) throws MqttException {
            mqtt.publish(topic, payload, 1, "usp.msg", null);
        }

        @Override
        public void close() throws MqttException {
            worker.interrupt();
            mqtt.close();
        }
    }
}
