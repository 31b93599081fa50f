package io.uspbridge.security;

import io.uspbridge.net.ConfiguringSslSocketFactory;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS client side of an MTP connection, built from PEM files with the JDK: trust anchors (or the JDK's own trust
 * store), an optional client certificate and key, TLS 1.2 or 1.3 only (R-MQTT.48, MTP-1) and server host-name
 * verification always on (R-MTP.4: the server certificate must match the host the agent connected to). Certificate
 * dates are checked by the JDK against the system clock (R-MTP.3).
 */
public final class TlsClientContext {
    /** The protocol versions offered; older ones are never negotiated. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final char[] NO_PASSWORD = new char[0];

    private TlsClientContext() {
    }

    /**
     * A socket factory for TLS client connections.
     *
     * @param caCertificates    PEM file with the trusted CA certificates, or null for the JDK's default trust store
     * @param clientCertificate PEM file with the client certificate chain (leaf first), or null
     * @param clientKey         PEM file with the client's private key, or null
     */
    public static SSLSocketFactory socketFactory(Path caCertificates, Path clientCertificate, Path clientKey)
            throws IOException, GeneralSecurityException {
        Keys k = keys(caCertificates, clientCertificate, clientKey);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(k.keys() == null ? null : k.keys().getKeyManagers(), k.trust().getTrustManagers(), null);
        return new ConfiguringSslSocketFactory(ctx.getSocketFactory(), TlsClientContext::restrict);
    }

    /**
     * The trust and key material of a TLS client, for a client library that builds its own TLS engine from them
     * (usp-ctl load's Netty-based client); it must offer only {@link #PROTOCOLS} and verify the server's host name.
     *
     * @param keys the client certificate and key, or null when the client has none
     */
    public record Keys(TrustManagerFactory trust, KeyManagerFactory keys) {
    }

    /** The trust anchors and client key of {@link #socketFactory}, read from the same PEM files. */
    public static Keys keys(Path caCertificates, Path clientCertificate, Path clientKey)
            throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caCertificates == null) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate c : PemFiles.certificates(caCertificates)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            tmf.init(trust);
        }
        KeyManagerFactory kmf = null;
        if (clientCertificate != null && clientKey != null) {
            List<X509Certificate> chain = PemFiles.certificates(clientCertificate);
            PrivateKey key = PemFiles.privateKey(clientKey);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
        } else if (clientCertificate != null || clientKey != null) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
        return new Keys(tmf, kmf);
    }

    /** Puts our protocol list and HTTPS-style host-name verification on every socket the JDK factory makes. */
    private static void restrict(Socket s) {
        if (s instanceof SSLSocket ssl) {
            String[] enabled = Arrays.stream(ssl.getSupportedProtocols()).filter(PROTOCOLS::contains)
                    .toArray(String[]::new);
            ssl.setEnabledProtocols(enabled);
            SSLParameters p = ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(p);
        }
    }
}
