package io.uspbridge.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files with the JDK alone: X.509 certificates (one or a bundle) and unencrypted private keys in the three
 * layouts that OpenSSL, mosquitto and keytool users meet: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE
 * KEY}) and SEC1 ({@code EC PRIVATE KEY}). The last two are wrapped into PKCS#8 here, which is all the JDK lacks to
 * read them, so no BouncyCastle is needed. Encrypted keys are refused with a message saying how to decrypt them.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] OID_RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC_PUBLIC_KEY = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

    private PemFiles() {
    }

    /** One PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...) and its decoded bytes. */
    public record Block(String label, byte[] der) {
    }

    /** Every certificate in {@code file}, in file order (a chain is leaf first). */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (Block b : blocks(file)) {
            if (!b.label().equals("CERTIFICATE") && !b.label().equals("TRUSTED CERTIFICATE")) {
                continue;
            }
            Certificate c;
            try {
                c = cf.generateCertificate(new ByteArrayInputStream(b.der()));
            } catch (CertificateException e) {
                throw new CertificateException(file + ": not a valid X.509 certificate: " + e.getMessage(), e);
            }
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new CertificateException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return out;
    }

    /** The (first) private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        byte[] ecParameters = null;
        for (Block b : blocks(file)) {
            switch (b.label()) {
                case "EC PARAMETERS" -> ecParameters = b.der();
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, rsaToPkcs8(b.der()));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(file, sec1ToPkcs8(file, b.der(), ecParameters));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new InvalidKeySpecException(file
                        + ": encrypted private keys are not supported; decrypt it with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem' and protect the file instead");
                default -> {
                    // certificates and other blocks in the same file are skipped
                }
            }
        }
        throw new InvalidKeySpecException(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    /** All PEM blocks in {@code file}. Legacy OpenSSL-encrypted blocks (Proc-Type headers) are refused. */
    public static List<Block> blocks(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                throw new InvalidKeySpecException(file + ": encrypted PEM (" + m.group(1)
                        + ") is not supported; decrypt it with 'openssl pkey -in KEY -out KEY.pem'");
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.trim())));
            } catch (IllegalArgumentException e) {
                throw new InvalidKeySpecException(file + ": bad base64 in PEM block " + m.group(1), e);
            }
        }
        return out;
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new InvalidKeySpecException(file + ": private key of an unsupported type or malformed");
    }

    /** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo { 0, { rsaEncryption, NULL }, OCTET STRING }. */
    static byte[] rsaToPkcs8(byte[] pkcs1) {
        byte[] algorithm = Der.sequence(Der.tlv(0x06, OID_RSA), new byte[] {0x05, 0x00});
        return Der.sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, Der.tlv(0x04, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey → PKCS#8 PrivateKeyInfo { 0, { id-ecPublicKey, namedCurve }, OCTET STRING }. The curve comes
     * from the key's own [0] parameters, or else from an {@code EC PARAMETERS} block before it.
     */
    static byte[] sec1ToPkcs8(Path file, byte[] sec1, byte[] separateParameters) throws InvalidKeySpecException {
        byte[] curve = separateParameters;
        Der.Reader seq = new Der.Reader(sec1).enter(0x30);
        seq.next(0x02); // version 1
        seq.next(0x04); // private key
        while (seq.hasMore()) {
            int tag = seq.peekTag();
            byte[] value = seq.next(tag);
            if (tag == 0xa0) {
                curve = value; // the [0] wrapper holds the named-curve OID TLV
            }
        }
        if (curve == null) {
            throw new InvalidKeySpecException(file + ": EC private key without curve parameters");
        }
        byte[] algorithm = Der.sequence(Der.tlv(0x06, OID_EC_PUBLIC_KEY), curve);
        return Der.sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, Der.tlv(0x04, sec1));
    }

    /** The few DER pieces the key conversions need. */
    static final class Der {
        private Der() {
        }

        static byte[] tlv(int tag, byte[] value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
            out.write(tag);
            int len = value.length;
            if (len < 0x80) {
                out.write(len);
            } else {
                int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write((len >>> (8 * i)) & 0xff);
                }
            }
            out.writeBytes(value);
            return out.toByteArray();
        }

        static byte[] sequence(byte[]... parts) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                body.writeBytes(p);
            }
            return tlv(0x30, body.toByteArray());
        }

        /** Reads TLVs one after another from a byte range. */
        static final class Reader {
            private final byte[] der;
            private int pos;
            private final int end;

            Reader(byte[] der) {
                this(der, 0, der.length);
            }

            private Reader(byte[] der, int pos, int end) {
                this.der = der;
                this.pos = pos;
                this.end = end;
            }

            boolean hasMore() {
                return pos < end;
            }

            int peekTag() throws InvalidKeySpecException {
                if (pos >= end) {
                    throw new InvalidKeySpecException("truncated DER");
                }
                return der[pos] & 0xff;
            }

            /** A reader over the value of the next TLV, which must have {@code tag}. */
            Reader enter(int tag) throws InvalidKeySpecException {
                int[] vr = header(tag);
                pos = vr[0] + vr[1];
                return new Reader(der, vr[0], vr[0] + vr[1]);
            }

            /** Skips the version INTEGER and returns the OCTET STRING after it (SEC1 and PKCS#8 layouts). */
            byte[] nextAfterVersion() throws InvalidKeySpecException {
                next(0x02);
                return next(0x04);
            }

            /** The value of the next TLV, which must have {@code tag}. */
            byte[] next(int tag) throws InvalidKeySpecException {
                int[] vr = header(tag);
                pos = vr[0] + vr[1];
                return java.util.Arrays.copyOfRange(der, vr[0], vr[0] + vr[1]);
            }

            private int[] header(int tag) throws InvalidKeySpecException {
                if (peekTag() != tag) {
                    throw new InvalidKeySpecException(String.format("DER: expected tag 0x%02x, found 0x%02x",
                            tag, peekTag()));
                }
                int p = pos + 1;
                if (p >= end) {
                    throw new InvalidKeySpecException("truncated DER");
                }
                int len = der[p++] & 0xff;
                if (len >= 0x80) {
                    int n = len & 0x7f;
                    if (n == 0 || n > 4 || p + n > end) {
                        throw new InvalidKeySpecException("unsupported DER length");
                    }
                    len = 0;
                    for (int i = 0; i < n; i++) {
                        len = (len << 8) | (der[p++] & 0xff);
                    }
                }
                if (len < 0 || p + len > end) {
                    throw new InvalidKeySpecException("truncated DER");
                }
                return new int[] {p, len};
            }
        }
    }
}
