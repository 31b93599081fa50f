package io.uspbridge.adapter.zigbee2mqtt;

import static io.uspbridge.proxy.spi.Stages.done;
import static io.uspbridge.proxy.spi.Stages.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.AdapterStatus;
import io.uspbridge.proxy.spi.CapabilityValue;
import io.uspbridge.proxy.spi.RecordingSink;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The adapter's broker goes away and comes back: it reconnects on its own and re-discovers. */
class Zigbee2MqttReconnectTest {

    @Test
    void afterABrokerRestartTheAdapterReconnectsAndRediscovers() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TestBroker broker = TestBroker.startPersistent()) {
            Zigbee2MqttAdapter adapter = new Zigbee2MqttAdapter(Zigbee2MqttSettings.of(broker.url())
                    .withClientId("adapter-restart").withReconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 0.25));
            Zigbee2MqttSimulator sim = new Zigbee2MqttSimulator(broker.url(), "zigbee2mqtt");
            try {
                adapter.start(sink);
                sim.start();
                await().atMost(15, TimeUnit.SECONDS).until(() -> sink.devices().size() == 3
                        && sink.online(Zigbee2MqttAdapterTest.PLUG));

                broker.stop();
                // The link is down: every device is unreachable, the status says why, writes fail at once.
                await().atMost(15, TimeUnit.SECONDS).until(() -> !sink.online(Zigbee2MqttAdapterTest.LIGHT)
                        && !sink.online(Zigbee2MqttAdapterTest.PLUG));
                assertThat(sink.lastStatus().map(AdapterStatus::connected)).contains(false);
                assertThat(failure(adapter.write(Zigbee2MqttAdapterTest.LIGHT, null, "state",
                        new CapabilityValue.Binary(false)))).isEqualTo(AdapterException.Reason.DISCONNECTED);
                assertThat(sink.removed).isEmpty();
                // Meanwhile the plug is removed from Zigbee2MQTT; it will tell once the broker is back.
                sim.forget("0x00158d0003cc4d03");

                broker.restart();
                await().atMost(30, TimeUnit.SECONDS).until(() -> sink.removed.contains(Zigbee2MqttAdapterTest.PLUG)
                        && sink.online(Zigbee2MqttAdapterTest.LIGHT) && sink.online(Zigbee2MqttAdapterTest.SENSOR));
                await().atMost(10, TimeUnit.SECONDS).until(() -> sink.lastStatus().map(AdapterStatus::connected)
                        .orElse(false));
                assertThat(sink.devices()).containsOnlyKeys(Zigbee2MqttAdapterTest.LIGHT,
                        Zigbee2MqttAdapterTest.SENSOR);
                adapter.write(Zigbee2MqttAdapterTest.LIGHT, null, "state", new CapabilityValue.Binary(false))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(sim.state("light").get("state").asText()).isEqualTo("OFF");
            } finally {
                adapter.stop();
                sim.close();
            }
        }
    }

    @Test
    void withoutABrokerTheAdapterKeepsTryingAndSaysWhy() {
        RecordingSink sink = new RecordingSink();
        // Nothing listens on port 1 of the loopback address.
        Zigbee2MqttAdapter adapter = new Zigbee2MqttAdapter(Zigbee2MqttSettings.of("tcp://127.0.0.1:1")
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200), 0.25));
        try {
            adapter.start(sink);
            await().atMost(10, TimeUnit.SECONDS).until(() -> sink.lastStatus()
                    .filter(s -> !s.connected() && s.lastError().contains("cannot connect")).isPresent());
            assertThat(failure(adapter.runCommand(Zigbee2MqttAdapter.PERMIT_JOIN, java.util.Map.of())))
                    .isEqualTo(AdapterException.Reason.DISCONNECTED);
        } finally {
            adapter.stop();
        }
    }

}
