package io.uspbridge.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test run (no files from outside the repository): a P-256 CA and P-256 end-entity
 * certificates naming a USP Endpoint ID in their subjectAltName ({@code urn:bbf:usp:id:…}), as section 13 and
 * R-E2E.40b want them. Uses BouncyCastle's bcpkix, which the project has through HiveMQ.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A key and its certificate chain (leaf first). */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.get(0);
        }

        /** Writes the certificate and key as PEM files {@code <name>.crt} and {@code <name>.key} in {@code dir}. */
        public Paths write(Path dir, String name) throws IOException {
            Path crt = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            Files.writeString(crt, pem(chain.toArray()));
            // PKCS#8, the form every PEM reader takes
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(this.key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            return new Paths(crt, key);
        }
    }

    public record Paths(Path certificate, Path key) {
    }

    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestPki(KeyPair caKeys, X509Certificate ca) {
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /** A new CA named {@code name}. */
    public static TestPki create(String name) throws GeneralSecurityException {
        KeyPair keys = p256();
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder b = builder(subject, subject, keys);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return new TestPki(keys, sign(b, keys.getPrivate()));
    }

    public X509Certificate ca() {
        return ca;
    }

    /** Writes the CA certificate as a PEM file. */
    public Path writeCa(Path dir, String name) throws IOException {
        Path p = dir.resolve(name + ".crt");
        Files.writeString(p, pem(ca));
        return p;
    }

    /** An end-entity certificate for {@code endpointId} (SAN URI {@code urn:bbf:usp:id:<endpointId>}). */
    public Identity issue(String endpointId) throws GeneralSecurityException {
        KeyPair keys = p256();
        // the issuer name must be the CA's subject
        JcaX509v3CertificateBuilder issued = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(
                SERIAL.incrementAndGet()), Date.from(Instant.now().minus(Duration.ofHours(1))),
                Date.from(Instant.now().plus(Duration.ofDays(2))), new X500Name("CN=" + endpointId.replace(':', '_')),
                keys.getPublic());
        try {
            issued.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            issued.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            issued.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, "urn:bbf:usp:id:" + endpointId)));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return new Identity(keys.getPrivate(), List.of(sign(issued, caKeys.getPrivate())));
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(2))),
                subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String pem(Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return out.toString();
    }
}
