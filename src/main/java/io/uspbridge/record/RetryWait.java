package io.uspbridge.record;

import java.util.random.RandomGenerator;

/**
 * The Session Context retry wait (R-E2E.10, R-E2E.11): retry n waits a random time in
 * {@code [m·(k/1000)^(n-1), m·(k/1000)^n]} seconds, from the tenth retry on the range of the tenth. With the
 * defaults (m = 5 s, k = 2000) that is 5–10 s, 10–20 s, … 2560–5120 s.
 */
final class RetryWait {
    /** No wait exceeds a day, whatever m and k say (65535 s × 65.535^10 would overflow every clock). */
    static final long MAX_MILLIS = 86_400_000L;

    private RetryWait() {
    }

    /** The smallest and largest wait of retry {@code n} (n ≥ 1), in milliseconds. */
    static long[] range(int n, E2ESettings s) {
        int e = Math.max(1, Math.min(n, 10));
        double m = s.retryMinimumWaitSeconds();
        double k = s.retryIntervalMultiplier() / 1000.0;
        double lo = Math.min(MAX_MILLIS, m * Math.pow(k, e - 1) * 1000.0);
        double hi = Math.min(MAX_MILLIS, m * Math.pow(k, e) * 1000.0);
        return new long[] {(long) lo, (long) hi};
    }

    /** A random wait for retry {@code n} (n ≥ 1), in milliseconds. */
    static long millis(int n, E2ESettings s, RandomGenerator random) {
        long[] r = range(n, s);
        return r[1] <= r[0] ? r[0] : r[0] + (long) (random.nextDouble() * (r[1] - r[0]));
    }
}
