package io.uspbridge.bench;

import io.uspbridge.cli.GetLoad;
import java.util.Arrays;

/** Percentiles of the benchmarks' samples, by the same nearest-rank rule as {@code usp-ctl load}. */
final class Percentiles {
    private Percentiles() {
    }

    /** The {@code p}-th percentile (0–100) of {@code samples}; the array is not changed. */
    static long of(long[] samples, int p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return GetLoad.percentile(sorted, p);
    }
}
