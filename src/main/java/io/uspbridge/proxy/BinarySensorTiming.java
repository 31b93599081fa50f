package io.uspbridge.proxy;

import java.time.Duration;
import java.time.Instant;

/**
 * How a BinarySensor's {@code Value} follows the device's reports, after TR-181's Timed BinarySensor profile:
 * <ul>
 * <li>{@code Sensitivity} 0 means "not sensible / disabled": {@code Value} stays false whatever the device reports.
 * The agent has only the device's true/false, no measurement to hold against a threshold, so 1–100 all pass the
 * device's reports through; the agent starts every sensor at 100.</li>
 * <li>{@code HoldTime} (ms, 0 = off): once triggered, {@code Value} stays true at least this long — a device that
 * reports "false" sooner is followed when the time is up; while the device still reports true, it stays true.</li>
 * <li>{@code RestTime} (ms, 0 = off): after a trigger, new triggers are ignored this long; if the device still
 * reports true when the rest ends, that counts as a new trigger then.</li>
 * </ul>
 * Both together give the "minimum duration" pattern of the IoT appendix. A trigger is {@code Value} going from false
 * to true. Pure logic: the caller reads the settings, applies {@link #evaluate}, and sets a timer for
 * {@link #nextDeadline} to evaluate again.
 */
final class BinarySensorTiming {
    /** What the device reported last. */
    private boolean raw;
    /** The effective {@code Value}. */
    private boolean value;
    /** When {@code Value} last went true; null before the first trigger. */
    private Instant lastTrigger;

    /** The settings, read from the model at each evaluation. */
    record Settings(long sensitivity, Duration hold, Duration rest) {
    }

    boolean value() {
        return value;
    }

    void report(boolean reported) {
        raw = reported;
    }

    /** Sets {@link #value()} from the report and the settings at {@code now}; returns whether it changed. */
    boolean evaluate(Instant now, Settings s) {
        boolean target;
        if (s.sensitivity() == 0) {
            target = false;
        } else if (value) {
            target = raw || holding(now, s);
        } else {
            target = raw && !resting(now, s);
        }
        if (target == value) {
            return false;
        }
        value = target;
        if (target) {
            lastTrigger = now;
        }
        return true;
    }

    /** When {@link #evaluate} may give another answer without a new report; null when only a report can. */
    Instant nextDeadline(Instant now, Settings s) {
        if (s.sensitivity() == 0) {
            return null;
        }
        if (value && !raw && holding(now, s)) {
            return lastTrigger.plus(s.hold());
        }
        if (!value && raw && resting(now, s)) {
            return lastTrigger.plus(s.rest());
        }
        return null;
    }

    private boolean holding(Instant now, Settings s) {
        return lastTrigger != null && !s.hold().isZero() && now.isBefore(lastTrigger.plus(s.hold()));
    }

    private boolean resting(Instant now, Settings s) {
        return lastTrigger != null && !s.rest().isZero() && now.isBefore(lastTrigger.plus(s.rest()));
    }
}
