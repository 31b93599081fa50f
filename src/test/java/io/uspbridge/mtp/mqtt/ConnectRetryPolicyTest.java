package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** R-MQTT.10/33: the n-th retry waits a random time in [m·(k/1000)^(n-1), m·(k/1000)^n], n ≤ 10, capped. */
class ConnectRetryPolicyTest {
    @Test
    void defaultsDoubleTheWindowEachTimeUpToTheTenthRetryAndTheCap() {
        ConnectRetryPolicy p = ConnectRetryPolicy.defaults(); // 5 s, 2000, 30720 s
        assertThat(p.minimum(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.maximum(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.minimum(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.maximum(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.minimum(10)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(p.maximum(10)).isEqualTo(Duration.ofSeconds(5120));
        // n stops growing at 10
        assertThat(p.minimum(11)).isEqualTo(p.minimum(10));
        assertThat(p.maximum(50)).isEqualTo(p.maximum(10));
    }

    @Test
    void connectRetryMaxIntervalCapsBothEnds() {
        ConnectRetryPolicy p = new ConnectRetryPolicy(5, 2000, 60);
        assertThat(p.minimum(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(p.maximum(4)).isEqualTo(Duration.ofSeconds(60)); // 80 capped
        assertThat(p.minimum(5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.delay(7, new SplittableRandom(1))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void delaysAreSpreadOverTheWholeWindow() {
        ConnectRetryPolicy p = new ConnectRetryPolicy(5, 1500, 30720);
        SplittableRandom random = new SplittableRandom(42);
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (int i = 0; i < 2000; i++) {
            long ms = p.delay(3, random).toMillis();
            assertThat(ms).isBetween(11_250L, 16_875L); // 5·1.5², 5·1.5³
            lo = Math.min(lo, ms);
            hi = Math.max(hi, ms);
        }
        assertThat(lo).isLessThan(11_600L);
        assertThat(hi).isGreaterThan(16_500L);
    }

    @Test
    void multiplierOneThousandMeansAFixedInterval() {
        ConnectRetryPolicy p = new ConnectRetryPolicy(1, 1000, 30720);
        assertThat(p.delay(1, new SplittableRandom(3))).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delay(9, new SplittableRandom(3))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void valuesOutsideTheTr181RangesAreRefused() {
        assertThatThrownBy(() -> new ConnectRetryPolicy(0, 2000, 10)).hasMessageContaining("ConnectRetryTime");
        assertThatThrownBy(() -> new ConnectRetryPolicy(5, 999, 10)).hasMessageContaining("Multiplier");
        assertThatThrownBy(() -> new ConnectRetryPolicy(5, 65536, 10)).hasMessageContaining("Multiplier");
        assertThatThrownBy(() -> new ConnectRetryPolicy(5, 2000, 0)).hasMessageContaining("MaxInterval");
        assertThatThrownBy(() -> ConnectRetryPolicy.defaults().delay(0, new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
