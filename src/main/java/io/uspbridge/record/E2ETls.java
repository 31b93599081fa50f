package io.uspbridge.record;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The TLS session inside one Session Context (digest §4.4): drives its {@link SSLEngine} with the TLS bytes the
 * controller's Records carried and gives back the TLS records to send and the application data (serialized Msgs)
 * that came out. TLS records are self-delimiting, so the received payloads are one byte stream however the sender
 * split them (payloadrec_sar_state); at most one incomplete TLS record is ever held.
 *
 * <p>Not thread-safe; used by its {@link SessionContext} on the agent loop. Delegated tasks (certificate checks,
 * key agreement) run inline: a handshake costs a few milliseconds of the loop, once per context.
 */
final class E2ETls {

    /** The TLS session failed (handshake, a bad record, an alert); {@link #alert} is what to tell the peer. */
    static final class Failure extends Exception {
        final List<ByteString> alert;

        Failure(String message, List<ByteString> alert) {
            super(message, null, false, false);
            this.alert = alert;
        }
    }

    /** What received bytes produced: TLS records to send back (handshake) and decrypted application data. */
    record Step(List<ByteString> transmit, ByteString data) {
    }

    private final SSLEngine engine;
    private final boolean client;
    private ByteBuffer in;
    private ByteBuffer app;
    private ByteBuffer net;
    private boolean done;

    E2ETls(SSLEngine engine) {
        this.engine = engine;
        this.client = engine.getUseClientMode();
        int packet = engine.getSession().getPacketBufferSize();
        this.in = ByteBuffer.allocate(packet);
        this.net = ByteBuffer.allocate(packet);
        this.app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Starts the handshake; for the client, its first flight (ClientHello). */
    List<ByteString> begin() throws Failure {
        List<ByteString> out = new ArrayList<>();
        try {
            engine.beginHandshake();
            pump(out, null);
        } catch (SSLException e) {
            throw failure(e);
        }
        return out;
    }

    /** TLS bytes from the peer (the payloads of one Record, in order). */
    Step receive(ByteString bytes) throws Failure {
        List<ByteString> out = new ArrayList<>();
        ByteString.Output data = ByteString.newOutput();
        try {
            int offset = 0;
            while (offset < bytes.size()) {
                if (!in.hasRemaining()) {
                    // A full buffer that unwrap could not use: no TLS record is that large.
                    throw new Failure("a TLS record larger than " + in.capacity() + " bytes", drainAlert());
                }
                int n = Math.min(in.remaining(), bytes.size() - offset);
                bytes.substring(offset, offset + n).copyTo(in);
                offset += n;
                pump(out, data);
            }
        } catch (SSLException e) {
            throw failure(e);
        }
        return new Step(out, data.toByteString());
    }

    /** Encrypts application data (one serialized Msg) into TLS records; only after the handshake. */
    List<ByteString> seal(ByteString plaintext) throws Failure {
        if (!done) {
            throw new IllegalStateException("the E2E TLS handshake is not done");
        }
        List<ByteString> out = new ArrayList<>();
        ByteBuffer src = plaintext.asReadOnlyByteBuffer();
        try {
            while (src.hasRemaining()) {
                wrap(src, out);
            }
        } catch (SSLException e) {
            throw failure(e);
        }
        return out;
    }

    boolean handshakeDone() {
        return done;
    }

    boolean client() {
        return client;
    }

    String protocol() {
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    /** Runs the engine until it needs more input: unwrap what is buffered, wrap what it wants to send. */
    private void pump(List<ByteString> out, ByteString.Output data) throws SSLException, Failure {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                wrap(ByteBuffer.allocate(0), out);
                continue;
            }
            if (in.position() == 0) {
                break;
            }
            in.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(in, app);
            } finally {
                in.compact();
            }
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    checkDone();
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    app = enlarge(app, engine.getSession().getApplicationBufferSize());
                    continue;
                }
                case CLOSED -> throw new Failure("the peer closed the TLS session", drainAlert());
                default -> {
                }
            }
            if (app.position() > 0) {
                app.flip();
                if (data == null || !done) {
                    throw new Failure("application data before the TLS handshake was done", drainAlert());
                }
                data.write(app.array(), 0, app.limit());
                app.clear();
            }
            checkDone();
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        checkDone();
    }

    private void wrap(ByteBuffer src, List<ByteString> out) throws SSLException, Failure {
        while (true) {
            net.clear();
            SSLEngineResult r = engine.wrap(src, net);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> net = enlarge(net, engine.getSession().getPacketBufferSize());
                case CLOSED -> {
                    collect(out);
                    throw new Failure("the TLS session is closed", out);
                }
                default -> {
                    collect(out);
                    checkDone();
                    return;
                }
            }
        }
    }

    private void collect(List<ByteString> out) {
        net.flip();
        if (net.hasRemaining()) {
            out.add(ByteString.copyFrom(net));
        }
    }

    private void checkDone() {
        if (!done && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && !"NONE".equals(engine.getSession().getProtocol())) {
            done = true;
        }
    }

    /** After a failure: the alert the engine wants to send, if any. */
    private List<ByteString> drainAlert() {
        List<ByteString> out = new ArrayList<>();
        try {
            // A fatal error leaves the engine wanting to wrap its alert (TP-469 3.5: the peer learns of it).
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                net.clear();
                SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), net);
                collect(out);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException e) {
            // nothing more to send: the session is gone either way
        }
        return out;
    }

    private Failure failure(SSLException e) {
        String message = e.getMessage();
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return new Failure(message == null ? e.toString() : message, drainAlert());
    }

    private static ByteBuffer enlarge(ByteBuffer b, int size) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(size, b.capacity() * 2));
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
