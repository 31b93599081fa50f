package io.uspbridge.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories for Paho whose sockets have TCP_NODELAY set. Paho 1.2.5 leaves Nagle's algorithm on; an MQTT
 * client that writes a PUBLISH and then a PUBACK (or two PUBLISHes) back to back then holds the second segment until
 * the broker's delayed ACK of the first, about 40 ms on Linux: every USP request/response round trip took ~90 ms and
 * an agent answered fewer than 200 Gets a second however fast it was. MQTT packets are whole messages that should go
 * out at once.
 */
public final class NoDelaySockets {
    private NoDelaySockets() {
    }

    /** For {@code tcp://}. */
    public static SocketFactory plain() {
        return new Plain(SocketFactory.getDefault());
    }

    private static final ConfiguringSslSocketFactory.SocketSetup NO_DELAY = s -> s.setTcpNoDelay(true);

    /** For {@code ssl://}: {@code tls} with TCP_NODELAY on every socket it creates. */
    public static SSLSocketFactory tls(SSLSocketFactory tls) {
        return tls instanceof ConfiguringSslSocketFactory c && c.applies(NO_DELAY) ? tls
                : new ConfiguringSslSocketFactory(tls, NO_DELAY);
    }

    static <S extends Socket> S noDelay(S s) throws SocketException {
        s.setTcpNoDelay(true);
        return s;
    }

    private static final class Plain extends SocketFactory {
        private final SocketFactory d;

        Plain(SocketFactory d) {
            this.d = d;
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(d.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(d.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(d.createSocket(address, port, localAddress, localPort));
        }
    }
}
