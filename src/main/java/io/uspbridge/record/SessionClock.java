package io.uspbridge.record;

import io.uspbridge.model.AgentLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The time and the timers of the Session Contexts; timers run on the agent loop. Tests script it. */
public interface SessionClock {

    /** Milliseconds on a monotonic clock. */
    long nowMillis();

    /** Runs {@code task} on the agent loop after {@code delayMillis}; the handle cancels it. */
    Runnable schedule(Runnable task, long delayMillis);

    /** The agent loop's timers and {@link System#nanoTime()}. */
    static SessionClock of(AgentLoop loop) {
        return new SessionClock() {
            @Override
            public long nowMillis() {
                return System.nanoTime() / 1_000_000;
            }

            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                ScheduledFuture<?> f = loop.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }
}
