package io.uspbridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostUpTimeTest {
    private static final long MS = 1_000_000L;

    @Test
    void readsTheHostOnceASecondAndCountsOnInBetween() {
        AtomicLong now = new AtomicLong(5_000 * MS);
        AtomicInteger reads = new AtomicInteger();
        double[] boot = {1234.56};
        HostUpTime upTime = new HostUpTime(() -> {
            reads.incrementAndGet();
            return OptionalDouble.of(boot[0]);
        }, now::get);

        assertThat(upTime.seconds()).hasValue(1234);
        now.addAndGet(500 * MS);
        assertThat(upTime.seconds()).hasValue(1235); // 1234.56 + 0.5
        assertThat(reads).hasValue(1);

        // A second later the host is asked again: it was suspended for an hour meanwhile.
        boot[0] = 1234.56 + 1 + 3600;
        now.addAndGet(500 * MS);
        assertThat(upTime.seconds()).hasValue(4835);
        assertThat(reads).hasValue(2);
    }

    @Test
    void emptyWhenTheHostDoesNotTell() {
        assertThat(new HostUpTime(OptionalDouble::empty, System::nanoTime).seconds()).isEmpty();
    }

    @Test
    void theRealSourceIsLinuxProcUptime() {
        OptionalDouble read = HostUpTime.readProcUptime();
        assertThat(read).isPresent();
        assertThat(read.getAsDouble()).isPositive();
    }
}
