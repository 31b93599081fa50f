package io.uspbridge.record;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.proto.UspRecord.SessionContextRecord;
import io.uspbridge.security.EndpointTls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Collection;
import java.util.Date;

/**
 * Integrity of a Record's non-payload fields with the signature method (digest §3.4, R-E2E.29–32): ECDSA on P-256
 * with SHA-256, the signature DER-encoded, over the fields in ascending field number with uint64 as 8 bytes and
 * enums as 4 bytes big-endian, {@code payload} and {@code mac_signature} left out. The signer's certificate
 * travels in {@code sender_cert} (PEM).
 *
 * <p>What is checked on a received signature: the signature itself, the certificate's dates, its P-256 key, and
 * that its subjectAltName names the Record's {@code from_id} (R-SEC.0a). What is not: the certificate's chain to a
 * trust anchor (section 13.5), because {@code LocalAgent.Certificate.{i}} and {@code ControllerTrust.Credential.{i}}
 * do not exist in the model yet. The HMAC method (after an E2E TLS handshake, R-E2E.33–39) is not supported: it
 * needs the TLS keying-material exporter, which no SSLEngine gives on Java 17 (package documentation); Records of a
 * TLS12 context are signed with this method too, and a received HMAC fails the check.
 */
public final class RecordIntegrity {
    /** The largest DER encoding of a P-256 ECDSA signature, with its field tag and length. */
    static final int SIGNATURE_OVERHEAD = 72 + 2;

    private RecordIntegrity() {
    }

    /** The bytes the signature covers (R-E2E.32, R-E2E.32.1). */
    static byte[] signedBytes(Record r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(r.getVersion().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(r.getToId().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(r.getFromId().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBuffer.allocate(4).putInt(r.getPayloadSecurityValue()).array());
        out.writeBytes(r.getSenderCert().toByteArray());
        if (r.hasSessionContext()) {
            SessionContextRecord sc = r.getSessionContext();
            out.writeBytes(ByteBuffer.allocate(40).putLong(sc.getSessionId()).putLong(sc.getSequenceId())
                    .putLong(sc.getExpectedId()).putLong(sc.getRetransmitId()).putInt(sc.getPayloadSarStateValue())
                    .putInt(sc.getPayloadrecSarStateValue()).array());
        }
        return out.toByteArray();
    }

    /**
     * Checks a Record's {@code mac_signature}; null when it verifies (or there is none), else what is wrong.
     *
     * @param now the time certificate dates are checked against
     */
    public static String problem(Record r, Date now) {
        if (r.getMacSignature().isEmpty()) {
            return null;
        }
        if (r.getSenderCert().isEmpty()) {
            return "mac_signature without sender_cert (the HMAC method of E2E TLS is not supported)";
        }
        X509Certificate cert;
        try {
            Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(r.getSenderCert().toByteArray()));
            if (chain.isEmpty()) {
                return "sender_cert holds no certificate";
            }
            cert = (X509Certificate) chain.iterator().next();
        } catch (CertificateException | ClassCastException e) {
            return "sender_cert is not a PEM X.509 certificate";
        }
        try {
            cert.checkValidity(now);
        } catch (CertificateException e) {
            return "sender_cert is not valid at this time (" + cert.getNotBefore() + " to " + cert.getNotAfter() + ")";
        }
        if (!(cert.getPublicKey() instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            return "sender_cert does not carry a P-256 key (R-E2E.31)";
        }
        if (!namesEndpoint(cert, r.getFromId())) {
            return "sender_cert does not name " + r.getFromId() + " in its subjectAltName (R-SEC.0a)";
        }
        try {
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(cert.getPublicKey());
            v.update(signedBytes(r));
            return v.verify(r.getMacSignature().toByteArray()) ? null : "mac_signature does not verify";
        } catch (GeneralSecurityException e) {
            return "mac_signature does not verify (" + e.getMessage() + ")";
        }
    }

    /**
     * Whether the certificate identifies the endpoint (SEC-2): a URI {@code urn:bbf:usp:id:<endpoint id>}, or for
     * the fqdn scheme a dNSName equal to its instance-id.
     */
    static boolean namesEndpoint(X509Certificate cert, String endpointId) {
        return EndpointTls.namesEndpoint(cert, endpointId);
    }

    /**
     * Signs Records with the agent's key: {@code sender_cert} is set to {@code certificatePem} and
     * {@code mac_signature} to the signature over the non-payload fields.
     */
    public static RecordSigner signer(PrivateKey key, String certificatePem) {
        ByteString cert = ByteString.copyFromUtf8(certificatePem);
        return new RecordSigner() {
            @Override
            public Record sign(Record r) {
                Record withCert = r.toBuilder().setSenderCert(cert).clearMacSignature().build();
                try {
                    Signature s = Signature.getInstance("SHA256withECDSA");
                    s.initSign(key);
                    s.update(signedBytes(withCert));
                    return withCert.toBuilder().setMacSignature(ByteString.copyFrom(s.sign())).build();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the agent's key cannot sign a Record: " + e.getMessage(), e);
                }
            }

            @Override
            public int overhead() {
                return SIGNATURE_OVERHEAD + 1 + 3 + cert.size();
            }
        };
    }

    /** Adds integrity protection to the Records the agent sends. */
    public interface RecordSigner {
        Record sign(Record r);

        /** Bytes the signature and certificate add to a Record, at most. */
        int overhead();
    }
}
