package io.uspbridge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** BinarySensor Sensitivity/HoldTime/RestTime (TR-181 Timed BinarySensor). */
class BinarySensorTimingTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static BinarySensorTiming.Settings settings(long sensitivity, long holdMs, long restMs) {
        return new BinarySensorTiming.Settings(sensitivity, Duration.ofMillis(holdMs), Duration.ofMillis(restMs));
    }

    @Test
    void withoutTimingTheValueFollowsTheDevice() {
        BinarySensorTiming t = new BinarySensorTiming();
        var s = settings(100, 0, 0);
        t.report(true);
        assertThat(t.evaluate(T0, s)).isTrue();
        assertThat(t.value()).isTrue();
        t.report(false);
        assertThat(t.evaluate(T0.plusMillis(1), s)).isTrue();
        assertThat(t.value()).isFalse();
        assertThat(t.nextDeadline(T0.plusMillis(1), s)).isNull();
    }

    @Test
    void sensitivityZeroDisablesTheSensor() {
        BinarySensorTiming t = new BinarySensorTiming();
        t.report(true);
        assertThat(t.evaluate(T0, settings(0, 0, 0))).isFalse();
        assertThat(t.value()).isFalse();
    }

    @Test
    void holdTimeKeepsTheValueTrueAtLeastThatLong() {
        BinarySensorTiming t = new BinarySensorTiming();
        var s = settings(100, 1000, 0);
        t.report(true);
        t.evaluate(T0, s);
        t.report(false);
        assertThat(t.evaluate(T0.plusMillis(200), s)).isFalse();
        assertThat(t.value()).isTrue();
        assertThat(t.nextDeadline(T0.plusMillis(200), s)).isEqualTo(T0.plusMillis(1000));
        assertThat(t.evaluate(T0.plusMillis(1000), s)).isTrue();
        assertThat(t.value()).isFalse();
    }

    @Test
    void restTimeIgnoresNewTriggersAndCountsAStillTrueReportWhenItEnds() {
        BinarySensorTiming t = new BinarySensorTiming();
        var s = settings(100, 0, 1000);
        t.report(true);
        t.evaluate(T0, s);
        t.report(false);
        t.evaluate(T0.plusMillis(100), s);
        t.report(true);
        assertThat(t.evaluate(T0.plusMillis(200), s)).isFalse();
        assertThat(t.value()).isFalse();
        assertThat(t.nextDeadline(T0.plusMillis(200), s)).isEqualTo(T0.plusMillis(1000));
        assertThat(t.evaluate(T0.plusMillis(1000), s)).isTrue();
        assertThat(t.value()).isTrue();
    }
}
