package io.uspbridge.adapter.zigbee2mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real MQTT 5 broker (HiveMQ CE, embedded) on 127.0.0.1 and a free port, for tests. Retained messages persist in a
 * temporary data folder, so {@link #restart()} behaves like a broker that was restarted by its operator. An
 * {@code EmbeddedBroker} in main code may replace this helper later.
 */
final class TestBroker implements AutoCloseable {

    private final Path home;
    private final int port;
    private final Integer tlsPort;
    private EmbeddedHiveMQ hivemq;

    private TestBroker(Path home, int port, Integer tlsPort) {
        this.home = home;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** Retained messages in memory only: fast and quiet. */
    static TestBroker start() {
        return start(null, false);
    }

    /** Retained messages in files, so that they survive {@link #restart()} as on a real broker. */
    static TestBroker startPersistent() {
        return start(null, true);
    }

    /**
     * A TLS listener's material.
     *
     * @param keyStore   PKCS#12 with the server key and certificate, password {@code changeit}
     * @param trustStore PKCS#12 with the CA that signs client certificates (then one is required), or null
     */
    record Tls(Path keyStore, Path trustStore) {
    }

    /**
     * @param tls        to add a TLS listener, or null
     * @param persistent whether retained messages survive a restart
     */
    static TestBroker start(Tls tls, boolean persistent) {
        try {
            Path home = Files.createTempDirectory("hivemq-test");
            int port = freePort();
            Integer tlsPort = tls == null ? null : freePort();
            Path conf = Files.createDirectories(home.resolve("conf"));
            String tlsListener = tls == null ? "" : """
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                      <tls>
                        <keystore>
                          <path>%s</path>
                          <password>changeit</password>
                          <private-key-password>changeit</private-key-password>
                        </keystore>
                        %s
                      </tls>
                    </tls-tcp-listener>
                    """.formatted(tlsPort, tls.keyStore().toAbsolutePath(), tls.trustStore() == null ? ""
                    : "<truststore><path>" + tls.trustStore().toAbsolutePath() + "</path><password>changeit</password>"
                            + "</truststore><client-authentication-mode>REQUIRED</client-authentication-mode>");
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                      <listeners>
                        <tcp-listener>
                          <port>%d</port>
                          <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                        %s
                      </listeners>
                      <persistence>
                        <mode>%s</mode>
                      </persistence>
                      <anonymous-usage-statistics>
                        <enabled>false</enabled>
                      </anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port, tlsListener, persistent ? "file" : "in-memory"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            TestBroker b = new TestBroker(home, port, tlsPort);
            b.up();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void up() {
        System.setProperty("hivemq.updatecheck.enabled", "false");
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                // HiveMQ's logging bootstrap would take over logback; the tests log through JBoss LogManager.
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("embedded HiveMQ did not start", e);
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    String tlsUrl() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    /** Stops the broker; its retained messages stay in the data folder. */
    void stop() {
        try {
            hivemq.close();
        } catch (Exception e) {
            throw new IllegalStateException("embedded HiveMQ did not stop", e);
        }
    }

    /**
     * Starts it again on the same port and data folder. A fresh instance: a stopped EmbeddedHiveMQ cannot start
     * again in the same JVM (its metrics stay registered).
     */
    void restart() {
        up();
    }

    @Override
    public void close() {
        try {
            hivemq.close();
        } catch (Exception e) {
            // best effort
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
