package io.uspbridge.net;

import static org.assertj.core.api.Assertions.assertThat;

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
}
