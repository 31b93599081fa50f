package io.uspbridge.cli;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code usp-ctl}: a USP Controller on the command line, for USP Bridge and any other USP agent reachable over MQTT 5.
 * A plain Java program on {@link ControllerClient} (no Quarkus boot), so each command answers in well under a
 * second. Exit status: 0 done, 1 the agent answered with an error, 2 a command line it cannot run, 3 no broker or no
 * answer from the agent.
 */
public final class UspCtl {
    public static final int OK = 0;
    public static final int AGENT_ERROR = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    static final String USAGE_TEXT = """
            Usage: usp-ctl [connection options] COMMAND [operands] [command options]

            Commands:
              get PATH...                       parameters under each path (search paths too)
                  --depth N                     only N levels below each path (0: all)
              set PATH=VALUE...                 write parameters (settings of one object go in one update)
                  --allow-partial --optional    let other objects / other parameters succeed when one fails
              add TABLE. [NAME=VALUE...]        create a row; prints its path and unique keys
                  --allow-partial --optional
              delete OBJECT....                 delete rows; prints every deleted path
                  --allow-partial
              operate COMMAND() [ARG=VALUE...]  run a command; prints its output arguments
                  --key KEY                     the command key
                  --no-wait                     send_resp=false: do not wait for the result
              subscribe TYPE REFERENCE...       TYPE: ValueChange, ObjectCreation, ObjectDeletion,
                                                OperationComplete or Event; creates a subscription, prints
                                                notifications as they arrive until Ctrl-C, then removes it
                  --id ID  --retry              the subscription ID; NotifRetry=true
                  --count N  --for SECONDS      stop after N notifications / after SECONDS
              gsdm OBJECT....                   the supported data model (GetSupportedDM)
                  --first-level --no-params --no-commands --no-events --no-keys
              instances OBJECT....              the rows of tables and their unique keys (GetInstances)
                  --first-level
              proto [VERSIONS]                  the USP versions the agent supports (GetSupportedProtocol)
              load PATH...                      a load test: pipelined Gets of each path; prints Get/s and
                                                p50/p99 latency (and the agent's memory with --pid)
                  --requests N --warmup N       counted requests (20000) after uncounted ones (5000)
                  --window N                    requests in flight (16)
                  --pid PID                     the agent's process: VmRSS before and at the peak, CPU per Get
                  --broker-pid PID              the broker's process: its CPU per Get

            Quote paths that hold *, [ ] or ( ) for the shell: usp-ctl get 'Device.ProxiedDevice.*.Name'

            """ + ConnectionOptions.HELP + """

            Exit status: 0 done, 1 the agent answered with an error, 2 bad command line, 3 no broker or no answer.
            """;

    private static final Map<String, Set<String>> COMMAND_OPTIONS = Map.of(
            "get", Set.of("--depth"),
            "set", Set.of("--allow-partial", "--optional"),
            "add", Set.of("--allow-partial", "--optional"),
            "delete", Set.of("--allow-partial"),
            "operate", Set.of("--key", "--no-wait"),
            "subscribe", Set.of("--id", "--retry", "--count", "--for"),
            "gsdm", Set.of("--first-level", "--no-params", "--no-commands", "--no-events", "--no-keys"),
            "instances", Set.of("--first-level"),
            "proto", Set.of(),
            "load", Set.of("--requests", "--warmup", "--window", "--pid", "--broker-pid"));

    static final CommandLine.Spec SPEC;

    static {
        Set<String> valued = new HashSet<>(ConnectionOptions.VALUED);
        valued.addAll(Set.of("--depth", "--key", "--id", "--count", "--for", "--requests", "--warmup", "--window",
                "--pid", "--broker-pid"));
        Set<String> flags = Set.of("--help", "--allow-partial", "--optional", "--no-wait", "--retry",
                "--first-level", "--no-params", "--no-commands", "--no-events", "--no-keys");
        Map<String, String> aliases = new java.util.HashMap<>(ConnectionOptions.ALIASES);
        aliases.put("-h", "--help");
        SPEC = new CommandLine.Spec(Set.copyOf(valued), flags, Map.copyOf(aliases));
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean subscribed;

    public UspCtl(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /**
     * Paho's loggers, held so that their level stays set (java.util.logging keeps loggers weakly). Outside Quarkus
     * nothing configures logging, and the log manager on the class path then let Paho format a trace message for
     * every packet (about a fifth of the CPU of {@code usp-ctl load}); nobody sees them.
     */
    private static final java.util.logging.Logger PAHO_LOG = java.util.logging.Logger.getLogger("org.eclipse.paho");

    public static void main(String[] args) {
        PAHO_LOG.setLevel(java.util.logging.Level.WARNING);
        UspCtl ctl = new UspCtl(System.getenv(), System.out, System.err);
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C ends a subscribe: the hook lets run() remove the subscription before the JVM goes.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!ctl.stop()) {
                return;
            }
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "usp-ctl-stop"));
        int status = ctl.run(args);
        finished.countDown();
        System.exit(status);
    }

    /** Ends a running {@code subscribe} (Ctrl-C); true when it has a subscription to remove first. */
    public boolean stop() {
        stop.countDown();
        return subscribed;
    }

    public int run(String[] args) {
        CommandLine cl;
        ConnectionOptions conn;
        String command;
        try {
            cl = CommandLine.parse(args, SPEC);
            if (cl.flag("--help") || cl.operands().isEmpty() || cl.operands().get(0).equals("help")) {
                out.print(USAGE_TEXT);
                return cl.operands().isEmpty() && !cl.flag("--help") ? USAGE : OK;
            }
            command = cl.operands().get(0);
            Set<String> allowed = COMMAND_OPTIONS.get(command);
            if (allowed == null) {
                throw new UsageException("unknown command '" + command + "'");
            }
            for (String o : cl.options().keySet()) {
                if (!allowed.contains(o) && !ConnectionOptions.VALUED.contains(o)) {
                    throw new UsageException(o + " is not an option of " + command);
                }
            }
            conn = ConnectionOptions.from(cl, env);
            // Build the request before connecting: a bad operand never touches the network.
            if (command.equals("load")) {
                return load(conn, cl);
            }
            if (!command.equals("subscribe")) {
                UspMsg.Request request = request(command, cl);
                return exchange(conn, command, request, cl);
            }
            return subscribe(conn, cl);
        } catch (UsageException e) {
            err.println("usp-ctl: " + e.getMessage());
            err.println("usp-ctl --help lists the commands and options");
            return USAGE;
        }
    }

    private static UspMsg.Request request(String command, CommandLine cl) throws UsageException {
        List<String> ops = cl.operands().subList(1, cl.operands().size());
        return switch (command) {
            case "get" -> Requests.get(ops, (int) cl.number("--depth", 0, 0, Integer.MAX_VALUE));
            case "set" -> Requests.set(ops, cl.flag("--allow-partial"), !cl.flag("--optional"));
            case "add" -> Requests.add(ops, cl.flag("--allow-partial"), !cl.flag("--optional"));
            case "delete" -> Requests.delete(ops, cl.flag("--allow-partial"));
            case "operate" -> {
                if (ops.size() > 0 && ops.stream().skip(1).anyMatch(o -> !o.contains("="))) {
                    throw new UsageException("operate takes one command path and then Arg=Value input arguments");
                }
                yield Requests.operate(ops, cl.option("--key").orElse(""), !cl.flag("--no-wait"));
            }
            case "gsdm" -> Requests.supportedDm(ops, cl.flag("--first-level"), !cl.flag("--no-params"),
                    !cl.flag("--no-commands"), !cl.flag("--no-events"), !cl.flag("--no-keys"));
            case "instances" -> Requests.instances(ops, cl.flag("--first-level"));
            case "proto" -> {
                if (ops.size() > 1) {
                    throw new UsageException("proto takes at most one operand, a list such as 1.3,1.4");
                }
                yield Requests.supportedProtocol(ops.isEmpty() ? "1.0,1.1,1.2,1.3,1.4" : ops.get(0));
            }
            default -> throw new UsageException("unknown command '" + command + "'");
        };
    }

    private static MsgType type(UspMsg.Request r) {
        return switch (r.getReqTypeCase()) {
            case GET -> MsgType.GET;
            case SET -> MsgType.SET;
            case ADD -> MsgType.ADD;
            case DELETE -> MsgType.DELETE;
            case OPERATE -> MsgType.OPERATE;
            case GET_SUPPORTED_DM -> MsgType.GET_SUPPORTED_DM;
            case GET_INSTANCES -> MsgType.GET_INSTANCES;
            case GET_SUPPORTED_PROTOCOL -> MsgType.GET_SUPPORTED_PROTO;
            default -> throw new IllegalArgumentException("not a request this tool sends: " + r.getReqTypeCase());
        };
    }

    private int exchange(ConnectionOptions conn, String command, UspMsg.Request request, CommandLine cl) {
        try (ControllerClient client = connect(conn)) {
            if (client == null) {
                return UNREACHABLE;
            }
            // Notifies for a subscribe running beside this command are that command's to answer.
            client.answerNotifies(false);
            if (command.equals("operate") && cl.flag("--no-wait")) {
                client.sendOneWay(UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder()
                        .setMsgId(client.newMsgId()).setMsgType(MsgType.OPERATE))
                        .setBody(UspMsg.Body.newBuilder().setRequest(request)).build());
                out.println(request.getOperate().getCommand() + ": sent");
                return OK;
            }
            return print(ask(client, conn, type(request), request));
        } catch (NoAnswer e) {
            return UNREACHABLE;
        } catch (Exception e) {
            err.println("usp-ctl: " + describe(e));
            return UNREACHABLE;
        }
    }

    private int print(UspMsg.Msg answer) {
        ResponseText.Lines lines = ResponseText.of(answer);
        lines.out().forEach(out::println);
        lines.err().forEach(err::println);
        out.flush();
        return lines.ok() ? OK : AGENT_ERROR;
    }

    /** Thrown after the "no answer" explanation has been printed. */
    private static final class NoAnswer extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private UspMsg.Msg ask(ControllerClient client, ConnectionOptions conn, MsgType type, UspMsg.Request request)
            throws Exception {
        return answer(conn, client.request(type, request));
    }

    /** Waits for the answer to a request; explains a timeout on standard error. */
    private UspMsg.Msg answer(ConnectionOptions conn, CompletableFuture<UspMsg.Msg> request) throws Exception {
        try {
            return ControllerClient.await(request);
        } catch (TimeoutException e) {
            err.println("usp-ctl: no answer from " + conn.agentId() + " on topic " + conn.agentTopic() + " within "
                    + seconds(conn.timeout().toMillis()) + ": is the agent running and connected to "
                    + conn.broker() + ", and does it trust controller " + conn.controllerId() + "?");
            throw new NoAnswer();
        }
    }

    private ControllerClient connect(ConnectionOptions conn) {
        try {
            return ControllerClient.connect(conn.settings());
        } catch (Exception e) {
            err.println("usp-ctl: cannot use the broker at " + conn.broker() + ": " + describe(e));
            return null;
        }
    }

    private int subscribe(ConnectionOptions conn, CommandLine cl) throws UsageException {
        List<String> ops = cl.operands().subList(1, cl.operands().size());
        if (ops.size() < 2) {
            throw new UsageException("subscribe needs a notification type and at least one reference, e.g. "
                    + "usp-ctl subscribe ValueChange 'Device.ProxiedDevice.*.IoTCapability.*.LevelSensor.Value'");
        }
        String type = Requests.notifType(ops.get(0));
        List<String> references = ops.subList(1, ops.size());
        long count = cl.number("--count", 0, 0, Long.MAX_VALUE);
        double forSeconds = cl.seconds("--for", 0, 0, 366 * 86_400.0);
        String id = cl.option("--id").orElse("usp-ctl-" + Long.toString(System.nanoTime() & 0xffffffffL, 36));
        if (id.isEmpty() || id.length() > 64) {
            throw new UsageException("--id must be 1 to 64 characters");
        }
        UspMsg.Request add = Requests.addSubscription(id, type, references, cl.flag("--retry"));

        ControllerClient client = connect(conn);
        if (client == null) {
            return UNREACHABLE;
        }
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        client.onNotify(msg -> {
            UspMsg.Notify n = msg.getBody().getRequest().getNotify();
            if (!n.getSubscriptionId().equals(id)) {
                return;
            }
            // Notifies that arrive together may outrun the end of --count: print exactly N.
            int k = seen.incrementAndGet();
            if (count > 0 && k > count) {
                return;
            }
            synchronized (out) {
                out.println(LocalTime.now().format(TIME) + " " + ResponseText.notification(n));
                out.flush();
            }
            if (count > 0 && k == count) {
                enough.countDown();
            }
        });
        String row = null;
        try {
            UspMsg.Msg answer = ask(client, conn, MsgType.ADD, add);
            ResponseText.Lines lines = ResponseText.of(answer);
            if (!lines.ok()) {
                err.println("usp-ctl: the agent refused the subscription");
                lines.err().forEach(err::println);
                return AGENT_ERROR;
            }
            row = lines.out().get(0);
            subscribed = true;
            err.println("subscribed: " + row + " (ID " + id + ", " + type + " on " + String.join(", ", references)
                    + "); " + (count > 0 ? "stopping after " + count + " notification(s)" : "Ctrl-C stops"));
            waitForEnd(enough, forSeconds);
            return OK;
        } catch (NoAnswer e) {
            return UNREACHABLE;
        } catch (Exception e) {
            err.println("usp-ctl: " + describe(e));
            return UNREACHABLE;
        } finally {
            if (row != null) {
                unsubscribe(client, conn, row);
                subscribed = false;
            }
            client.close();
        }
    }

    private int load(ConnectionOptions conn, CommandLine cl) throws UsageException {
        List<String> paths = cl.operands().subList(1, cl.operands().size());
        if (paths.isEmpty()) {
            throw new UsageException("load needs at least one path, e.g. usp-ctl load Device.DeviceInfo. Device.");
        }
        int window = (int) cl.number("--window", 16, 1, 65_535);
        GetLoad.Plan plan = new GetLoad.Plan(List.copyOf(paths), (int) cl.number("--requests", 20_000, 1, 10_000_000),
                (int) cl.number("--warmup", 5_000, 0, 10_000_000), window,
                cl.option("--pid").isPresent() ? java.util.OptionalLong.of(cl.number("--pid", 0, 1, Long.MAX_VALUE))
                        : java.util.OptionalLong.empty(),
                cl.option("--broker-pid").isPresent()
                        ? java.util.OptionalLong.of(cl.number("--broker-pid", 0, 1, Long.MAX_VALUE))
                        : java.util.OptionalLong.empty());
        if (plan.agentPid().isPresent() && GetLoad.rssKib(plan.agentPid().getAsLong()) < 0) {
            throw new UsageException("cannot read /proc/" + plan.agentPid().getAsLong() + "/status");
        }
        if (plan.brokerPid().isPresent() && GetLoad.cpuMicros(plan.brokerPid().getAsLong()) < 0) {
            throw new UsageException("cannot read /proc/" + plan.brokerPid().getAsLong() + "/stat");
        }
        // Its own MQTT client, which reads large answers in bulk (LoadConnection); no Paho connection is opened.
        LoadConnection client;
        try {
            client = LoadConnection.connect(conn.plainSettings(), conn.tlsKeys());
        } catch (Exception e) {
            err.println("usp-ctl: cannot use the broker at " + conn.broker() + ": " + describe(e));
            return UNREACHABLE;
        }
        try (client) {
            // One Get first: a wrong agent id or an untrusted controller is reported as such, not as a load failure.
            UspMsg.Msg first = answer(conn, client.request(MsgType.GET, Requests.get(List.of(paths.get(0)), 0)));
            ResponseText.Lines lines = ResponseText.of(first);
            if (!lines.ok()) {
                lines.err().forEach(err::println);
                return AGENT_ERROR;
            }
            boolean[] failed = {false};
            new GetLoad(client).run(plan, r -> {
                out.println(GetLoad.format(r, window, conn.qos()));
                out.flush();
                failed[0] |= r.errors() > 0;
            });
            return failed[0] ? AGENT_ERROR : OK;
        } catch (NoAnswer e) {
            return UNREACHABLE;
        } catch (Exception e) {
            err.println("usp-ctl: " + describe(e));
            return UNREACHABLE;
        }
    }

    private void waitForEnd(CountDownLatch enough, double forSeconds) throws InterruptedException {
        long deadline = forSeconds > 0 ? System.nanoTime() + (long) (forSeconds * 1e9) : Long.MAX_VALUE;
        while (stop.getCount() > 0 && enough.getCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            enough.await(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
        }
    }

    private void unsubscribe(ControllerClient client, ConnectionOptions conn, String row) {
        try {
            UspMsg.Msg answer = ControllerClient.await(client.request(MsgType.DELETE,
                    UspMsg.Request.newBuilder().setDelete(UspMsg.Delete.newBuilder().addObjPaths(row)).build()));
            ResponseText.Lines lines = ResponseText.of(answer);
            if (lines.ok()) {
                err.println("unsubscribed: " + row);
            } else {
                err.println("usp-ctl: could not remove " + row);
                lines.err().forEach(err::println);
            }
        } catch (Exception e) {
            err.println("usp-ctl: could not remove " + row + " (" + describe(e) + "); it is not persistent, so "
                    + conn.agentId() + " drops it at its next restart");
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
