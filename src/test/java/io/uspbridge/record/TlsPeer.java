package io.uspbridge.record;

import com.google.protobuf.ByteString;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.testing.TestPki;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The controller's side of an E2E TLS session in the tests: the JDK's own TLS implementation (SunJSSE), so that the
 * agent's BouncyCastle engine is checked against another one. It takes the agent's Records and returns the TLS
 * records to send back and the application data (serialized Msgs) that came out.
 */
final class TlsPeer {
    private static final char[] NO_PASSWORD = new char[0];

    final SSLEngine engine;
    private ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private ByteBuffer app = ByteBuffer.allocate(1 << 16);
    private final ByteString.Output data = ByteString.newOutput();

    TlsPeer(SSLEngine engine) {
        this.engine = engine;
    }

    /** A SunJSSE engine with {@code identity}'s key, trusting {@code anchor}, limited to the USP suites. */
    static TlsPeer jdk(TestPki.Identity identity, X509Certificate anchor, boolean client, String... protocols)
            throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", identity.key(), NO_PASSWORD, identity.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, NO_PASSWORD);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", anchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(client);
        e.setNeedClientAuth(!client);
        e.setEnabledProtocols(protocols.length == 0 ? new String[] {"TLSv1.3", "TLSv1.2"} : protocols);
        e.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        return new TlsPeer(e);
    }

    /** The first flight of a client. */
    List<ByteString> begin() throws SSLException {
        engine.beginHandshake();
        List<ByteString> out = new ArrayList<>();
        pump(out);
        return out;
    }

    /** The payloads of the agent's TLS12 Records, in order; returns what to send back. */
    List<ByteString> feed(List<Record> records) throws SSLException {
        List<ByteString> out = new ArrayList<>();
        for (Record r : records) {
            for (ByteString p : r.getSessionContext().getPayloadList()) {
                in.put(p.asReadOnlyByteBuffer());
                pump(out);
            }
        }
        pump(out);
        return out;
    }

    /** Encrypts application data into TLS records. */
    List<ByteString> seal(ByteString plaintext) throws SSLException {
        List<ByteString> out = new ArrayList<>();
        ByteBuffer src = plaintext.asReadOnlyByteBuffer();
        while (src.hasRemaining()) {
            wrap(src, out);
        }
        return out;
    }

    /** Takes the application data received so far. */
    ByteString takeData() {
        ByteString d = data.toByteString();
        data.reset();
        return d;
    }

    boolean done() {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && !"NONE".equals(engine.getSession().getProtocol());
    }

    private void pump(List<ByteString> out) throws SSLException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
                    t.run();
                }
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                wrap(ByteBuffer.allocate(0), out);
                if (engine.isOutboundDone()) {
                    return;
                }
                continue;
            }
            if (in.position() == 0) {
                return;
            }
            in.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(in, app);
            } finally {
                in.compact();
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return;
            }
            app.flip();
            data.write(app.array(), 0, app.limit());
            app.clear();
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return;
            }
        }
    }

    private void wrap(ByteBuffer src, List<ByteString> out) throws SSLException {
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult r = engine.wrap(src, net);
        net.flip();
        if (net.hasRemaining()) {
            out.add(ByteString.copyFrom(net));
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("packet buffer too small");
        }
    }
}
