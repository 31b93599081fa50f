package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {
    @Test
    void startsOnAFreeLoopbackPort() throws Exception {
        long t0 = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.startDefault()) {
            System.out.println("start ms " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(broker.port()).isPositive();
            try (PahoPeer p = PahoPeer.connect(broker.url(), "probe")) {
                p.subscribe("a/b", 1);
                p.publish("a/b", "hi".getBytes(StandardCharsets.UTF_8), 1, null, null);
                assertThat(new String(p.next().payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
            }
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.println("heap used MB " + (rt.totalMemory() - rt.freeMemory()) / 1048576 + " threads " + Thread.activeCount());
        }
    }
}
