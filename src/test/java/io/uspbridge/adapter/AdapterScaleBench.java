package io.uspbridge.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uspbridge.adapter.virtual.VirtualAdapter;
import io.uspbridge.adapter.virtual.VirtualSettings;
import io.uspbridge.proxy.spi.AdapterSink;
import io.uspbridge.proxy.spi.AdapterStatus;
import io.uspbridge.proxy.spi.CapabilityValue;
import io.uspbridge.proxy.spi.DeviceDescription;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Figures for the README, not assertions: run with
 * {@code ./mvnw test -Dtest=AdapterScaleBench -DexcludedTestGroups= -DincludedTestGroups=bench}.
 */
@Tag("bench")
class AdapterScaleBench {

    @Test
    void virtualThousandDevices() throws Exception {
        for (int round = 0; round < 3; round++) {
            CountDownLatch appeared = new CountDownLatch(1000);
            AtomicLong values = new AtomicLong();
            AdapterSink sink = new AdapterSink() {
                public void deviceAppeared(DeviceDescription d) {
                    appeared.countDown();
                }

                public void deviceRemoved(String k) {
                }

                public void valueChanged(String d, String n, String c, CapabilityValue v, Instant at) {
                    values.incrementAndGet();
                }

                public void availabilityChanged(String d, boolean o, Instant at) {
                }

                public void statusChanged(AdapterStatus s) {
                }
            };
            VirtualAdapter a = new VirtualAdapter(VirtualSettings.ofEach(250).withReportInterval(Duration.ZERO)
                    .withSeed(1));
            long t0 = System.nanoTime();
            a.start(sink);
            appeared.await(60, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                a.tick();
            }
            long t2 = System.nanoTime();
            a.stop();
            System.out.printf("virtual: 1000 devices described in %.1f ms; 10 report rounds (%d values) in %.1f ms%n",
                    (t1 - t0) / 1e6, values.get(), (t2 - t1) / 1e6);
        }
    }

    @Test
    void zigbee2mqttExposeMapping() throws Exception {
        JsonNode devices;
        try (InputStream in = getClass().getResourceAsStream("/zigbee2mqtt/bridge-devices.json")) {
            devices = new ObjectMapper().readTree(in);
        }
        var mapper = new io.uspbridge.adapter.zigbee2mqtt.Zigbee2MqttMappingBench(devices);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            int n = mapper.mapAll(3000);
            long t1 = System.nanoTime();
            System.out.printf("zigbee2mqtt: %d device mappings in %.1f ms (%.0f µs each)%n", n, (t1 - t0) / 1e6,
                    (t1 - t0) / 1e3 / n);
        }
    }
}
