package io.uspbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM keys in the layouts OpenSSL and friends write, read with the JDK alone. */
class PemFilesTest {
    /** DER of the OID 1.2.840.10045.3.1.7 (P-256), as a TLV. */
    private static final byte[] P256_OID = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END "
                + label + "-----\n";
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The inner key of a PKCS#8 PrivateKeyInfo: PKCS#1 for RSA, SEC1 (without parameters) for EC. */
    private static byte[] innerKey(byte[] pkcs8) throws Exception {
        PemFiles.Der.Reader r = new PemFiles.Der.Reader(pkcs8).enter(0x30);
        r.next(0x02);
        r.next(0x30);
        return r.next(0x04);
    }

    /** Both keys sign and verify alike: the parsed key is the generated one. */
    private static void assertSameKey(PrivateKey parsed, KeyPair original, String algorithm) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(parsed);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(original.getPublic());
        v.update(new byte[] {1, 2, 3});
        assertThat(v.verify(sig)).isTrue();
    }

    @Test
    void pkcs8KeysOfEitherKind() throws Exception {
        KeyPair ec = ec();
        assertSameKey(PemFiles.privateKey(write("ec.pem", pem("PRIVATE KEY", ec.getPrivate().getEncoded()))), ec,
                "SHA256withECDSA");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        assertSameKey(PemFiles.privateKey(write("rsa.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))), rsa,
                "SHA256withRSA");
    }

    @Test
    void pkcs1RsaKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        String text = pem("RSA PRIVATE KEY", innerKey(rsa.getPrivate().getEncoded()));
        assertSameKey(PemFiles.privateKey(write("rsa1.pem", text)), rsa, "SHA256withRSA");
    }

    @Test
    void sec1EcKeysWithTheirCurveInsideOrInAnEcParametersBlock() throws Exception {
        KeyPair ec = ec();
        byte[] bare = innerKey(ec.getPrivate().getEncoded()); // SEQUENCE { 1, OCTET STRING d }
        byte[] d = new PemFiles.Der.Reader(bare).enter(0x30).nextAfterVersion();
        // As "openssl ecparam -genkey" writes it: SEQUENCE { 1, OCTET STRING d, [0] { curve OID } }
        byte[] withCurve = PemFiles.Der.sequence(new byte[] {0x02, 0x01, 0x01}, PemFiles.Der.tlv(0x04, d),
                PemFiles.Der.tlv(0xa0, P256_OID));
        assertSameKey(PemFiles.privateKey(write("sec1.pem", pem("EC PRIVATE KEY", withCurve))), ec,
                "SHA256withECDSA");

        String separate = pem("EC PARAMETERS", P256_OID) + pem("EC PRIVATE KEY", bare);
        assertSameKey(PemFiles.privateKey(write("sec1-params.pem", separate)), ec, "SHA256withECDSA");

        assertThatThrownBy(() -> PemFiles.privateKey(write("sec1-nocurve.pem", pem("EC PRIVATE KEY", bare))))
                .hasMessageContaining("without curve parameters");
    }

    @Test
    void aKeyAfterCertificatesInTheSameFileIsFound() throws Exception {
        KeyPair ec = ec();
        String text = Files.readString(fixture("two-certificates.pem")) + pem("PRIVATE KEY",
                ec.getPrivate().getEncoded());
        assertSameKey(PemFiles.privateKey(write("combined.pem", text)), ec, "SHA256withECDSA");
    }

    @Test
    void encryptedAndMissingKeysAreRefusedWithAReason() throws Exception {
        assertThatThrownBy(() -> PemFiles.privateKey(write("enc.pem", pem("ENCRYPTED PRIVATE KEY", new byte[] {1}))))
                .hasMessageContaining("encrypted").hasMessageContaining("enc.pem");
        assertThatThrownBy(() -> PemFiles.privateKey(write("legacy.pem", "-----BEGIN RSA PRIVATE KEY-----\n"
                + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n")))
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> PemFiles.privateKey(fixture("two-certificates.pem")))
                .hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> PemFiles.privateKey(write("junk.pem", pem("PRIVATE KEY", new byte[] {0x30, 0x00}))))
                .hasMessageContaining("unsupported type or malformed");
    }

    @Test
    void certificateBundlesAreReadInOrder() throws Exception {
        List<X509Certificate> certs = PemFiles.certificates(fixture("two-certificates.pem"));
        assertThat(certs).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=fixture-one", "CN=fixture-two");
        assertThatThrownBy(() -> PemFiles.certificates(write("none.pem", "nothing here")))
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> PemFiles.certificates(write("bad.pem", pem("CERTIFICATE", new byte[] {1, 2}))))
                .hasMessageContaining("not a valid X.509 certificate");
    }

    @Test
    void derLengthsAboveOneByteAreEncoded() {
        byte[] value = new byte[300];
        byte[] tlv = PemFiles.Der.tlv(0x04, value);
        assertThat(tlv).startsWith(0x04, 0x82, 0x01, 0x2c).hasSize(304);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PemFilesTest.class.getResource(name).toURI());
    }
}
