package io.uspbridge.bench;

import static org.awaitility.Awaitility.await;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scale measurement of the packaged agent: it is started as a separate process ({@code java <jvm flags> -jar
 * target/quarkus-app/quarkus-run.jar}) with the virtual adapter offering {@code --devices} eight-capability
 * multisensors, and a controller on the same broker measures
 * <ul>
 * <li>start-up: process start → the agent's "started" log line, and → every device present
 * ({@code Device.ProxiedDeviceNumberOfEntries} read with Get every 50 ms);</li>
 * <li>full {@code Get Device.ProxiedDevice.} over MQTT: {@code --warmup} Gets, then {@code --gets} measured one after
 * another (request published → response decoded at the controller), p50/p99/max, the response size and how many
 * parameters it carries;</li>
 * <li>the agent's resident memory (VmRSS and its peak VmHWM from {@code /proc/<pid>/status}) when idle after start
 * and after the Gets.</li>
 * </ul>
 * The broker is either the agent's embedded HiveMQ ({@code --broker embedded}, in the agent's process and so in its
 * memory) or one already running ({@code --broker tcp://127.0.0.1:PORT}, e.g. mosquitto). JVM flags for the agent
 * follow {@code --}. With {@code --jcmd true} the heap histogram, NMT summary and heap info are saved next to the
 * log after the Gets. The agent's log goes to {@code target/scale/<label>.log}, its store under
 * {@code target/scale/<label>/} (deleted first: a first start).
 *
 * <p>Run: {@code ./mvnw -q -B package -DskipTests && ./mvnw -q dependency:build-classpath
 * -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test} then
 * {@code java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)"
 * io.uspbridge.bench.AgentScale --label small --broker embedded -- -XX:+UseSerialGC -Xmx64m …}. The flags and
 * figures are in docs/SCALE.md.
 */
public final class AgentScale {
    static final String AGENT_ID = "proto::usp-bridge-scale";
    static final String CONTROLLER_ID = "proto::scale-controller";

    record Options(String label, int devices, int gets, int warmup, String broker, Duration reportInterval,
            Duration settle, Path jar, List<String> jvmFlags, boolean keepStore, boolean jcmd) {

        static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>(Map.of("--label", "default", "--devices", "1000",
                    "--gets", "50", "--warmup", "10", "--broker", "embedded", "--report-interval", "PT10S",
                    "--settle-seconds", "10", "--jar", "target/quarkus-app/quarkus-run.jar", "--keep-store", "false"));
            o.put("--jcmd", "false");
            List<String> jvm = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--")) {
                    jvm.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    break;
                }
                if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
                }
                o.put(args[i], args[++i]);
            }
            return new Options(o.get("--label"), Integer.parseInt(o.get("--devices")),
                    Integer.parseInt(o.get("--gets")), Integer.parseInt(o.get("--warmup")), o.get("--broker"),
                    Duration.parse(o.get("--report-interval")),
                    Duration.ofSeconds(Long.parseLong(o.get("--settle-seconds"))), Path.of(o.get("--jar")), jvm,
                    Boolean.parseBoolean(o.get("--keep-store")), Boolean.parseBoolean(o.get("--jcmd")));
        }
    }

    record Report(Options options, double startedSeconds, double devicesSeconds, long[] getNanos, int responseBytes,
            int responseParams, double decodeMillis, long rssIdleKb, long rssAfterKb, long hwmKb, String load) {

        long percentile(int p) {
            return Percentiles.of(getNanos, p);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: broker %s, %d devices, JVM flags [%s]%n"
                    + "  start-up: 'started' log line %.2f s, all devices present %.2f s%n"
                    + "  Get Device.ProxiedDevice. x%d (after %d warm-up): p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                    + " response %d bytes, %d parameters (decoding it takes the controller %.1f ms)%n"
                    + "  agent RSS: idle after start %.1f MiB, after the Gets %.1f MiB, peak (VmHWM) %.1f MiB%n"
                    + "  load average at the end: %s",
                    options.label(), options.broker(), options.devices(), String.join(" ", options.jvmFlags()),
                    startedSeconds, devicesSeconds, getNanos.length, options.warmup(), ms(percentile(50)),
                    ms(percentile(99)), ms(percentile(100)), responseBytes, responseParams, decodeMillis, rssIdleKb / 1024.0,
                    rssAfterKb / 1024.0, hwmKb / 1024.0, load);
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Report r = run(Options.parse(args));
        System.out.println(r);
        Path out = Path.of("target", "scale", "results.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, r + System.lineSeparator() + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.exit(0);
    }

    static Report run(Options o) throws Exception {
        if (!Files.isRegularFile(o.jar())) {
            throw new IllegalStateException(o.jar() + " is missing: ./mvnw -q -B package -DskipTests first");
        }
        Path dir = Path.of("target", "scale", o.label()).toAbsolutePath();
        if (!o.keepStore()) {
            deleteTree(dir);
        }
        Files.createDirectories(dir);
        String brokerUrl;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(o.jvmFlags());
        if (o.broker().equals("embedded")) {
            int port = freePort();
            brokerUrl = "tcp://127.0.0.1:" + port;
            cmd.add("-Duspbridge.mqtt.embedded-broker.enabled=true");
            cmd.add("-Duspbridge.mqtt.embedded-broker.port=" + port);
        } else {
            brokerUrl = o.broker();
            // The packaged agent's prod profile starts the embedded demo broker (on 1883): not wanted beside an
            // external one, whose figures it would inflate by the ≈ 35–40 MiB of an idle HiveMQ.
            cmd.add("-Duspbridge.mqtt.embedded-broker.enabled=false");
        }
        cmd.addAll(List.of("-Duspbridge.mqtt.url=" + brokerUrl,
                "-Duspbridge.endpoint-id=" + AGENT_ID,
                "-Duspbridge.mqtt.connect-retry-time=1",
                "-Duspbridge.controllers.scale.endpoint-id=" + CONTROLLER_ID,
                "-Duspbridge.controllers.scale.mqtt-topic=usp/controller/" + CONTROLLER_ID,
                "-Duspbridge.store.path=" + dir.resolve("state.db"),
                "-Duspbridge.adapters.virtual.enabled=true",
                "-Duspbridge.adapters.virtual.lights=0",
                "-Duspbridge.adapters.virtual.climate-sensors=0",
                "-Duspbridge.adapters.virtual.plugs=0",
                "-Duspbridge.adapters.virtual.thermostats=0",
                "-Duspbridge.adapters.virtual.multi-sensors=" + o.devices(),
                "-Duspbridge.adapters.virtual.report-interval=" + o.reportInterval(),
                "-Duspbridge.adapters.virtual.seed=1",
                "-Duspbridge.http.port=0",
                "-jar", o.jar().toAbsolutePath().toString()));
        Path log = Path.of("target", "scale", o.label() + ".log");
        System.out.println("starting: " + String.join(" ", cmd));

        long t0 = System.nanoTime();
        Process agent = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Long> started = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(agent, log, started, t0), "agent-log");
        pump.setDaemon(true);
        pump.start();
        try {
            ControllerClient ctl = connect(brokerUrl, agent);
            try {
                UspMsg.Request count = get("Device.ProxiedDeviceNumberOfEntries");
                await().alias("all " + o.devices() + " devices present (see " + log + ")")
                        .atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                        .failFast("the agent exited; see " + log, () -> !agent.isAlive())
                        .until(() -> devicesPresent(ctl, count) >= o.devices());
                double devicesSeconds = (System.nanoTime() - t0) / 1e9;
                double startedSeconds = started.get(60, TimeUnit.SECONDS) / 1e9;

                Thread.sleep(o.settle().toMillis()); // let start-up garbage be collected as it would on a hub
                long rssIdle = status(agent.pid(), "VmRSS");

                UspMsg.Request full = get("Device.ProxiedDevice.");
                int bytes = 0;
                int params = 0;
                for (int i = 0; i < o.warmup(); i++) {
                    UspMsg.Msg m = ControllerClient.await(ctl.request(MsgType.GET, full));
                    bytes = m.getSerializedSize();
                    params = params(m);
                }
                long[] nanos = new long[o.gets()];
                for (int i = 0; i < o.gets(); i++) {
                    long s = System.nanoTime();
                    UspMsg.Msg m = ControllerClient.await(ctl.request(MsgType.GET, full));
                    nanos[i] = System.nanoTime() - s;
                    if (m.getBody().getResponse().getGetResp().getReqPathResultsCount() != 1
                            || m.getBody().getResponse().getGetResp().getReqPathResults(0).getErrCode() != 0) {
                        throw new IllegalStateException("the Get failed: " + m);
                    }
                    bytes = m.getSerializedSize();
                    params = params(m);
                }
                long rssAfter = status(agent.pid(), "VmRSS");
                // The controller's share of each Get: decoding the response Msg again, warm, best of 10.
                UspMsg.Msg last = ControllerClient.await(ctl.request(MsgType.GET, full));
                byte[] encoded = last.toByteArray();
                long decode = Long.MAX_VALUE;
                for (int i = 0; i < 10; i++) {
                    long s = System.nanoTime();
                    params(UspMsg.Msg.parseFrom(encoded));
                    decode = Math.min(decode, System.nanoTime() - s);
                }
                long hwm = status(agent.pid(), "VmHWM");
                if (o.jcmd()) {
                    // Where the memory goes: heap by class, and the JVM's own areas (with
                    // -XX:NativeMemoryTracking=summary among the flags).
                    for (String what : List.of("GC.class_histogram", "VM.native_memory summary", "GC.heap_info")) {
                        List<String> jcmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                                "jcmd").toString(), Long.toString(agent.pid())));
                        jcmd.addAll(Arrays.asList(what.split(" ")));
                        Path to = Path.of("target", "scale", o.label() + "-" + what.split(" ")[0] + ".txt");
                        new ProcessBuilder(jcmd).redirectErrorStream(true).redirectOutput(to.toFile()).start()
                                .waitFor(60, TimeUnit.SECONDS);
                    }
                }
                return new Report(o, startedSeconds, devicesSeconds, nanos, bytes, params, decode / 1e6, rssIdle,
                        rssAfter, hwm,
                        Files.readString(Path.of("/proc/loadavg")).trim());
            } finally {
                ctl.close();
            }
        } finally {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    private static UspMsg.Request get(String path) {
        return UspMsg.Request.newBuilder().setGet(UspMsg.Get.newBuilder().addParamPaths(path)).build();
    }

    private static int params(UspMsg.Msg m) {
        return m.getBody().getResponse().getGetResp().getReqPathResultsList().stream()
                .flatMap(r -> r.getResolvedPathResultsList().stream()).mapToInt(r -> r.getResultParamsCount()).sum();
    }

    /** Connects once the broker (possibly inside the agent, still starting) accepts connections. */
    private static ControllerClient connect(String brokerUrl, Process agent) {
        return await().alias("the broker " + brokerUrl + " accepts the controller")
                .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .failFast("the agent exited", () -> !agent.isAlive())
                .until(() -> ControllerClient.connect(ControllerClient.Settings.of(brokerUrl, CONTROLLER_ID,
                        AGENT_ID, "usp/agent/" + AGENT_ID).withTimeout(Duration.ofSeconds(30))), c -> c != null);
    }

    /**
     * The agent's ProxiedDeviceNumberOfEntries, or -1 when it does not answer in 2 s (a request published before the
     * agent has subscribed is lost: the next poll asks again).
     */
    private static int devicesPresent(ControllerClient ctl, UspMsg.Request count) throws Exception {
        UspMsg.Msg m;
        try {
            m = ctl.request(MsgType.GET, count).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return -1;
        }
        return Integer.parseInt(m.getBody().getResponse().getGetResp().getReqPathResults(0)
                .getResolvedPathResultsList().stream()
                .map(r -> r.getResultParamsMap().get("ProxiedDeviceNumberOfEntries")).findFirst().orElse("0"));
    }

    /** Copies the agent's output to its log file and notes when the "started" line appears. */
    private static void pump(Process agent, Path log, CompletableFuture<Long> started, long t0) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!started.isDone() && line.contains("USP agent ") && line.contains(" started (")) {
                    started.complete(System.nanoTime() - t0);
                }
                out.println(line);
                out.flush();
            }
        } catch (IOException e) {
            started.completeExceptionally(e);
        }
    }

    /** A kB figure of /proc/{pid}/status. */
    static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
