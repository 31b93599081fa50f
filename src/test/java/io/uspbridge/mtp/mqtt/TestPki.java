package io.uspbridge.mtp.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made at test time with the JDK's {@code keytool}: a CA, server key stores for the broker and
 * client credentials as PEM files for the MTP. EC P-256 keys, valid for two days.
 */
public final class TestPki {
    public static final String PASSWORD = "changeit";
    private final Path dir;
    private final String caAlias;
    public final Path caPem;
    private final Path caStore;

    private TestPki(Path dir, String name) throws IOException, InterruptedException {
        this.dir = dir;
        this.caAlias = name;
        this.caStore = dir.resolve(name + ".p12");
        this.caPem = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", caAlias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "bc:c", "-validity", "2",
                "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", caAlias, "-rfc", "-keystore", caStore.toString(), "-storepass", PASSWORD,
                "-file", caPem.toString());
    }

    /** A new CA in {@code dir}. */
    public static TestPki create(Path dir, String caName) throws IOException, InterruptedException {
        return new TestPki(dir, caName);
    }

    /** A PKCS#12 key store with a key and a certificate signed by this CA with the given SAN (e.g. ip:127.0.0.1). */
    public Path issueKeyStore(String alias, String san, String extendedKeyUsage) throws IOException, InterruptedException {
        Path store = dir.resolve(alias + ".p12");
        Path csr = dir.resolve(alias + ".csr");
        Path signed = dir.resolve(alias + "-signed.pem");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", csr.toString());
        keytool("-gencert", "-alias", caAlias, "-keystore", caStore.toString(), "-storepass", PASSWORD,
                "-infile", csr.toString(), "-outfile", signed.toString(), "-rfc", "-validity", "2",
                "-ext", "san=" + san, "-ext", "eku=" + extendedKeyUsage);
        keytool("-importcert", "-alias", caAlias, "-file", caPem.toString(), "-keystore", store.toString(),
                "-storepass", PASSWORD, "-noprompt");
        keytool("-importcert", "-alias", alias, "-file", signed.toString(), "-keystore", store.toString(),
                "-storepass", PASSWORD);
        return store;
    }

    /** A trust store holding this CA, for a broker that checks client certificates. */
    public Path trustStore() throws IOException, InterruptedException {
        Path store = dir.resolve(caAlias + "-trust.p12");
        if (!Files.exists(store)) {
            keytool("-importcert", "-alias", caAlias, "-file", caPem.toString(), "-keystore", store.toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt");
        }
        return store;
    }

    /** Client credentials as PEM: the certificate chain and the key (PKCS#8). */
    public record PemCredentials(Path certificateChain, Path privateKey) {
    }

    public PemCredentials issueClientPem(String alias) throws Exception {
        return issuePem(alias, "dns:" + alias + ".invalid", "clientAuth");
    }

    /** A key and a certificate chain signed by this CA, as PEM files (the key in PKCS#8). */
    public PemCredentials issuePem(String alias, String san, String extendedKeyUsage) throws Exception {
        Path store = issueKeyStore(alias, san, extendedKeyUsage);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(alias, PASSWORD.toCharArray());
        List<String> chain = new ArrayList<>();
        for (Certificate c : ks.getCertificateChain(alias)) {
            chain.add(pem("CERTIFICATE", c.getEncoded()));
        }
        Path certFile = dir.resolve(alias + "-chain.pem");
        Path keyFile = dir.resolve(alias + "-key.pem");
        Files.writeString(certFile, String.join("", chain));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new PemCredentials(certFile, keyFile);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool is a short-lived JVM: the quick JIT tier and the serial GC halve its start-up.
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + String.join(" ", args) + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
    }
}
