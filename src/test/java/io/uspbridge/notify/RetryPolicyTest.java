package io.uspbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Notify retry windows of R-NOT.2–3 (AGENT-REQUIREMENTS 9.3) and TP-469 1.54. */
class RetryPolicyTest {
    static final RetryPolicy.Parameters DEFAULTS = RetryPolicy.Parameters.DEFAULTS;

    @Test
    void theDefaultWindowsAreThoseOfTheSpec() {
        long[][] expected = {{5, 10}, {10, 20}, {20, 40}, {40, 80}, {80, 160}, {160, 320}, {320, 640},
            {640, 1280}, {1280, 2560}, {2560, 5120}};
        for (int n = 1; n <= 10; n++) {
            assertThat(RetryPolicy.window(DEFAULTS, n)).as("retry " + n)
                    .containsExactly(expected[n - 1][0] * 1000, expected[n - 1][1] * 1000);
        }
    }

    @Test
    void fromTheTenthRetryOnTheWindowStaysTheSame() {
        assertThat(RetryPolicy.window(DEFAULTS, 11)).containsExactly(2_560_000, 5_120_000);
        assertThat(RetryPolicy.window(DEFAULTS, 1000)).containsExactly(2_560_000, 5_120_000);
    }

    @Test
    void theControllersParametersScaleTheWindows() {
        RetryPolicy.Parameters p = new RetryPolicy.Parameters(3, 1500);
        assertThat(RetryPolicy.window(p, 1)).containsExactly(3000, 4500);
        assertThat(RetryPolicy.window(p, 2)).containsExactly(4500, 6750);
        assertThat(RetryPolicy.window(new RetryPolicy.Parameters(1, 1000), 7)).containsExactly(1000, 1000);
    }

    @Test
    void delaysAreRandomWithinTheWindowAndCoverIt() {
        RetryPolicy policy = new RetryPolicy(new SplittableRandom(42));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long d = policy.delayMillis(DEFAULTS, 2);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(10_000).isLessThan(10_100);
        assertThat(max).isLessThanOrEqualTo(20_000).isGreaterThan(19_900);
    }
}
