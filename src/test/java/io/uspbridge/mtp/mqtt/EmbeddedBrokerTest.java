package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {
    @Test
    void servesMqtt5OnAFreeLoopbackPortOnlyAndKeepsThePortAcrossARestart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startDefault()) {
            int port = broker.port();
            assertThat(port).isPositive();
            assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + port);
            roundTrip(broker, "first");

            // Nothing listens on the other interfaces of this machine.
            for (InetAddress a : nonLoopbackAddresses()) {
                assertThat(accepts(a, port)).as("listening on " + a).isFalse();
            }

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(accepts(InetAddress.getByName("127.0.0.1"), port)).isFalse();
            broker.start();
            assertThat(broker.port()).isEqualTo(port);
            roundTrip(broker, "again");
        }
    }

    private static void roundTrip(EmbeddedBroker broker, String text) throws Exception {
        try (PahoPeer p = PahoPeer.connect(broker.url(), "probe-" + text)) {
            p.subscribe("a/b", 1);
            p.publish("a/b", text.getBytes(StandardCharsets.UTF_8), 1, null, null);
            assertThat(new String(p.next().payload(), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (!a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        }
        return out;
    }

    private static boolean accepts(InetAddress a, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
