package io.uspbridge.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The agent's TLS material for End-to-End TLS payload security (digest §4.4, §13): its P-256 key and a certificate
 * naming {@code urn:bbf:usp:id:<agent endpoint id>}, and the trust anchors a controller's certificate must chain to.
 * It makes one {@link SSLEngine} per Session Context, restricted to what R-E2E.40–43 name: TLS 1.2 with
 * ECDHE-ECDSA-AES128-GCM-SHA256 or TLS 1.3 with TLS_AES_128_GCM_SHA256, the secp256r1 group, ECDSA P-256/SHA-256
 * signatures, and mutual X.509 authentication.
 *
 * <p>The engines come from BouncyCastle's JSSE provider (bctls), not the JDK's: on Java 17 only its engines can be
 * limited, per engine, to the secp256r1 group and the ECDSA P-256 signature scheme (the JDK's SSLParameters gained
 * named groups in JDK 20, and otherwise only process-wide system properties do it, which would also bind the MQTT
 * TLS client). BouncyCastle refuses renegotiation (it answers a no_renegotiation alert), as R-E2E.42 requires.
 * Neither provider gives the TLS keying-material exporter after the handshake on Java 17 (BouncyCastle computes it
 * only inside the handshake, its {@code exportKeyingMaterialData} works from Java 25), so the HMAC integrity method
 * (R-E2E.33–39) is not offered: see the record package documentation.
 *
 * <p>The controller's certificate is checked as section 13.5 says for a controller not stored by certificate: its
 * chain must lead to one of the trust anchors (PKIX, dates included, revocation not checked), and its subjectAltName
 * must name the controller's Endpoint ID (SEC-2, R-SEC.0a: a URI {@code urn:bbf:usp:id:…}, or for the fqdn scheme a
 * dNSName), the Endpoint ID being the {@code from_id} of the Records that carry the handshake.
 */
public final class EndpointTls {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final String[] CIPHER_SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
    static final String[] GROUPS = {"secp256r1"};
    static final String[] SIGNATURE_SCHEMES = {"ecdsa_secp256r1_sha256"};
    private static final char[] NO_PASSWORD = new char[0];
    /** One provider instance for the process: it holds no per-connection state. */
    private static final BouncyCastleJsseProvider PROVIDER = new BouncyCastleJsseProvider();
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * BouncyCastle's JSSE logs every connection and every alert at INFO, with stack traces; the Session Context
     * logs one line per handshake and failure instead. Held here so that the level stays set.
     */
    private static final Logger BC_JSSE = quiet(Logger.getLogger("org.bouncycastle.jsse"));

    private static Logger quiet(Logger l) {
        l.setLevel(Level.WARNING);
        return l;
    }

    private final KeyManagerFactory keys;
    private final Set<TrustAnchor> anchors;
    private final X509Certificate certificate;

    private EndpointTls(KeyManagerFactory keys, Set<TrustAnchor> anchors, X509Certificate certificate) {
        this.keys = keys;
        this.anchors = anchors;
        this.certificate = certificate;
    }

    /**
     * @param key          the agent's private key (P-256)
     * @param chain        its certificate, leaf first, then any intermediates
     * @param trustAnchors the CA certificates a controller's certificate must chain to (at least one)
     */
    public static EndpointTls of(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustAnchors)
            throws GeneralSecurityException {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the E2E TLS certificate file holds no certificate");
        }
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("E2E TLS needs at least one trust anchor for controller certificates");
        }
        if (!(chain.get(0).getPublicKey() instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("the E2E TLS certificate must carry a P-256 key (R-E2E.40b)");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        ks.setKeyEntry("agent", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", PROVIDER);
        kmf.init(ks, NO_PASSWORD);
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate c : trustAnchors) {
            anchors.add(new TrustAnchor(c, null));
        }
        return new EndpointTls(kmf, Set.copyOf(anchors), chain.get(0));
    }

    /** Reads the PEM files of the configuration (see {@link PemFiles}). */
    public static EndpointTls load(Path certificate, Path privateKey, Path trustAnchors)
            throws IOException, GeneralSecurityException {
        return of(PemFiles.privateKey(privateKey), PemFiles.certificates(certificate),
                PemFiles.certificates(trustAnchors));
    }

    /** The agent's own certificate (its leaf). */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A new engine for one Session Context with {@code peerEndpointId}; the endpoint that started the context is
     * the TLS client (R-E2E.43). Both sides present a certificate.
     */
    public SSLEngine newEngine(String peerEndpointId, boolean client) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS", PROVIDER);
        // BouncyCastle asks for a "DEFAULT" SecureRandom algorithm, which the JDK has not: give it one
        ctx.init(keys.getKeyManagers(), new X509TrustManager[] {new PeerCheck(peerEndpointId)}, RANDOM);
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(client);
        BCSSLParameters p = ((BCSSLEngine) engine).getParameters();
        p.setProtocols(PROTOCOLS);
        p.setCipherSuites(CIPHER_SUITES);
        p.setNamedGroups(GROUPS);
        p.setSignatureSchemes(SIGNATURE_SCHEMES);
        p.setSignatureSchemesCert(SIGNATURE_SCHEMES);
        p.setNeedClientAuth(true);
        ((BCSSLEngine) engine).setParameters(p);
        return engine;
    }

    /**
     * Whether the certificate identifies the endpoint (SEC-2): a URI {@code urn:bbf:usp:id:<endpoint id>}, or for
     * the fqdn scheme a dNSName equal to its instance-id.
     */
    public static boolean namesEndpoint(X509Certificate cert, String endpointId) {
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (CertificateException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        String urn = "urn:bbf:usp:id:" + endpointId;
        String fqdn = endpointId.startsWith("fqdn::") ? endpointId.substring(6) : null;
        for (List<?> n : names) {
            int type = (Integer) n.get(0);
            String value = String.valueOf(n.get(1));
            if (type == 6 && value.equalsIgnoreCase(urn)) {
                return true;
            }
            if (type == 2 && fqdn != null && value.toLowerCase(Locale.ROOT).equals(fqdn.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Section 13.5 for the peer of one context: a chain to a trust anchor and the peer's Endpoint ID. */
    private final class PeerCheck implements X509TrustManager {
        private final String endpointId;

        PeerCheck(String endpointId) {
            this.endpointId = endpointId;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the peer presented no certificate");
            }
            if (!namesEndpoint(chain[0], endpointId)) {
                throw new CertificateException("the certificate of " + endpointId + " (" + chain[0]
                        .getSubjectX500Principal() + ") does not name urn:bbf:usp:id:" + endpointId
                        + " in its subjectAltName (R-SEC.0a)");
            }
            try {
                PKIXParameters params = new PKIXParameters(anchors);
                params.setRevocationEnabled(false);
                CertPathValidator.getInstance("PKIX").validate(
                        CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain)), params);
            } catch (GeneralSecurityException e) {
                throw new CertificateException("the certificate of " + endpointId + " does not chain to a trust "
                        + "anchor: " + e.getMessage(), e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return anchors.stream().map(TrustAnchor::getTrustedCert).toArray(X509Certificate[]::new);
        }
    }
}
