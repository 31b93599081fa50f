package io.uspbridge.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Seconds since the host booted ({@code Device.DeviceInfo.UpTime}), from Linux {@code /proc/uptime}. The file is read
 * at most once a second and the value carried forward with {@link System#nanoTime()} in between: every Get of
 * {@code Device.DeviceInfo.} reads UpTime, and opening and reading the file each time cost the agent loop about a
 * tenth of its time under load (docs/PERFORMANCE.md, issue 4). Re-reading every second keeps the value exact when the
 * host was suspended (the boot-time clock counts suspend, the monotonic clock does not). Thread-safe.
 */
final class HostUpTime {
    private static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Path PROC_UPTIME = Path.of("/proc/uptime");

    /** What the file said, and when (System.nanoTime). */
    private record Reading(double seconds, long atNanos) {
    }

    private final Supplier<OptionalDouble> source;
    private final LongSupplier nanoTime;
    private volatile Reading last;

    HostUpTime() {
        this(HostUpTime::readProcUptime, System::nanoTime);
    }

    HostUpTime(Supplier<OptionalDouble> source, LongSupplier nanoTime) {
        this.source = source;
        this.nanoTime = nanoTime;
    }

    /** Whole seconds since boot; empty when the host does not tell (not Linux). */
    OptionalLong seconds() {
        long now = nanoTime.getAsLong();
        Reading r = last;
        if (r == null || now - r.atNanos() >= REREAD_NANOS) {
            OptionalDouble read = source.get();
            if (read.isEmpty()) {
                return OptionalLong.empty();
            }
            r = new Reading(read.getAsDouble(), now);
            last = r;
        }
        return OptionalLong.of((long) (r.seconds() + (now - r.atNanos()) / 1e9));
    }

    /** The first field of /proc/uptime: seconds since boot, with two decimals. */
    static OptionalDouble readProcUptime() {
        try {
            String s = Files.readString(PROC_UPTIME).trim();
            return OptionalDouble.of(Double.parseDouble(s.substring(0, s.indexOf(' '))));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }
}
