package io.uspbridge.adapter.zigbee2mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    @Test
    void doublesFromOneSecondToTwoMinutesWithoutJitter() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(120), 0.25, () -> 0.5);
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seconds.add(b.next().toSeconds());
        }
        assertThat(seconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 120L, 120L, 120L);
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterStaysWithinAQuarterEitherWay() {
        Random r = new Random(42);
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(120), 0.25, r::nextDouble);
        for (int i = 0; i < 200; i++) {
            long base = Math.min(120_000, 1000L << Math.min(i, 20));
            long d = b.next().toMillis();
            assertThat(d).isBetween(Math.round(base * 0.75), Math.round(base * 1.25));
        }
        ReconnectBackoff low = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(120), 0.25, () -> 0.0);
        assertThat(low.next()).isEqualTo(Duration.ofMillis(750));
        ReconnectBackoff high = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(120), 0.25,
                () -> 0.999999);
        assertThat(high.next().toMillis()).isEqualTo(1250);
    }

    @Test
    void settingsRejectWhatCannotWork() {
        assertThatThrownBy(() -> Zigbee2MqttSettings.of("http://broker")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Zigbee2MqttSettings.of("tcp://b:1883").withBaseTopic("z2m/#"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Zigbee2MqttSettings.of("tcp://b:1883").withTimeouts(Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Zigbee2MqttSettings.of("tcp://b:1883").withReconnect(Duration.ofSeconds(10),
                Duration.ofSeconds(1), 0.25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Zigbee2MqttSettings.Tls(null, Path.of("cert.pem"), null))
                .isInstanceOf(IllegalArgumentException.class);
        Zigbee2MqttSettings s = Zigbee2MqttSettings.of("mqtts://hub.local:8883").withCredentials("z", "secret");
        assertThat(s.brokerUrl()).isEqualTo("ssl://hub.local:8883");
        assertThat(s.baseTopic()).isEqualTo("zigbee2mqtt");
        assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.reconnectMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.reconnectMax()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.toString()).doesNotContain("secret");
    }
}
