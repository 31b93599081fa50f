package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.mtp.mqtt.MqttMtpSettings.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS (R-MQTT.48, TP-469 11.3 and 4.1) with PEM files made at test time by keytool, against HiveMQ's TLS
 * listener: the broker requires a client certificate; the MTP checks the broker's certificate against the CA file
 * and the host name it connected to.
 */
class MqttMtpTlsTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki.PemCredentials client;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = TestPki.create(dir, "usp-bridge-test-ca");
        Path serverStore = pki.issueKeyStore("broker", "ip:127.0.0.1", "serverAuth");
        client = pki.issueClientPem("agent");
        broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults().withTls(new EmbeddedBroker.TlsListener(0,
                serverStore, TestPki.PASSWORD, TestPki.PASSWORD, pki.trustStore(), TestPki.PASSWORD, true)));
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static MqttMtpSettings settings(String url, TlsFiles tls, String eid) {
        MqttClientSettings c = MqttClientSettings.builder().brokerUrl(url).connectRetryTime(1)
                .connectRetryIntervalMultiplier(1000).subscription("usp/agent/" + eid, 1).build();
        return MqttMtpSettings.of(eid, c, "usp/agent/" + eid).withTls(tls).withName("tls-" + eid);
    }

    @Test
    void recordsFlowOverTlsWithPemTrustAndAClientCertificate_TP_11_3() throws Exception {
        RecordingListener l = new RecordingListener();
        try (MqttMtp mtp = new MqttMtp(settings(broker.tlsUrl(),
                new TlsFiles(pki.caPem, client.certificateChain(), client.privateKey()), "tls-1"), l);
             PahoPeer controller = PahoPeer.connect(broker.url(), "controller-tls")) {
            controller.subscribe("usp/controller/tls", 1);
            mtp.start();
            l.awaitStatus(MqttLinkStatus::isUp);
            assertThat(broker.tlsUrl()).startsWith("ssl://");

            controller.publish("usp/agent/tls-1", "ping".getBytes(StandardCharsets.UTF_8), 1, "usp.msg",
                    "usp/controller/tls");
            assertThat(l.nextRecord().responseTopic()).isEqualTo("usp/controller/tls");
            mtp.publish("usp/controller/tls", "pong".getBytes(StandardCharsets.UTF_8), false)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(controller.next().payload()).isEqualTo("pong".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBrokerSignedByAnotherCaIsRefused() throws Exception {
        TestPki other = TestPki.create(dir, "some-other-ca");
        RecordingListener l = new RecordingListener();
        try (MqttMtp mtp = new MqttMtp(settings(broker.tlsUrl(),
                new TlsFiles(other.caPem, client.certificateChain(), client.privateKey()), "tls-2"), l)) {
            mtp.start();
            MqttLinkStatus s = l.awaitStatus(x -> x.state() == MqttLinkState.WAITING_TO_RETRY);
            assertThat(s.clientStatus()).isEqualTo("Error");
            assertThat(s.lastError()).containsIgnoringCase("certification path");
            assertThat(l.statuses).noneMatch(MqttLinkStatus::isUp);
        }
    }

    @Test
    void withoutAClientCertificateTheBrokerRefusesTheConnection() throws Exception {
        RecordingListener l = new RecordingListener();
        try (MqttMtp mtp = new MqttMtp(settings(broker.tlsUrl(), TlsFiles.trust(pki.caPem), "tls-3"), l)) {
            mtp.start();
            l.awaitStatus(x -> x.state() == MqttLinkState.WAITING_TO_RETRY);
            assertThat(l.statuses).noneMatch(MqttLinkStatus::isUp);
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused_R_MTP_4() throws Exception {
        Path wrongName = pki.issueKeyStore("elsewhere", "dns:broker.elsewhere.invalid", "serverAuth");
        try (EmbeddedBroker other = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()
                .withTls(EmbeddedBroker.TlsListener.serverOnly(wrongName, TestPki.PASSWORD)))) {
            other.start();
            RecordingListener l = new RecordingListener();
            try (MqttMtp mtp = new MqttMtp(settings(other.tlsUrl(), TlsFiles.trust(pki.caPem), "tls-4"), l)) {
                mtp.start();
                MqttLinkStatus s = l.awaitStatus(x -> x.state() == MqttLinkState.WAITING_TO_RETRY);
                assertThat(s.clientStatus()).isEqualTo("Error");
                assertThat(s.lastError()).containsIgnoringCase("127.0.0.1");
                assertThat(l.statuses).noneMatch(MqttLinkStatus::isUp);
            }
        }
    }

    @Test
    void unreadableTlsFilesMakeTheLinkMisconfigured() throws Exception {
        RecordingListener l = new RecordingListener();
        try (MqttMtp mtp = new MqttMtp(settings(broker.tlsUrl(), TlsFiles.trust(dir.resolve("missing.pem")),
                "tls-5"), l)) {
            mtp.start();
            MqttLinkStatus s = l.awaitStatus(x -> x.state() == MqttLinkState.DISABLED);
            assertThat(s.clientStatus()).isEqualTo("Error_Misconfigured");
            assertThat(s.lastError()).contains("missing.pem");
        }
    }
}
