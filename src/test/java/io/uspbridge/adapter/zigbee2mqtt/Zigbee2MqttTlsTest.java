package io.uspbridge.adapter.zigbee2mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.proxy.spi.AdapterStatus;
import io.uspbridge.proxy.spi.RecordingSink;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter's TLS settings against a broker that requires client certificates: PEM CA, certificate and key files
 * as an operator has them. The certificates are made for the test (BouncyCastle comes with HiveMQ).
 */
class Zigbee2MqttTlsTest {

    @TempDir
    static Path dir;
    private static TestBroker broker;
    private static Path caPem;
    private static Path clientCertPem;
    private static Path clientKeyPkcs8;
    private static Path clientKeyPkcs1;

    @BeforeAll
    static void pki() throws Exception {
        KeyPair ca = rsa();
        X509Certificate caCert = certificate("CN=Test CA", ca, "CN=Test CA", ca, true, false);
        KeyPair server = rsa();
        X509Certificate serverCert = certificate("CN=127.0.0.1", server, "CN=Test CA", ca, false, true);
        KeyPair client = rsa();
        X509Certificate clientCert = certificate("CN=uspbridge", client, "CN=Test CA", ca, false, false);

        Path keyStore = dir.resolve("server.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", server.getPrivate(), "changeit".toCharArray(),
                new X509Certificate[] {serverCert, caCert});
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            ks.store(out, "changeit".toCharArray());
        }
        Path trustStore = dir.resolve("trust.p12");
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", caCert);
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ts.store(out, "changeit".toCharArray());
        }
        caPem = write("ca.pem", pem("CERTIFICATE", caCert.getEncoded()));
        clientCertPem = write("client.pem", pem("CERTIFICATE", clientCert.getEncoded()));
        clientKeyPkcs8 = write("client-key.pem", pem("PRIVATE KEY", client.getPrivate().getEncoded()));
        byte[] pkcs1 = PrivateKeyInfo.getInstance(client.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive()
                .getEncoded();
        clientKeyPkcs1 = write("client-key-rsa.pem", pem("RSA PRIVATE KEY", pkcs1));
        broker = TestBroker.start(new TestBroker.Tls(keyStore, trustStore), false);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theAdapterConnectsWithItsClientCertificateAndSeesZigbee2mqtt() {
        for (Path key : new Path[] {clientKeyPkcs8, clientKeyPkcs1}) {
            RecordingSink sink = new RecordingSink();
            String base = "tls-" + key.getFileName().toString().replace('.', '-');
            Zigbee2MqttSimulator sim = new Zigbee2MqttSimulator(broker.url(), base).start();
            Zigbee2MqttAdapter adapter = new Zigbee2MqttAdapter(Zigbee2MqttSettings.of(broker.tlsUrl())
                    .withClientId("adapter-" + base).withBaseTopic(base)
                    .withTls(new Zigbee2MqttSettings.Tls(caPem, clientCertPem, key)));
            try {
                adapter.start(sink);
                await().atMost(20, TimeUnit.SECONDS).until(() -> sink.devices().size() == 3
                        && sink.lastStatus().map(AdapterStatus::connected).orElse(false));
            } finally {
                adapter.stop();
                sim.close();
            }
        }
    }

    @Test
    void withoutAClientCertificateTheBrokerRefusesAndTheStatusSaysSo() {
        RecordingSink sink = new RecordingSink();
        Zigbee2MqttAdapter adapter = new Zigbee2MqttAdapter(Zigbee2MqttSettings.of(broker.tlsUrl())
                .withClientId("adapter-no-cert").withTls(new Zigbee2MqttSettings.Tls(caPem, null, null))
                .withReconnect(Duration.ofSeconds(5), Duration.ofSeconds(10), 0.25));
        try {
            adapter.start(sink);
            await().atMost(20, TimeUnit.SECONDS).until(() -> sink.lastStatus()
                    .filter(s -> !s.connected() && s.lastError().contains("cannot connect")).isPresent());
            assertThat(sink.devices()).isEmpty();
        } finally {
            adapter.stop();
        }
    }


    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            boolean ca, boolean server) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}
