package io.uspbridge.adapter.zigbee2mqtt;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delays with jitter (STYLE.md, after the HiveMQ client): the first delay is {@code min}, each
 * failure doubles it up to {@code max}, and each delay is spread by ±{@code jitter} so that many hubs that lost the
 * same broker do not come back in lockstep. {@link #reset()} after a successful connection. Not thread-safe: one
 * link's thread owns it.
 */
public final class ReconnectBackoff {
    private final long minMillis;
    private final long maxMillis;
    private final double jitter;
    private final DoubleSupplier random;
    private int failures;

    /** @param random uniform in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    public ReconnectBackoff(Duration min, Duration max, double jitter, DoubleSupplier random) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("bad backoff " + min + ".." + max + " ±" + jitter);
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    public Duration next() {
        long base = minMillis;
        for (int i = 0; i < failures && base < maxMillis; i++) {
            base = Math.min(maxMillis, base * 2);
        }
        failures = Math.min(failures + 1, 62);
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base * spread)));
    }

    public void reset() {
        failures = 0;
    }
}
