package io.uspbridge.mtp.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An MQTT 5 broker inside this JVM (HiveMQ Community Edition, embedded), for the demo mode and for tests.
 *
 * <p>It listens on 127.0.0.1 only: a demo hub must not open a broker to its network. Access is anonymous, state is
 * kept in memory (nothing is written to the SD card but HiveMQ's small data-folder markers), usage statistics are
 * off. A port of 0 picks a free loopback port; {@link #port()} reports it, and it stays the same across
 * {@link #stop()} and {@link #start()}, so that clients can reconnect to a restarted broker.
 *
 * <p>An optional TLS listener takes a PKCS#12 key store (HiveMQ reads key stores, not PEM files). An optional
 * {@link EmbeddedExtension} lets tests observe and shape packets (CONNECT user properties, CONNACK Response
 * Information, SUBACK reason codes) through HiveMQ's extension SDK.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class.getName());
    /**
     * HiveMQ reports its start-up steps at INFO (migrations, extension system, its id): noise for a hub's operator,
     * who gets our one line instead. Kept in fields because logger settings live only as long as the logger.
     * A level configured explicitly (e.g. quarkus.log.category) is left alone.
     */
    private static final List<Logger> QUIETED = quiet("com.hivemq", "migrations");
    private static final String LOOPBACK = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 60;
    /** Another process may take a port between our probe and HiveMQ's bind; then we try another one. */
    private static final int BIND_ATTEMPTS = 5;

    private final Settings settings;
    private final Path root;
    private final boolean ownsRoot;
    private int port;
    private int tlsPort;
    private EmbeddedHiveMQ hivemq;

    /**
     * A TLS listener: a PKCS#12 (or JKS) key store with the broker's private key and certificate chain and, to require
     * client certificates, a trust store with the CAs that sign them.
     *
     * @param port                     0 = a free loopback port
     * @param trustStore               trust store for client certificates, or null to not ask for them
     * @param requireClientCertificate refuse clients without a certificate signed by a CA in {@code trustStore}
     */
    public record TlsListener(int port, Path keyStore, String keyStorePassword, String privateKeyPassword,
                              Path trustStore, String trustStorePassword, boolean requireClientCertificate) {
        public TlsListener {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
            Objects.requireNonNull(privateKeyPassword, "privateKeyPassword");
            if (requireClientCertificate && trustStore == null) {
                throw new IllegalArgumentException("requiring client certificates needs a trust store");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** A TLS listener on a free port that does not ask for client certificates. */
        public static TlsListener serverOnly(Path keyStore, String password) {
            return new TlsListener(0, keyStore, password, password, null, null, false);
        }
    }

    /**
     * @param port          TCP listener port, 0 = a free one
     * @param tls           an additional TLS listener, or null
     * @param dataFolder    where HiveMQ keeps its folders, or null for a temporary folder deleted on close
     * @param maxQos        the Maximum QoS the broker grants (CONNACK Maximum QoS when below 2)
     * @param retainAvailable false makes the broker announce Retain Available = 0
     * @param extension     an embedded extension, or null
     */
    public record Settings(int port, TlsListener tls, Path dataFolder, int maxQos, boolean retainAvailable,
                           EmbeddedExtension extension) {
        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (maxQos < 0 || maxQos > 2) {
                throw new IllegalArgumentException("maxQos must be 0, 1 or 2: " + maxQos);
            }
        }

        /** A plain TCP listener on a free loopback port, QoS 2, retain available, no extension. */
        public static Settings defaults() {
            return new Settings(0, null, null, 2, true, null);
        }

        public Settings withPort(int p) {
            return new Settings(p, tls, dataFolder, maxQos, retainAvailable, extension);
        }

        public Settings withTls(TlsListener t) {
            return new Settings(port, t, dataFolder, maxQos, retainAvailable, extension);
        }

        public Settings withDataFolder(Path d) {
            return new Settings(port, tls, d, maxQos, retainAvailable, extension);
        }

        public Settings withMaxQos(int q) {
            return new Settings(port, tls, dataFolder, q, retainAvailable, extension);
        }

        public Settings withRetainAvailable(boolean r) {
            return new Settings(port, tls, dataFolder, maxQos, r, extension);
        }

        public Settings withExtension(EmbeddedExtension e) {
            return new Settings(port, tls, dataFolder, maxQos, retainAvailable, e);
        }
    }

    public EmbeddedBroker(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        try {
            if (settings.dataFolder() == null) {
                root = Files.createTempDirectory("usp-bridge-broker-");
                ownsRoot = true;
            } else {
                root = Files.createDirectories(settings.dataFolder());
                ownsRoot = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data folder", e);
        }
        port = settings.port();
        tlsPort = settings.tls() == null ? -1 : settings.tls().port();
    }

    /** Starts a broker with {@link Settings#defaults()} and returns once it accepts connections. */
    public static EmbeddedBroker startDefault() {
        EmbeddedBroker broker = new EmbeddedBroker(Settings.defaults());
        broker.start();
        return broker;
    }

    /** Starts the broker; returns once its listeners accept connections. Starting a running broker does nothing. */
    public synchronized EmbeddedBroker start() {
        if (hivemq != null) {
            return this;
        }
        boolean pickPorts = port == 0 || tlsPort == 0;
        RuntimeException last = null;
        for (int attempt = 1; attempt <= (pickPorts ? BIND_ATTEMPTS : 1); attempt++) {
            int tryPort = port == 0 ? freeLoopbackPort() : port;
            int tryTlsPort = tlsPort == 0 ? freeLoopbackPort(tryPort) : tlsPort;
            long begin = System.nanoTime();
            EmbeddedHiveMQ candidate = build(tryPort, tryTlsPort);
            try {
                candidate.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                hivemq = candidate;
                port = tryPort;
                tlsPort = tryTlsPort;
                LOG.info(() -> String.format("embedded MQTT broker listening on %s:%d%s (started in %d ms)",
                        LOOPBACK, port, tlsPort > 0 ? ", TLS on " + LOOPBACK + ":" + tlsPort : "",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)));
                return this;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(candidate);
                throw new IllegalStateException("interrupted while starting the embedded broker", e);
            } catch (ExecutionException | TimeoutException e) {
                closeQuietly(candidate);
                last = new IllegalStateException("embedded broker did not start on port " + tryPort
                        + (tryTlsPort > 0 ? "/" + tryTlsPort : "") + ": " + rootMessage(e), e);
            }
        }
        throw last;
    }

    /** Stops the broker (clients see their connection drop); returns once it is stopped. Ports are kept. */
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        EmbeddedHiveMQ h = hivemq;
        hivemq = null;
        try {
            h.stop().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning("embedded broker did not stop cleanly: " + rootMessage(e));
        } finally {
            closeQuietly(h);
        }
        LOG.info(() -> "embedded MQTT broker on " + LOOPBACK + ":" + port + " stopped");
    }

    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    /** The TCP listener's port (after the first start when configured as 0). */
    public synchronized int port() {
        return port;
    }

    /** The TLS listener's port, or -1 without one. */
    public synchronized int tlsPort() {
        return tlsPort;
    }

    /** Always the loopback address: the broker listens nowhere else. */
    public String host() {
        return LOOPBACK;
    }

    /** {@code tcp://127.0.0.1:<port>} */
    public synchronized String url() {
        return "tcp://" + LOOPBACK + ":" + port;
    }

    /** {@code ssl://127.0.0.1:<tlsPort>} */
    public synchronized String tlsUrl() {
        if (tlsPort < 0) {
            throw new IllegalStateException("no TLS listener configured");
        }
        return "ssl://" + LOOPBACK + ":" + tlsPort;
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsRoot) {
            deleteTree(root);
        }
    }

    private EmbeddedHiveMQ build(int tcpPort, int sslPort) {
        try {
            Path conf = Files.createDirectories(root.resolve("conf"));
            Files.createDirectories(root.resolve("data"));
            Files.createDirectories(root.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), configXml(tcpPort, sslPort));
            var builder = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(root.resolve("data"))
                    .withExtensionsFolder(root.resolve("extensions"))
                    // HiveMQ's logging bootstrap would take over logback; the application owns logging.
                    .withoutLoggingBootstrap();
            if (settings.extension() != null) {
                builder.withEmbeddedExtension(settings.extension());
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker's configuration", e);
        }
    }

    private String configXml(int tcpPort, int sslPort) {
        StringBuilder xml = new StringBuilder(1024);
        xml.append("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n");
        xml.append("    <tcp-listener><port>").append(tcpPort).append("</port><bind-address>").append(LOOPBACK)
                .append("</bind-address><name>tcp</name></tcp-listener>\n");
        TlsListener tls = settings.tls();
        if (tls != null) {
            xml.append("    <tls-tcp-listener><port>").append(sslPort).append("</port><bind-address>")
                    .append(LOOPBACK).append("</bind-address><name>tls</name><tls>")
                    .append("<keystore><path>").append(escape(tls.keyStore().toAbsolutePath().toString()))
                    .append("</path><password>").append(escape(tls.keyStorePassword()))
                    .append("</password><private-key-password>").append(escape(tls.privateKeyPassword()))
                    .append("</private-key-password></keystore>");
            if (tls.trustStore() != null) {
                xml.append("<truststore><path>").append(escape(tls.trustStore().toAbsolutePath().toString()))
                        .append("</path><password>").append(escape(String.valueOf(tls.trustStorePassword())))
                        .append("</password></truststore>");
            }
            xml.append("<protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>")
                    .append("<client-authentication-mode>")
                    .append(tls.requireClientCertificate() ? "REQUIRED" : tls.trustStore() != null ? "OPTIONAL" : "NONE")
                    .append("</client-authentication-mode>")
                    .append("</tls></tls-tcp-listener>\n");
        }
        xml.append("  </listeners>\n");
        xml.append("  <mqtt>\n");
        xml.append("    <quality-of-service><max-qos>").append(settings.maxQos())
                .append("</max-qos></quality-of-service>\n");
        xml.append("    <retained-messages><enabled>").append(settings.retainAvailable())
                .append("</enabled></retained-messages>\n");
        xml.append("  </mqtt>\n");
        xml.append("  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n");
        xml.append("  <persistence><mode>in-memory</mode></persistence>\n");
        xml.append("</hivemq>\n");
        return xml.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static List<Logger> quiet(String... names) {
        List<Logger> out = new java.util.ArrayList<>();
        for (String n : names) {
            Logger l = Logger.getLogger(n);
            if (l.getLevel() == null) {
                l.setLevel(Level.WARNING);
            }
            out.add(l);
        }
        return out;
    }

    private static int freeLoopbackPort(int... avoid) {
        for (int i = 0; i < 10; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                int p = s.getLocalPort();
                if (avoid.length == 0 || avoid[0] != p) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback port", e);
            }
        }
        throw new IllegalStateException("no free loopback port");
    }

    private static void closeQuietly(EmbeddedHiveMQ h) {
        try {
            h.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.fine(() -> "closing the embedded broker: " + e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.fine(() -> "cannot delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            LOG.fine(() -> "cannot delete " + dir + ": " + e);
        }
    }
}
