package io.uspbridge.store;

import io.uspbridge.model.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * How much the store writes for 10,000 parameter changes: SQLite commits and bytes handed to the kernel, for
 * changes gathered into windows of various sizes, and for a steady stream under the real 200 ms flush delay. The
 * figures for the README's SD-card wear note come from here. Not a test: run it with
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.uspbridge.store.StoreWearBench [dir]
 * </pre>
 *
 * Bytes are this process's {@code wchar} and {@code write_bytes} from {@code /proc/self/io} (Linux), so the directory
 * should be on the disk to be judged, not a tmpfs. Nothing else in the process writes while a scenario runs.
 */
public final class StoreWearBench {
    private static final int CHANGES = 10_000;
    private static final int PARAMS = 100;
    private static final String LA = "Device.LocalAgent.";

    private StoreWearBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/wear-bench");
        Files.createDirectories(dir);
        System.out.printf("%d changes to %d distinct persisted parameters, WAL, synchronous=NORMAL, 4 KiB pages%n",
                CHANGES, PARAMS);
        System.out.printf("%-34s %8s %10s %12s %12s %10s%n", "scenario", "commits", "rows", "wchar (B)",
                "write_bytes", "B/change");
        for (int perWindow : new int[] {1, 10, 100, 1000, CHANGES}) {
            run(dir, perWindow + " change(s) per window", Duration.ofHours(1), perWindow, 0);
        }
        // A steady 1,000 changes per second for 10 s, written by the store's own 200 ms timer.
        run(dir, "1000/s for 10 s, 200 ms delay", Duration.ofMillis(200), 0, 1_000_000L);
    }

    private static void run(Path dir, String name, Duration delay, int perWindow, long nanosPerChange)
            throws IOException {
        Path file = dir.resolve("wear-" + name.replaceAll("[^A-Za-z0-9]+", "-") + ".db");
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        try (TestAgent a = new TestAgent(file, TestSchemas.v1(), delay)) {
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < PARAMS; i++) {
                rows.add(a.addRow(LA, "Controller", Map.of("EndpointID", "proto::c" + i)).path());
            }
            a.store.flush().join();
            StoreStatus before = a.store.status();
            long[] io0 = procIo();
            long next = System.nanoTime();
            for (int i = 0; i < CHANGES; i++) {
                String row = rows.get(i % PARAMS);
                String value = Integer.toString(1 + i);
                a.run(m -> {
                    ObjectNode c = m.find(row);
                    m.set(c, "PeriodicNotifInterval", value);
                });
                if (perWindow > 0 && (i + 1) % perWindow == 0) {
                    a.store.flush().join();
                }
                if (nanosPerChange > 0) {
                    next += nanosPerChange;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
            a.store.flush().join();
            long[] io1 = procIo();
            StoreStatus after = a.store.status();
            long wchar = io1[0] - io0[0];
            System.out.printf("%-34s %8d %10d %12d %12d %10.1f%n", name, after.commits() - before.commits(),
                    after.rowsWritten() - before.rowsWritten(), wchar, io1[1] - io0[1], (double) wchar / CHANGES);
        }
    }

    /** {wchar, write_bytes} of this process, or -1 where unknown. */
    private static long[] procIo() {
        long[] out = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    out[0] = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("write_bytes:")) {
                    out[1] = Long.parseLong(line.substring(12).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the commit counts still tell the story
        }
        return out;
    }
}
