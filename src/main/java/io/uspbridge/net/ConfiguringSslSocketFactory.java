package io.uspbridge.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that hands every socket its delegate creates to one {@link SocketSetup} before
 * returning it: the single place where socket options (TCP_NODELAY, TLS protocols, host-name verification) are put on
 * the sockets Paho asks for.
 */
public final class ConfiguringSslSocketFactory extends SSLSocketFactory {

    /** What is done to each new socket. */
    @FunctionalInterface
    public interface SocketSetup {
        void apply(Socket socket) throws IOException;
    }

    private final SSLSocketFactory delegate;
    private final SocketSetup setup;

    public ConfiguringSslSocketFactory(SSLSocketFactory delegate, SocketSetup setup) {
        this.delegate = delegate;
        this.setup = setup;
    }

    /** Whether this factory already applies {@code s} (so wrapping it again would repeat it). */
    boolean applies(SocketSetup s) {
        return setup == s;
    }

    private Socket configure(Socket s) throws IOException {
        setup.apply(s);
        return s;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return configure(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return configure(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }
}
