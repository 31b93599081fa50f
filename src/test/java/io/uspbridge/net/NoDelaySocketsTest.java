package io.uspbridge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** Without TCP_NODELAY every USP round trip over Paho waited ~40 ms for a delayed ACK (docs/PERFORMANCE.md). */
class NoDelaySocketsTest {

    @Test
    void plainSocketsHaveNagleOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket unconnected = NoDelaySockets.plain().createSocket();
                Socket connected = NoDelaySockets.plain().createSocket(InetAddress.getLoopbackAddress(),
                        server.getLocalPort())) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            assertThat(connected.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void tlsSocketsHaveNagleOffAndKeepTheCipherSuites() throws Exception {
        SSLSocketFactory tls = SSLContext.getDefault().getSocketFactory();
        SSLSocketFactory f = NoDelaySockets.tls(tls);
        try (Socket s = f.createSocket()) {
            assertThat(s.getTcpNoDelay()).isTrue();
        }
        assertThat(f.getSupportedCipherSuites()).containsExactly(tls.getSupportedCipherSuites());
        assertThat(NoDelaySockets.tls(f)).isSameAs(f);
    }

    @Test
    void plainSocketsReadEveryByteInOrderThroughOneBufferedStream() throws Exception {
        byte[] sent = new byte[20_000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = NoDelaySockets.plain().createSocket("127.0.0.1", server.getLocalPort());
                Socket peer = server.accept()) {
            OutputStream out = peer.getOutputStream();
            out.write(sent, 0, 3);
            out.write(sent, 3, sent.length - 3);
            out.flush();
            InputStream in = client.getInputStream();
            assertThat(client.getInputStream()).isSameAs(in);
            // What Paho does: the fixed header byte by byte, then the rest in bulk.
            byte[] got = new byte[sent.length];
            got[0] = (byte) in.read();
            got[1] = (byte) in.read();
            int n = 2;
            while (n < got.length) {
                int r = in.read(got, n, got.length - n);
                assertThat(r).isPositive();
                n += r;
            }
            assertThat(got).isEqualTo(sent);
            peer.close();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void plainSocketsWriteEveryByteInOrderOncePahoFlushes() throws Exception {
        byte[] sent = new byte[250_000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 17);
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = NoDelaySockets.plain().createSocket("127.0.0.1", server.getLocalPort());
                Socket peer = server.accept()) {
            OutputStream out = client.getOutputStream();
            assertThat(client.getOutputStream()).isSameAs(out);
            // What Paho does: a small header, the payload in 1 KiB pieces through an 8 KiB buffer, then flush.
            OutputStream paho = new BufferedOutputStream(out);
            paho.write(sent, 0, 5);
            for (int at = 5; at < sent.length; at += 1024) {
                paho.write(sent, at, Math.min(1024, sent.length - at));
            }
            paho.flush();
            byte[] got = new byte[sent.length];
            peer.setSoTimeout(10_000);      // bytes left in a buffer fail the test instead of hanging it
            DataInputStream in = new DataInputStream(peer.getInputStream());
            in.readFully(got);
            assertThat(got).isEqualTo(sent);
        }
    }
}
