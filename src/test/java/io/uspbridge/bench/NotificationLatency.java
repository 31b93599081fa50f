package io.uspbridge.bench;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.model.DataModel;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Load tool: notification latency with many ValueChange subscriptions in force.
 *
 * <p>A controller creates {@code subscriptions} rows {@code Device.LocalAgent.Controller.1.BootParameter.{i}} and one
 * ValueChange subscription on each row's {@code ParameterName} (all with Add messages, as a real controller would),
 * then the value of one row after another is changed and the time until the matching Notify arrives at the
 * controller over the broker is recorded; p50/p90/p99/max are reported.
 *
 * <ul>
 * <li>{@code in-process} (default): the agent as the application runs it (AgentRuntime with the standard modules
 * and the MQTT MTP) and an embedded HiveMQ broker in this JVM. Each change is made on the agent loop, stamped just
 * before the model changes: the figure is exactly <em>model change → Notify received by the controller</em>.</li>
 * <li>{@code external}: an agent already running somewhere ({@code --broker tcp://host:port --agent-id ID
 * [--agent-topic T] --controller-id C}, C being a controller the agent trusts with write access, listening on
 * {@code usp/controller/C}). Changes are made with Set; the figure is <em>Set published → Notify received</em>, an
 * upper bound that includes the Set's way to the agent and its processing. Rows and subscriptions are removed at
 * the end.</li>
 * </ul>
 * Run: {@code ./mvnw -q test-compile} then
 * {@code java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)"
 * io.uspbridge.bench.NotificationLatency [--subscriptions 1000] [--samples 3000] [--interval-ms 5]}, or
 * {@code ./mvnw -Pbench test -Dtest=NotificationLatencyTest}.
 */
public final class NotificationLatency {
    static final String C1 = "Device.LocalAgent.Controller.1.";
    static final int ADD_BATCH = 200;

    /** What to measure. */
    record Options(int subscriptions, int samples, int warmup, int intervalMicros, String broker, String agentId,
            String agentTopic, String controllerId) {

        static Options defaults() {
            return new Options(1000, 3000, 500, 5000, null, null, null, null);
        }

        static Options parse(String[] args) {
            Options o = defaults();
            for (int i = 0; i + 1 < args.length; i += 2) {
                String v = args[i + 1];
                o = switch (args[i]) {
                    case "--subscriptions" -> new Options(Integer.parseInt(v), o.samples, o.warmup, o.intervalMicros,
                            o.broker, o.agentId, o.agentTopic, o.controllerId);
                    case "--samples" -> new Options(o.subscriptions, Integer.parseInt(v), o.warmup, o.intervalMicros,
                            o.broker, o.agentId, o.agentTopic, o.controllerId);
                    case "--warmup" -> new Options(o.subscriptions, o.samples, Integer.parseInt(v), o.intervalMicros,
                            o.broker, o.agentId, o.agentTopic, o.controllerId);
                    case "--interval-ms" -> new Options(o.subscriptions, o.samples, o.warmup,
                            (int) (Double.parseDouble(v) * 1000), o.broker, o.agentId, o.agentTopic, o.controllerId);
                    case "--broker" -> new Options(o.subscriptions, o.samples, o.warmup, o.intervalMicros, v,
                            o.agentId, o.agentTopic, o.controllerId);
                    case "--agent-id" -> new Options(o.subscriptions, o.samples, o.warmup, o.intervalMicros, o.broker,
                            v, o.agentTopic, o.controllerId);
                    case "--agent-topic" -> new Options(o.subscriptions, o.samples, o.warmup, o.intervalMicros,
                            o.broker, o.agentId, v, o.controllerId);
                    case "--controller-id" -> new Options(o.subscriptions, o.samples, o.warmup, o.intervalMicros,
                            o.broker, o.agentId, o.agentTopic, v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                };
            }
            return o;
        }

        boolean external() {
            return broker != null;
        }
    }

    /** The latencies measured (nanoseconds), after the warm-up. */
    record Report(String mode, int subscriptions, long[] latencies, int lost, double setupSeconds) {
        long percentile(int p) {
            return Percentiles.of(latencies, p);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "notification latency (%s), %d ValueChange subscriptions in force, %d"
                    + " samples, %d lost: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (setup %.1f s)", mode,
                    subscriptions, latencies.length, lost, ms(percentile(50)), ms(percentile(90)),
                    ms(percentile(99)), ms(percentile(100)), setupSeconds);
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(Options.parse(args)));
        System.exit(0);
    }

    static Report run(Options o) throws Exception {
        return o.external() ? external(o) : inProcess(o);
    }

    // ---- in-process: the real agent runtime and an embedded broker ------------------------------------------------

    static Report inProcess(Options o) throws Exception {
        Path state = Files.createTempDirectory("uspbridge-latency");
        try (EmbeddedBroker broker = EmbeddedBroker.startDefault()) {
            Map<String, String> props = TestAgent.defaults(broker.port(), state);
            try (TestAgent agent = TestAgent.start(props)) {
                waitUntil(() -> "Up".equals(agent.onLoop(
                        () -> agent.runtime().model().value("Device.LocalAgent.MTP.1.Status"))), 30);
                try (ControllerClient ctl = agent.controller(broker.port())) {
                    long setup = System.nanoTime();
                    Probe probe = new Probe(o.samples());
                    ctl.onNotify(probe::arrived);
                    setUp(ctl, o.subscriptions(), C1);
                    double setupSeconds = (System.nanoTime() - setup) / 1e9;
                    DataModel model = agent.runtime().model();
                    for (int i = 0; i < o.samples(); i++) {
                        int sample = i;
                        int row = 1 + i % o.subscriptions();
                        agent.runtime().loop().execute(() -> {
                            probe.sent[sample] = System.nanoTime();
                            model.set(model.find(C1 + "BootParameter." + row + "."), "ParameterName",
                                    "sample-" + sample);
                        });
                        pace(o.intervalMicros());
                    }
                    return probe.report("in-process: model change → Notify at the controller", o, setupSeconds);
                }
            }
        } finally {
            deleteTree(state);
        }
    }

    // ---- external: an agent running elsewhere ----------------------------------------------------------------------

    static Report external(Options o) throws Exception {
        String topic = o.agentTopic() != null ? o.agentTopic() : "usp/agent/" + o.agentId();
        try (ControllerClient ctl = ControllerClient.connect(ControllerClient.Settings.of(o.broker(),
                o.controllerId(), o.agentId(), topic).withTimeout(Duration.ofSeconds(30)))) {
            String controllerRow = controllerRow(ctl, o.controllerId());
            long setup = System.nanoTime();
            Probe probe = new Probe(o.samples());
            ctl.onNotify(probe::arrived);
            Created created = setUp(ctl, o.subscriptions(), controllerRow);
            List<String> rows = created.rows();
            double setupSeconds = (System.nanoTime() - setup) / 1e9;
            try {
                for (int i = 0; i < o.samples(); i++) {
                    String row = rows.get(i % rows.size());
                    UspMsg.Request set = UspMsg.Request.newBuilder().setSet(UspMsg.Set.newBuilder()
                            .addUpdateObjs(UspMsg.Set.UpdateObject.newBuilder().setObjPath(row).addParamSettings(
                                    UspMsg.Set.UpdateParamSetting.newBuilder().setParam("ParameterName")
                                            .setValue("sample-" + i)))).build();
                    probe.sent[i] = System.nanoTime();
                    ctl.request(MsgType.SET, set);
                    pace(o.intervalMicros());
                }
                return probe.report("external: Set published → Notify at the controller", o, setupSeconds);
            } finally {
                tearDown(ctl, created);
            }
        }
    }

    // ---- common --------------------------------------------------------------------------------------------------

    /** Arrival times by sample number, taken first thing on the MQTT client's callback thread. */
    static final class Probe {
        final long[] sent;
        final long[] received;
        final CountDownLatch all;
        final Map<Integer, Boolean> seen = new ConcurrentHashMap<>();

        Probe(int samples) {
            sent = new long[samples];
            received = new long[samples];
            all = new CountDownLatch(samples);
        }

        void arrived(UspMsg.Msg msg) {
            long now = System.nanoTime();
            UspMsg.Notify n = msg.getBody().getRequest().getNotify();
            if (!n.hasValueChange() || !n.getValueChange().getParamValue().startsWith("sample-")) {
                return;
            }
            int i = Integer.parseInt(n.getValueChange().getParamValue().substring("sample-".length()));
            if (i < received.length && seen.putIfAbsent(i, true) == null) {
                received[i] = now;
                all.countDown();
            }
        }

        Report report(String mode, Options o, double setupSeconds) throws InterruptedException {
            all.await(30, TimeUnit.SECONDS);
            List<Long> l = new ArrayList<>();
            int lost = 0;
            for (int i = o.warmup(); i < sent.length; i++) {
                if (received[i] == 0) {
                    lost++;
                } else {
                    l.add(received[i] - sent[i]);
                }
            }
            return new Report(mode, o.subscriptions(), l.stream().mapToLong(Long::longValue).toArray(), lost,
                    setupSeconds);
        }
    }

    /** The rows the tool created: BootParameter rows and one subscription on each. */
    record Created(List<String> rows, List<String> subscriptions) {
    }

    /** {@code n} BootParameter rows under the controller's row and a ValueChange subscription on each. */
    private static Created setUp(ControllerClient ctl, int n, String controllerRow) throws Exception {
        List<String> rows = add(ctl, controllerRow + "BootParameter.", n, i -> new String[] {
            "ParameterName", "initial-" + i});
        List<String> subs = add(ctl, "Device.LocalAgent.Subscription.", n, i -> new String[] {
            "Enable", "true", "ID", "latency-" + i, "NotifType", "ValueChange",
            "ReferenceList", rows.get(i) + "ParameterName"});
        return new Created(rows, subs);
    }

    private static List<String> add(ControllerClient ctl, String table, int n,
            java.util.function.IntFunction<String[]> params) throws Exception {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < n; start += ADD_BATCH) {
            UspMsg.Add.Builder add = UspMsg.Add.newBuilder().setAllowPartial(false);
            for (int i = start; i < Math.min(n, start + ADD_BATCH); i++) {
                UspMsg.Add.CreateObject.Builder co = UspMsg.Add.CreateObject.newBuilder().setObjPath(table);
                String[] p = params.apply(i);
                for (int k = 0; k + 1 < p.length; k += 2) {
                    co.addParamSettings(UspMsg.Add.CreateParamSetting.newBuilder().setParam(p[k]).setValue(p[k + 1])
                            .setRequired(true));
                }
                add.addCreateObjs(co);
            }
            UspMsg.Msg r = ControllerClient.await(ctl.request(MsgType.ADD, UspMsg.Request.newBuilder().setAdd(add)
                    .build()));
            if (!r.getBody().getResponse().hasAddResp()) {
                throw new IllegalStateException("the agent refused the Add to " + table + ": " + r.getBody());
            }
            for (var res : r.getBody().getResponse().getAddResp().getCreatedObjResultsList()) {
                out.add(res.getOperStatus().getOperSuccess().getInstantiatedPath());
            }
        }
        return out;
    }

    private static void tearDown(ControllerClient ctl, Created created) throws Exception {
        List<String> all = new ArrayList<>(created.subscriptions());
        all.addAll(created.rows());
        for (int start = 0; start < all.size(); start += ADD_BATCH) {
            ControllerClient.await(ctl.request(MsgType.DELETE, UspMsg.Request.newBuilder().setDelete(
                    UspMsg.Delete.newBuilder().setAllowPartial(true)
                            .addAllObjPaths(all.subList(start, Math.min(all.size(), start + ADD_BATCH)))).build()));
        }
    }

    /** The row of this controller in the agent's Controller table (its own BootParameter rows go there). */
    private static String controllerRow(ControllerClient ctl, String endpointId) throws Exception {
        UspMsg.Msg r = ControllerClient.await(ctl.request(MsgType.GET, UspMsg.Request.newBuilder().setGet(
                UspMsg.Get.newBuilder().addParamPaths("Device.LocalAgent.Controller.[EndpointID==\"" + endpointId
                        + "\"].EndpointID")).build()));
        var results = r.getBody().getResponse().getGetResp().getReqPathResults(0).getResolvedPathResultsList();
        if (results.isEmpty()) {
            throw new IllegalStateException("the agent has no Controller row for " + endpointId);
        }
        return results.get(0).getResolvedPath();
    }

    /** Spaces the changes: latency, not throughput, is measured. */
    private static void pace(int micros) {
        long until = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check c, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the agent's MQTT link did not come up");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (Exception e) {
            // a temporary folder
        }
    }

    private NotificationLatency() {
    }
}
