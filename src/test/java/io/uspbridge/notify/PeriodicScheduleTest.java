package io.uspbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Periodic! instants: PeriodicNotifTime + k·PeriodicNotifInterval, the next one strictly after now (9.4 item 2). */
class PeriodicScheduleTest {

    @Test
    void theNextInstantIsAlignedToTheReferenceTime() {
        long midnight = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long day = 86_400_000L;
        long now = Instant.parse("2026-03-05T13:14:15Z").toEpochMilli();
        assertThat(Instant.ofEpochMilli(PeriodicEvents.nextAfter(midnight, day, now)))
                .isEqualTo(Instant.parse("2026-03-06T00:00:00Z"));
    }

    @Test
    void aReferenceInTheFutureWorksBackwards() {
        long ref = Instant.parse("2030-01-01T00:00:30Z").toEpochMilli();
        long now = Instant.parse("2026-01-01T00:00:10Z").toEpochMilli();
        assertThat(Instant.ofEpochMilli(PeriodicEvents.nextAfter(ref, 60_000, now)))
                .isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
    }

    @Test
    void anInstantExactlyNowIsNotRepeated() {
        assertThat(PeriodicEvents.nextAfter(0, 1000, 5000)).isEqualTo(6000);
    }
}
