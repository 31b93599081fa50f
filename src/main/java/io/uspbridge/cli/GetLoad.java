package io.uspbridge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code usp-ctl load}: a controller that pipelines Get requests to an agent over MQTT with a bounded window (at most
 * {@code window} requests unanswered) and a bounded count, and reports requests per second and latency percentiles;
 * with the agent's process id, also the agent's resident memory (VmRSS) before the load and at its peak. A warm-up
 * run of the same requests comes first and is not counted, so that the figures are of a warmed-up agent. It talks
 * over its own MQTT client ({@link LoadConnection}), which reads large answers in bulk and in place.
 */
public final class GetLoad {

    /** What to send and how hard. */
    public record Plan(List<String> paths, int requests, int warmup, int window, OptionalLong agentPid,
            OptionalLong brokerPid) {

        public Plan(List<String> paths, int requests, int warmup, int window, OptionalLong agentPid) {
            this(paths, requests, warmup, window, agentPid, OptionalLong.empty());
        }
    }

    /**
     * The figures of one path. Latencies in microseconds. CPU times are of the counted requests only, in microseconds
     * per request (user + system time of every thread, from /proc); -1 when not measured.
     */
    public record Result(String path, int requests, int errors, double seconds, long p50, long p99, long max,
            long idleRssKib, long peakRssKib, double agentCpuMicros, double clientCpuMicros,
            double brokerCpuMicros) {

        public double perSecond() {
            return requests / seconds;
        }
    }

    private final LoadConnection client;
    /** Tells this run's answers from any other controller's that shares the topic. */
    private final String msgIdPrefix;
    /** The number of the next request; numbers are not reused across the runs of one GetLoad. */
    private long nextNumber;

    GetLoad(LoadConnection client) {
        this.client = client;
        this.msgIdPrefix = "load-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-";
    }

    /** Runs the plan path by path; each result is handed to {@code report} as soon as it is measured. */
    public void run(Plan plan, java.util.function.Consumer<Result> report) throws Exception {
        for (String path : plan.paths()) {
            GetRequestTemplate get = new GetRequestTemplate(client::record, path, msgIdPrefix);
            if (plan.warmup() > 0) {
                burst(get, plan.warmup(), plan.window());
            }
            long idle = plan.agentPid().isPresent() ? rssKib(plan.agentPid().getAsLong()) : -1;
            RssPeak peak = plan.agentPid().isPresent() ? new RssPeak(plan.agentPid().getAsLong()) : null;
            long self = ProcessHandle.current().pid();
            long agentCpu0 = plan.agentPid().isPresent() ? cpuMicros(plan.agentPid().getAsLong()) : -1;
            long brokerCpu0 = plan.brokerPid().isPresent() ? cpuMicros(plan.brokerPid().getAsLong()) : -1;
            long clientCpu0 = cpuMicros(self);
            Burst b;
            try {
                b = burst(get, plan.requests(), plan.window());
            } finally {
                if (peak != null) {
                    peak.stop();
                }
            }
            double agentCpu = perRequest(agentCpu0,
                    plan.agentPid().isPresent() ? cpuMicros(plan.agentPid().getAsLong()) : -1, plan.requests());
            double brokerCpu = perRequest(brokerCpu0,
                    plan.brokerPid().isPresent() ? cpuMicros(plan.brokerPid().getAsLong()) : -1, plan.requests());
            double clientCpu = perRequest(clientCpu0, cpuMicros(self), plan.requests());
            long[] lat = b.latencies();
            Arrays.sort(lat);
            report.accept(new Result(path, plan.requests(), b.errors(), b.seconds(), percentile(lat, 50),
                    percentile(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1], idle,
                    peak == null ? -1 : Math.max(peak.max(), idle), agentCpu, clientCpu, brokerCpu));
        }
    }

    private record Burst(long[] latencies, int errors, double seconds) {
    }

    /**
     * Sends {@code count} requests with at most {@code window} unanswered; returns when each is answered or given up
     * (no answer within the client's timeout: an error). Wrong answers count as errors: an Error Msg, a response that
     * is not a GET_RESP, a requested path with an err_code, a second answer to one request.
     */
    private Burst burst(GetRequestTemplate template, int count, int window) throws Exception {
        long base = nextNumber;
        nextNumber += count;
        long timeout = client.settings().timeout().toNanos();
        Semaphore free = new Semaphore(window);
        AtomicLongArray sentAt = new AtomicLongArray(count);
        long[] latencies = new long[count];
        // Per request: 0 waiting, 1 answered, 2 given up.
        AtomicIntegerArray state = new AtomicIntegerArray(count);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong lastAnswer = new AtomicLong(System.nanoTime());
        CompletableFuture<Void> all = new CompletableFuture<>();
        Runnable finished = () -> {
            free.release();
            if (answered.incrementAndGet() == count) {
                all.complete(null);
            }
        };
        // On the client's callback thread: reads the answer in place and allocates nothing.
        client.onPayload(payload -> {
            long o = GetResponseCheck.check(payload);
            long number = o == GetResponseCheck.NOT_A_RESPONSE ? -1
                    : template.number(payload, GetResponseCheck.msgIdAt(o), GetResponseCheck.msgIdLength(o));
            if (number < 0) {
                return false; // not an answer to this tool's requests: the client handles it as usual
            }
            long now = System.nanoTime();
            lastAnswer.set(now);
            long i = number - base;
            if (i < 0 || i >= count) {
                return true; // a late answer to a request of an earlier run
            }
            if (state.compareAndSet((int) i, 0, 1)) {
                latencies[(int) i] = (now - sentAt.get((int) i)) / 1_000;
                if (!GetResponseCheck.ok(o)) {
                    errors.incrementAndGet();
                }
                finished.run();
            } else {
                errors.incrementAndGet(); // a second answer, or one after the request was given up
            }
            return true;
        });
        try {
            long begin = System.nanoTime();
            int oldest = 0;
            for (int i = 0; i < count; i++) {
                while (!free.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    oldest = giveUpStale(oldest, i, sentAt, state, latencies, errors, finished, timeout);
                    if (System.nanoTime() - lastAnswer.get() > timeout + 1_000_000_000L) {
                        throw new IllegalStateException(
                                "the agent stopped answering (" + window + " requests unanswered)");
                    }
                }
                sentAt.set(i, System.nanoTime());
                int k = i;
                // A request the client could not send or the broker refused is an error; one sent is answered or
                // given up. Past the broker's receive maximum the client holds requests back, it refuses none.
                client.publish(template.request(base + i)).whenComplete((ok, e) -> {
                    if (e != null && state.compareAndSet(k, 0, 2)) {
                        errors.incrementAndGet();
                        finished.run();
                    }
                });
            }
            while (true) {
                try {
                    all.get(10, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    oldest = giveUpStale(oldest, count, sentAt, state, latencies, errors, finished, timeout);
                }
            }
            return new Burst(latencies, errors.get(), (System.nanoTime() - begin) / 1e9);
        } finally {
            client.onPayload(null);
        }
    }

    /** Gives up the requests sent before {@code sent} that waited longer than {@code timeout}; the new oldest. */
    private static int giveUpStale(int oldest, int sent, AtomicLongArray sentAt, AtomicIntegerArray state,
            long[] latencies, AtomicInteger errors, Runnable finished, long timeout) {
        long now = System.nanoTime();
        for (int j = oldest; j < sent; j++) {
            if (state.get(j) == 0 && now - sentAt.get(j) > timeout && state.compareAndSet(j, 0, 2)) {
                latencies[j] = (now - sentAt.get(j)) / 1_000;
                errors.incrementAndGet();
                finished.run();
            }
        }
        while (oldest < sent && state.get(oldest) != 0) {
            oldest++;
        }
        return oldest;
    }

    /** The {@code p}-th percentile (0–100) of {@code sorted} by nearest rank; 0 for no samples. */
    public static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** VmRSS of a process in KiB, from /proc (Linux); -1 when it cannot be read. */
    public static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * CPU time (user + system, all threads) a process has used so far, in microseconds, from /proc/PID/stat (Linux);
     * -1 when it cannot be read. The kernel counts it in USER_HZ ticks, which are 10 ms on every Linux ABI.
     */
    public static long cpuMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
            return ticks * 10_000;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double perRequest(long before, long after, int requests) {
        return before < 0 || after < 0 ? -1 : (after - before) / (double) requests;
    }

    /** Samples a process's VmRSS every 50 ms on a daemon thread and keeps the highest. */
    private static final class RssPeak {
        private final AtomicLong max = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean running = true;

        RssPeak(long pid) {
            thread = new Thread(() -> {
                while (running) {
                    long v = rssKib(pid);
                    max.accumulateAndGet(v, Math::max);
                    LockSupport.parkNanos(50_000_000L);
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(1_000);
        }

        long max() {
            return max.get();
        }
    }

    /** One line per path, e.g. for {@code usp-ctl load}. */
    public static String format(Result r, int window, int qos) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(java.util.Locale.ROOT,
                "Get %s: %d requests, %d in flight, QoS %d: %.0f Get/s; latency p50 %s, p99 %s, max %s; %d errors",
                r.path(), r.requests(), window, qos, r.perSecond(), ms(r.p50()), ms(r.p99()), ms(r.max()),
                r.errors()));
        if (r.idleRssKib() >= 0) {
            s.append(String.format(java.util.Locale.ROOT, "; agent RSS before %.1f MiB, peak under load %.1f MiB",
                    r.idleRssKib() / 1024.0, r.peakRssKib() / 1024.0));
        }
        s.append(String.format(java.util.Locale.ROOT, "; CPU per Get: %s", cpu("client", r.clientCpuMicros())));
        if (r.agentCpuMicros() >= 0) {
            s.append(", ").append(cpu("agent", r.agentCpuMicros()));
        }
        if (r.brokerCpuMicros() >= 0) {
            s.append(", ").append(cpu("broker", r.brokerCpuMicros()));
        }
        return s.toString();
    }

    private static String cpu(String who, double micros) {
        return micros < 0 ? who + " ?" : String.format(java.util.Locale.ROOT, "%s %.0f µs", who, micros);
    }

    private static String ms(long micros) {
        return String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000.0);
    }
}
