package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.mtp.mqtt.MqttMtpSettings.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT MTP against Debian's mosquitto (MQTT 5), started as a process on free loopback ports and stopped by its
 * pid: the same request/response round trip as against the embedded broker, over TCP and over TLS with a client
 * certificate, and a reconnect after mosquitto restarts. Needs {@code apt-get install mosquitto} (.ci/run does it);
 * runs with {@code ./mvnw verify -Pinterop}.
 */
@Tag("interop")
class MosquittoInteropTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki.PemCredentials agent;
    private static int port;
    private static int tlsPort;
    private static Path config;
    private static Process mosquitto;
    private MqttMtp mtp;
    private final RecordingListener listener = new RecordingListener();

    @BeforeAll
    static void startMosquitto() throws Exception {
        // mosquitto started as root drops to its own user: let it read the files.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        pki = TestPki.create(dir, "interop-ca");
        TestPki.PemCredentials server = pki.issuePem("mosquitto", "ip:127.0.0.1", "serverAuth");
        agent = pki.issueClientPem("agent");
        makeReadable(dir);
        port = freePort();
        tlsPort = freePort();
        config = dir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "per_listener_settings false",
                "allow_anonymous true",
                "persistence false",
                "log_dest stdout",
                "listener " + port + " 127.0.0.1",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.caPem,
                "certfile " + server.certificateChain(),
                "keyfile " + server.privateKey(),
                "require_certificate true",
                "tls_version tlsv1.2",
                ""));
        mosquitto = start();
    }

    @AfterAll
    static void stopMosquitto() throws InterruptedException {
        stop(mosquitto);
    }

    @AfterEach
    void closeMtp() {
        if (mtp != null) {
            mtp.close();
        }
    }

    @Test
    void requestAndResponseOverTcpWithAnAssignedClientId() throws Exception {
        RecordingListener l = listener;
        mtp = new MqttMtp(settings("tcp://127.0.0.1:" + port, "os::interop-tcp", null), l);
        mtp.start();
        MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);
        assertThat(up.assignedClientId()).isNotEmpty(); // mosquitto assigns one for an empty ClientId
        assertThat(up.replyToTopic()).isEqualTo("usp/agent/os::interop-tcp");
        roundTrip("tcp", "os::interop-tcp");
    }

    @Test
    void requestAndResponseOverTlsWithAClientCertificate() throws Exception {
        RecordingListener l = listener;
        mtp = new MqttMtp(settings("ssl://127.0.0.1:" + tlsPort, "os::interop-tls",
                new TlsFiles(pki.caPem, agent.certificateChain(), agent.privateKey())), l);
        mtp.start();
        l.awaitStatus(MqttLinkStatus::isUp);
        roundTrip("tls", "os::interop-tls");
    }

    @Test
    void reconnectsAfterMosquittoRestarts() throws Exception {
        RecordingListener l = listener;
        mtp = new MqttMtp(settings("tcp://127.0.0.1:" + port, "os::interop-restart", null), l);
        mtp.start();
        l.awaitStatus(MqttLinkStatus::isUp);

        stop(mosquitto);
        l.awaitStatus(s -> s.state() == MqttLinkState.WAITING_TO_RETRY);
        mosquitto = start();
        await().atMost(RecordingListener.WAIT).until(() -> mtp.status().isUp());
        roundTrip("restart", "os::interop-restart");
    }

    private static MqttMtpSettings settings(String url, String eid, TlsFiles tls) {
        MqttClientSettings c = MqttClientSettings.builder().brokerUrl(url).clientId("").connectRetryTime(1)
                .connectRetryIntervalMultiplier(1000).subscription("usp/agent/" + eid, 1).build();
        return MqttMtpSettings.of(eid, c, "usp/agent/" + eid).withTls(tls).withName("interop " + eid);
    }

    private void roundTrip(String tag, String eid) throws Exception {
        try (PahoPeer controller = PahoPeer.connect("tcp://127.0.0.1:" + port, "controller-" + tag)) {
            controller.subscribe("usp/controller/" + tag, 1);
            controller.publish("usp/agent/" + eid, bytes("get-" + tag), 1, "usp.msg", "usp/controller/" + tag);
            RecordingListener.Received request = listener.nextRecord();
            assertThat(request.record()).isEqualTo(bytes("get-" + tag));
            assertThat(request.responseTopic()).isEqualTo("usp/controller/" + tag);
            mtp.publish(request.responseTopic(), bytes("resp-" + tag), false).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            PahoPeer.Received r = controller.next();
            assertThat(r.payload()).isEqualTo(bytes("resp-" + tag));
            assertThat(r.contentType()).isEqualTo("usp.msg");
            assertThat(r.responseTopic()).isEqualTo("usp/agent/" + eid);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Process start() throws IOException {
        String exe = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        Process p = new ProcessBuilder(exe, "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
            }
            return accepts(port) && accepts(tlsPort);
        });
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM to the pid we started
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean accepts(int p) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Makes every file in a folder world-readable. */
    private static void makeReadable(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }
}
