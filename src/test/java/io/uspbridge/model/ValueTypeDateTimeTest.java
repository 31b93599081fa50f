package io.uspbridge.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** TR-106 dateTime as the agent writes it: UTC, 'Z', a fraction only when there is one, without trailing zeros. */
class ValueTypeDateTimeTest {

    private static String format(int nano) {
        return ValueType.formatDateTime(LocalDateTime.of(2026, 11, 25, 8, 5, 9, nano));
    }

    @Test
    void fractionsKeepTheirDigitsAndLoseTheirTrailingZeros() {
        assertThat(format(0)).isEqualTo("2026-11-25T08:05:09Z");
        assertThat(format(1)).isEqualTo("2026-11-25T08:05:09.000000001Z");
        assertThat(format(100_000_000)).isEqualTo("2026-11-25T08:05:09.1Z");
        assertThat(format(120_000_000)).isEqualTo("2026-11-25T08:05:09.12Z");
        assertThat(format(5_000_000)).isEqualTo("2026-11-25T08:05:09.005Z");
        assertThat(format(123_456_789)).isEqualTo("2026-11-25T08:05:09.123456789Z");
        assertThat(format(999_999_990)).isEqualTo("2026-11-25T08:05:09.99999999Z");
        assertThat(ValueType.dateTime().canonical("2026-11-25T09:05:09.250+01:00"))
                .isEqualTo("2026-11-25T08:05:09.25Z");
    }
}
