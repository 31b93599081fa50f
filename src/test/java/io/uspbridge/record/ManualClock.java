package io.uspbridge.record;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link SessionClock} that moves only when a test says so; due timers run in time order on the test thread. */
final class ManualClock implements SessionClock {
    private record Timer(long at, long order, Runnable task) {
    }

    private long now = 1_000_000;
    private long order;
    private final List<Timer> timers = new ArrayList<>();

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        Timer t = new Timer(now + Math.max(0, delayMillis), order++, task);
        timers.add(t);
        return () -> timers.remove(t);
    }

    /** Moves the clock forward, running every timer that falls due on the way, each at its own time. */
    void advance(Duration d) {
        long until = now + d.toMillis();
        while (true) {
            Timer next = timers.stream().filter(t -> t.at() <= until)
                    .min(Comparator.comparingLong(Timer::at).thenComparingLong(Timer::order)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            now = Math.max(now, next.at());
            next.task().run();
        }
        now = until;
    }

    /** When the next timer is due, in ms from now; -1 when none is set. */
    long nextTimerIn() {
        return timers.stream().mapToLong(Timer::at).min().orElse(now - 1) - now;
    }

    int pendingTimers() {
        return timers.size();
    }
}
