package io.uspbridge.notify;

import java.util.random.RandomGenerator;

/**
 * The Notify retry intervals of R-NOT.2–3 (9.3): retry {@code n} waits a random time in
 * {@code [m·(k/1000)^(n-1), m·(k/1000)^n]} seconds, with the controller's
 * {@code USPNotifRetryMinimumWaitInterval} m and {@code USPNotifRetryIntervalMultiplier} k; from the tenth retry on
 * the window stays that of the tenth (with the defaults 2560–5120 s).
 */
final class RetryPolicy {
    /** The retry number whose window all later retries keep. */
    static final int MAX_EXPONENT = 10;

    /** The controller's two parameters. */
    record Parameters(long minimumWaitSeconds, long multiplierPerMille) {
        static final Parameters DEFAULTS = new Parameters(5, 2000);
    }

    private final RandomGenerator random;

    RetryPolicy(RandomGenerator random) {
        this.random = random;
    }

    /** The window of retry {@code n} (1-based) in milliseconds: {@code [low, high]}. */
    static long[] window(Parameters p, int n) {
        int e = Math.min(Math.max(n, 1), MAX_EXPONENT);
        double k = p.multiplierPerMille() / 1000.0;
        double low = p.minimumWaitSeconds() * Math.pow(k, e - 1) * 1000.0;
        double high = p.minimumWaitSeconds() * Math.pow(k, e) * 1000.0;
        return new long[] {Math.round(low), Math.round(high)};
    }

    /** How long to wait before retry {@code n}: uniformly random in its window. */
    long delayMillis(Parameters p, int n) {
        long[] w = window(p, n);
        return w[1] <= w[0] ? w[0] : w[0] + random.nextLong(w[1] - w[0] + 1);
    }
}
