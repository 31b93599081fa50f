package io.uspbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.testing.TestAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * usp-ctl against a whole agent in this JVM over a real MQTT 5 broker: the command line is parsed, the request goes
 * over the broker, and what the tool prints and its exit status are what a user sees.
 */
class UspCtlTest {
    static EmbeddedBroker broker;
    static TestAgent agent;

    @TempDir
    static Path state;

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()).start();
        agent = TestAgent.start(TestAgent.defaults(broker.port(), state));
        try (ControllerClient c = agent.controller(broker.port())) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> ControllerClient.await(c.request(MsgType.GET, Requests.get(
                            List.of("Device.LocalAgent.EndpointID"), 0))).getBody().hasResponse());
        }
    }

    @AfterAll
    static void stop() {
        agent.close();
        broker.stop();
    }

    /** What one run of the tool printed, and its exit status. */
    record Run(int status, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static UspCtl ctl(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new UspCtl(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static String[] withConnection(String... args) {
        List<String> all = new ArrayList<>(List.of("--broker", "tcp://127.0.0.1:" + broker.port(), "--agent-id",
                TestAgent.AGENT_ID, "--controller-id", TestAgent.CONTROLLER_ID));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ctl(out, err).run(withConnection(args));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void getPrintsEveryParameterAsPathEqualsValue() {
        Run r = run("get", "Device.DeviceInfo.");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.lines()).contains("Device.DeviceInfo.Manufacturer = USP Bridge",
                "Device.DeviceInfo.ModelName = USP Bridge IoT Hub");
        assertThat(r.lines()).allMatch(l -> l.startsWith("Device.DeviceInfo.") && l.contains(" = "));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void getWithASearchPathAndADepth() {
        Run r = run("get", "Device.LocalAgent.Controller.[EndpointID==\"" + TestAgent.CONTROLLER_ID + "\"].Enable");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.lines()).containsExactly("Device.LocalAgent.Controller.1.Enable = true");

        Run shallow = run("get", "--depth", "1", "Device.LocalAgent.");
        assertThat(shallow.lines()).contains("Device.LocalAgent.EndpointID = " + TestAgent.AGENT_ID)
                .noneMatch(l -> l.startsWith("Device.LocalAgent.Controller."));
    }

    @Test
    void anInvalidPathIsAnErrorWithItsCodeOnStandardErrorAndExitStatusOne() {
        Run r = run("get", "Device.NoSuchThing.");
        assertThat(r.status()).isEqualTo(UspCtl.AGENT_ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("Device.NoSuchThing.: error 7026 (invalid path)");
    }

    @Test
    void setPrintsWhatTheAgentUpdatedAndAGetSeesIt() {
        Run r = run("set", "Device.LocalAgent.Controller.1.ProvisioningCode=site-42",
                "Device.LocalAgent.Controller.1.PeriodicNotifInterval=300");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.lines()).containsExactlyInAnyOrder("Device.LocalAgent.Controller.1.ProvisioningCode = site-42",
                "Device.LocalAgent.Controller.1.PeriodicNotifInterval = 300");
        assertThat(run("get", "Device.LocalAgent.Controller.1.ProvisioningCode").lines())
                .containsExactly("Device.LocalAgent.Controller.1.ProvisioningCode = site-42");
    }

    @Test
    void aSetTheAgentRefusesNamesTheParameterAndTheCode() {
        Run r = run("set", "Device.LocalAgent.Controller.1.PeriodicNotifInterval=not-a-number");
        assertThat(r.status()).isEqualTo(UspCtl.AGENT_ERROR);
        assertThat(r.err()).contains("PeriodicNotifInterval").containsPattern("error 70(11|12|21)");
    }

    @Test
    void addPrintsTheNewRowAndItsKeysAndDeleteRemovesIt() {
        Run add = run("add", "Device.LocalAgent.Controller.1.BootParameter.",
                "ParameterName=Device.DeviceInfo.SerialNumber", "Enable=true");
        assertThat(add.status()).as(add.err()).isZero();
        String row = add.lines().get(0);
        assertThat(row).matches("Device\\.LocalAgent\\.Controller\\.1\\.BootParameter\\.\\d+\\.");
        assertThat(add.lines()).anyMatch(l -> l.startsWith(row + "Alias = "));
        assertThat(run("get", row + "ParameterName").lines())
                .containsExactly(row + "ParameterName = Device.DeviceInfo.SerialNumber");

        Run del = run("delete", row);
        assertThat(del.status()).as(del.err()).isZero();
        assertThat(del.lines()).containsExactly(row);
        assertThat(run("get", row).status()).isEqualTo(UspCtl.AGENT_ERROR);
    }

    @Test
    void instancesListsRowsWithTheirUniqueKeys() {
        Run r = run("instances", "Device.LocalAgent.Controller.");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.lines()).contains("Device.LocalAgent.Controller.1.",
                "Device.LocalAgent.Controller.1.EndpointID = " + TestAgent.CONTROLLER_ID);
    }

    @Test
    void gsdmDescribesObjectsParametersCommandsAndKeys() {
        Run r = run("gsdm", "--first-level", "Device.LocalAgent.Controller.");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.lines()).contains("Device.LocalAgent.Controller.{i}.  table add-delete",
                "Device.LocalAgent.Controller.{i}.Enable  boolean read-write",
                "Device.LocalAgent.Controller.{i}.  unique key: EndpointID");
        assertThat(r.lines()).anyMatch(l -> l.startsWith("Device.LocalAgent.Controller.{i}.SendOnBoardRequest()"
                + "  command"));
    }

    @Test
    void protoPrintsTheAgentsVersions() {
        Run r = run("proto");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.lines()).hasSize(1);
        assertThat(r.lines().get(0).split(",")).contains("1.4");
    }

    @Test
    void operateRunsACommandAndReportsItsFailure() {
        Run ok = run("operate", "Device.LocalAgent.Controller.1.SendOnBoardRequest()");
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.lines()).containsExactly("Device.LocalAgent.Controller.1.SendOnBoardRequest(): done");

        // ScheduleTimer() has a mandatory DelaySeconds.
        Run missing = run("operate", "Device.ScheduleTimer()");
        assertThat(missing.status()).isEqualTo(UspCtl.AGENT_ERROR);
        assertThat(missing.err()).contains("Device.ScheduleTimer(): error 7027");
    }

    @Test
    void anAsynchronousCommandNamesItsRequestRowWhichCanBeCancelled() {
        Run timer = run("operate", "--key", "cli-timer", "Device.ScheduleTimer()", "DelaySeconds=3600");
        assertThat(timer.status()).as(timer.err()).isZero();
        assertThat(timer.lines()).hasSize(1);
        String line = timer.lines().get(0);
        assertThat(line).matches("Device\\.ScheduleTimer\\(\\): running as Device\\.LocalAgent\\.Request\\.\\d+\\. .*");
        String request = line.substring(line.indexOf("Device.LocalAgent.Request."), line.indexOf(". (") + 1);
        assertThat(run("get", request + "CommandKey").lines()).containsExactly(request + "CommandKey = cli-timer");

        Run cancel = run("operate", request + "Cancel()");
        assertThat(cancel.status()).as(cancel.err()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> run("get", request).status() == UspCtl.AGENT_ERROR);
    }

    @Test
    void subscribeCreatesASubscriptionOfThisControllerAndRemovesItWhenStopped() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        UspCtl ctl = ctl(out, err);
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> ctl.run(withConnection(
                "subscribe", "--id", "cli-test", "ValueChange", "Device.LocalAgent.Controller.1.ProvisioningCode")));
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriptionRows("cli-test").size() == 1);
        String row = subscriptionRows("cli-test").get(0);
        assertThat(agent.onLoop(() -> agent.runtime().model().value(row + "Recipient")))
                .isEqualTo("Device.LocalAgent.Controller.1");
        assertThat(agent.onLoop(() -> agent.runtime().model().value(row + "NotifType"))).isEqualTo("ValueChange");

        ctl.stop();   // what Ctrl-C does
        assertThat(status.get()).isZero();
        assertThat(subscriptionRows("cli-test")).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("subscribed: Device.LocalAgent.Subscription.")
                .contains("unsubscribed: Device.LocalAgent.Subscription.");
    }

    @Test
    void subscribePrintsEachNotificationAsItArrives() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        UspCtl ctl = ctl(out, err);
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> ctl.run(withConnection(
                "subscribe", "--id", "cli-watch", "--count", "2", "ValueChange",
                "Device.LocalAgent.Controller.1.PeriodicNotifInterval")));
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriptionRows("cli-watch").size() == 1);

        assertThat(run("set", "Device.LocalAgent.Controller.1.PeriodicNotifInterval=123").status()).isZero();
        // The first notification is printed while the tool is still running, not when it ends.
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString(StandardCharsets.UTF_8).contains(
                "ValueChange Device.LocalAgent.Controller.1.PeriodicNotifInterval = 123"));
        assertThat(status).isNotDone();

        assertThat(run("set", "Device.LocalAgent.Controller.1.PeriodicNotifInterval=124").status()).isZero();
        assertThat(status.get()).isZero();   // --count 2 reached
        assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).hasSize(2).allMatch(l -> l.matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ValueChange Device\\.LocalAgent\\.Controller\\.1\\."
                        + "PeriodicNotifInterval = 12[34]"));
        assertThat(subscriptionRows("cli-watch")).isEmpty();
    }

    @Test
    void aSubscriptionTheAgentRefusesIsReported() {
        Run r = run("subscribe", "ValueChange", "Not.A.Path");
        assertThat(r.status()).isEqualTo(UspCtl.AGENT_ERROR);
        assertThat(r.err()).contains("the agent refused the subscription").contains("error 70");
    }

    @Test
    void loadPipelinesGetsAndReportsRateLatencyAndTheAgentsMemory() {
        // This JVM runs the agent: its own VmRSS and CPU time stand in for the agent's.
        long pid = ProcessHandle.current().pid();
        Run r = run("load", "--requests", "300", "--warmup", "30", "--window", "8", "--pid", Long.toString(pid),
                "Device.DeviceInfo.", "Device.LocalAgent.");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.lines()).hasSize(2);
        String number = "\\d+(\\.\\d+)?";
        assertThat(r.lines().get(0)).matches("Get Device\\.DeviceInfo\\.: 300 requests, 8 in flight, QoS 1: \\d+ Get/s; "
                + "latency p50 " + number + " ms, p99 " + number + " ms, max " + number + " ms; 0 errors; agent RSS "
                + "before " + number + " MiB, peak under load " + number + " MiB; CPU per Get: client \\d+ µs, "
                + "agent \\d+ µs");
        assertThat(r.lines().get(1)).startsWith("Get Device.LocalAgent.: 300 requests").contains("; 0 errors;");
    }

    @Test
    void loadOfAPathTheAgentRefusesStopsAtTheFirstAnswer() {
        Run r = run("load", "--requests", "100", "Device.NoSuchThing.");
        assertThat(r.status()).isEqualTo(UspCtl.AGENT_ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("error 7026");
    }

    @Test
    void noBrokerMeansExitStatusThreeWithTheReason() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ctl(out, err).run(new String[] {"--broker", "tcp://127.0.0.1:" + closedPort, "--timeout", "5",
                "get", "Device."});
        assertThat(status).isEqualTo(UspCtl.UNREACHABLE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("usp-ctl: cannot use the broker at tcp://127.0.0.1:" + closedPort + ": ");
    }

    @Test
    void anAgentThatDoesNotAnswerMeansExitStatusThreeWithHints() {
        // The agent drops Records addressed to another endpoint: no answer comes.
        Run r = run("--agent-id", "proto::nobody-here", "--agent-topic", "usp/agent/" + TestAgent.AGENT_ID,
                "--timeout", "1", "get", "Device.DeviceInfo.");
        assertThat(r.status()).isEqualTo(UspCtl.UNREACHABLE);
        assertThat(r.err()).startsWith("usp-ctl: no answer from proto::nobody-here on topic usp/agent/"
                + TestAgent.AGENT_ID + " within 1 s");
    }

    private static List<String> subscriptionRows(String id) throws Exception {
        return agent.onLoop(() -> agent.runtime().model().findTable("Device.LocalAgent.Subscription.").rows()
                .stream().filter(r -> id.equals(r.value("ID"))).map(r -> r.path()).toList());
    }
}
