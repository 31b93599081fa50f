package io.uspbridge.mtp.mqtt;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before the n-th connection retry (R-MQTT.10 and R-MQTT.33, TR-181 {@code Device.MQTT.Client.{i}.
 * ConnectRetryTime}, {@code ConnectRetryIntervalMultiplier}, {@code ConnectRetryMaxInterval}): a random time in
 * {@code [m·(k/1000)^(n-1), m·(k/1000)^n]} seconds, where m is ConnectRetryTime and k the multiplier; n stops growing at
 * 10; both ends are capped by ConnectRetryMaxInterval. The randomness spreads the reconnects of many agents after a
 * broker outage.
 *
 * @param connectRetryTime       m, seconds, at least 1
 * @param intervalMultiplier     k, 1000..65535 (thousandths)
 * @param maxInterval            cap, seconds, at least 1
 */
public record ConnectRetryPolicy(long connectRetryTime, int intervalMultiplier, long maxInterval) {
    /** n stops growing here (R-MQTT.10). */
    public static final int MAX_EXPONENT = 10;

    public ConnectRetryPolicy {
        if (connectRetryTime < 1) {
            throw new IllegalArgumentException("ConnectRetryTime must be at least 1 s: " + connectRetryTime);
        }
        if (intervalMultiplier < 1000 || intervalMultiplier > 65535) {
            throw new IllegalArgumentException(
                    "ConnectRetryIntervalMultiplier must be within [1000, 65535]: " + intervalMultiplier);
        }
        if (maxInterval < 1) {
            throw new IllegalArgumentException("ConnectRetryMaxInterval must be at least 1 s: " + maxInterval);
        }
    }

    /** The TR-181 defaults (5 s, 2000, 30720 s). */
    public static ConnectRetryPolicy defaults() {
        return new ConnectRetryPolicy(5, 2000, 30720);
    }

    /** Lower bound of the wait before retry number {@code attempt} (1 = first retry). */
    public Duration minimum(int attempt) {
        return bound(exponent(attempt) - 1);
    }

    /** Upper bound of the wait before retry number {@code attempt} (1 = first retry). */
    public Duration maximum(int attempt) {
        return bound(exponent(attempt));
    }

    /** A random wait within [{@link #minimum}, {@link #maximum}] for retry number {@code attempt}. */
    public Duration delay(int attempt, RandomGenerator random) {
        long lo = minimum(attempt).toMillis();
        long hi = maximum(attempt).toMillis();
        return Duration.ofMillis(hi <= lo ? lo : lo + random.nextLong(hi - lo + 1));
    }

    private static int exponent(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("retry attempts count from 1: " + attempt);
        }
        return Math.min(attempt, MAX_EXPONENT);
    }

    private Duration bound(int power) {
        double seconds = connectRetryTime * Math.pow(intervalMultiplier / 1000.0, power);
        double capped = Math.min(seconds, maxInterval);
        return Duration.ofMillis(Math.round(capped * 1000.0));
    }
}
