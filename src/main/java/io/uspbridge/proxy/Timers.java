package io.uspbridge.proxy;

import io.uspbridge.model.AgentLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Time as the proxy sees it: the clock for timestamps and timers that run on the agent loop (write timeouts,
 * BinarySensor hold and rest times). Tests drive a manual one.
 */
interface Timers {

    Instant now();

    /** Runs {@code task} on the agent loop after {@code delay}; cancel the returned future to drop it. */
    Future<?> after(Duration delay, Runnable task);

    static Timers of(AgentLoop loop, Clock clock) {
        return new Timers() {
            @Override
            public Instant now() {
                return clock.instant();
            }

            @Override
            public Future<?> after(Duration delay, Runnable task) {
                return loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }
}
