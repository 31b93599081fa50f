package io.uspbridge.mtp.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker played step by step by the test, at the byte level (like Californium's lockstep endpoint): accept a
 * connection, read a packet, assert on its fields, write the answer. Only what the tests need of MQTT 5 is decoded.
 */
final class ScriptedBroker implements AutoCloseable {
    private final ServerSocket server;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    /** A decoded CONNECT. */
    record Connect(int protocolVersion, boolean cleanStart, int keepAlive, Map<Integer, List<String>> properties,
                   List<String[]> userProperties, String clientId, String userName) {
        String userProperty(String name) {
            return userProperties.stream().filter(p -> p[0].equals(name)).map(p -> p[1]).findFirst().orElse(null);
        }
    }

    /** A decoded SUBSCRIBE. */
    record Subscribe(int packetId, List<String> filters, List<Integer> options) {
    }

    ScriptedBroker() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setSoTimeout(20_000);
    }

    String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    void accept() throws IOException {
        socket = server.accept();
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Drops the client's connection, as a broker that goes away. */
    void dropConnection() throws IOException {
        socket.close();
    }

    Connect readConnect() throws IOException {
        Packet p = readPacket();
        if (p.type != 1) {
            throw new AssertionError("expected CONNECT, got packet type " + p.type);
        }
        Reader r = new Reader(p.body);
        String protocol = r.string();
        if (!protocol.equals("MQTT")) {
            throw new AssertionError("protocol name " + protocol);
        }
        int version = r.u8();
        int flags = r.u8();
        int keepAlive = r.u16();
        Map<Integer, List<String>> props = new LinkedHashMap<>();
        List<String[]> userProps = new ArrayList<>();
        r.properties(props, userProps);
        String clientId = r.string();
        if ((flags & 0x04) != 0) { // Will: properties, topic, payload
            r.properties(new LinkedHashMap<>(), new ArrayList<>());
            r.string();
            r.binary();
        }
        String userName = (flags & 0x80) != 0 ? r.string() : null;
        return new Connect(version, (flags & 0x02) != 0, keepAlive, props, userProps, clientId, userName);
    }

    /** CONNACK success with an Assigned Client Identifier (0x12) and Response Information (0x1A) when not null. */
    void sendConnack(String assignedClientId, String responseInformation) throws IOException {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        if (assignedClientId != null) {
            props.write(0x12);
            writeString(props, assignedClientId);
        }
        if (responseInformation != null) {
            props.write(0x1A);
            writeString(props, responseInformation);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0); // no session present
        body.write(0); // success
        writeVarInt(body, props.size());
        body.writeBytes(props.toByteArray());
        writePacket(0x20, body.toByteArray());
    }

    Subscribe readSubscribe() throws IOException {
        Packet p = readPacket();
        if (p.type != 8) {
            throw new AssertionError("expected SUBSCRIBE, got packet type " + p.type);
        }
        Reader r = new Reader(p.body);
        int id = r.u16();
        r.properties(new LinkedHashMap<>(), new ArrayList<>());
        List<String> filters = new ArrayList<>();
        List<Integer> options = new ArrayList<>();
        while (r.hasMore()) {
            filters.add(r.string());
            options.add(r.u8());
        }
        return new Subscribe(id, filters, options);
    }

    void sendSuback(int packetId, int... reasonCodes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xff);
        body.write(0); // no properties
        for (int c : reasonCodes) {
            body.write(c);
        }
        writePacket(0x90, body.toByteArray());
    }

    /** The type of the next packet (its body is skipped). */
    int readPacketType() throws IOException {
        return readPacket().type;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        server.close();
    }

    private record Packet(int type, int flags, byte[] body) {
    }

    private Packet readPacket() throws IOException {
        int first = in.readUnsignedByte();
        int len = readVarInt(in);
        byte[] body = new byte[len];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0f, body);
    }

    private void writePacket(int firstByte, byte[] body) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(firstByte);
        writeVarInt(p, body.length);
        p.writeBytes(body);
        out.write(p.toByteArray());
        out.flush();
    }

    private static int readVarInt(InputStream in) throws IOException {
        int value = 0;
        int shift = 0;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("end of stream");
            }
            value |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }

    private static void writeVarInt(ByteArrayOutputStream out, int v) {
        do {
            int b = v & 0x7f;
            v >>>= 7;
            out.write(v > 0 ? b | 0x80 : b);
        } while (v > 0);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    /** Reads MQTT 5 data types from a packet body. */
    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        boolean hasMore() {
            return pos < b.length;
        }

        int u8() {
            return b[pos++] & 0xff;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        long u32() {
            return ((long) u16() << 16) | u16();
        }

        int varInt() {
            int value = 0;
            int shift = 0;
            int x;
            do {
                x = u8();
                value |= (x & 0x7f) << shift;
                shift += 7;
            } while ((x & 0x80) != 0);
            return value;
        }

        String string() {
            int len = u16();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        byte[] binary() {
            int len = u16();
            byte[] v = java.util.Arrays.copyOfRange(b, pos, pos + len);
            pos += len;
            return v;
        }

        /** Reads a property block; values are kept as text (numbers in decimal). */
        void properties(Map<Integer, List<String>> props, List<String[]> userProps) {
            int len = varInt();
            int end = pos + len;
            while (pos < end) {
                int id = varInt();
                String v = switch (id) {
                    case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> String.valueOf(u8());
                    case 0x13, 0x21, 0x22, 0x23 -> String.valueOf(u16());
                    case 0x02, 0x11, 0x18, 0x27 -> String.valueOf(u32());
                    case 0x0B -> String.valueOf(varInt());
                    case 0x09, 0x16 -> new String(binary(), StandardCharsets.ISO_8859_1);
                    case 0x26 -> {
                        String name = string();
                        String value = string();
                        userProps.add(new String[] {name, value});
                        yield name + "=" + value;
                    }
                    default -> string();
                };
                props.computeIfAbsent(id, k -> new ArrayList<>()).add(v);
            }
        }
    }
}
