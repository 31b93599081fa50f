package io.uspbridge.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 *
 * <p>Plain sockets also read through a buffer. Paho 1.2.5 reads a packet's fixed header byte by byte from the
 * socket's own stream: three or more {@code read} system calls per MQTT packet. Buffered, one call usually brings in
 * the whole packet, or several when they queue up under load (docs/PERFORMANCE.md, issue 4). TLS sockets buffer
 * already (a TLS record is decrypted whole).
 */
public final class NoDelaySockets {
    private NoDelaySockets() {
    }

    /** For {@code tcp://}. */
    public static SocketFactory plain() {
        return new Plain();
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

    /** Creates every socket unconnected, as a {@link BufferedSocket}, then connects it as asked. */
    private static final class Plain extends SocketFactory {

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(new BufferedSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
        }

        private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            Socket s = createSocket();
            try {
                if (local != null) {
                    s.bind(local);
                }
                s.connect(remote);
                return s;
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
    }

    /**
     * A socket whose streams are buffered; one thread reads it (Paho's receiver), one writes it (Paho's sender, which
     * flushes after every MQTT packet).
     */
    static final class BufferedSocket extends Socket {
        private static final int BUFFER_BYTES = 8192;
        /**
         * Paho 1.2.5 writes a packet's payload in 1 KiB pieces through its own 8 KiB buffer: a 250 KB Get response
         * (Get Device. with 100 devices) took 31 write system calls, each a full pass through loopback TCP. Gathered
         * here, it takes 4.
         */
        private static final int OUT_BUFFER_BYTES = 64 * 1024;
        private InputStream in;
        private OutputStream out;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new BufferedOutputStream(super.getOutputStream(), OUT_BUFFER_BYTES);
            }
            return out;
        }
    }
}
