package io.uspbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GetLoadTest {

    @Test
    void percentilesAreNearestRankOfTheSortedLatencies() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(GetLoad.percentile(sorted, 50)).isEqualTo(50);
        assertThat(GetLoad.percentile(sorted, 99)).isEqualTo(99);
        assertThat(GetLoad.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(GetLoad.percentile(new long[0], 50)).isZero();
    }

    @Test
    void residentMemoryOfAProcessComesFromProc() {
        assertThat(GetLoad.rssKib(ProcessHandle.current().pid())).isPositive();
        assertThat(GetLoad.rssKib(Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void cpuTimeOfAProcessComesFromProc() {
        // A JVM that has started and run tests has used CPU time; a process that does not exist has none to read.
        assertThat(GetLoad.cpuMicros(ProcessHandle.current().pid())).isPositive();
        assertThat(GetLoad.cpuMicros(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
