package io.uspbridge.notify;

import static io.uspbridge.notify.AgentUnderTest.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.model.CommandDef;
import io.uspbridge.model.CommandHandler;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ObjectOwner;
import io.uspbridge.model.ParamDef;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspMsg.Notify;
import io.uspbridge.proto.UspMsg.OperateResp.OperationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operate over Records on a whole agent in this JVM: synchronous and asynchronous commands, the Request table,
 * Cancel(), OperationComplete, failures and permissions (TP-469 1.61–1.65, 1.79, 1.91, 1.100, 2.17, 2.18, 9.11).
 */
class OperateTest {
    static final String CTL = "proto::ctl";
    static final String C1 = "Device.LocalAgent.Controller.1.";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    AgentUnderTest agent;

    @BeforeEach
    void start() throws Exception {
        agent = AgentUnderTest.start(dir, AgentUnderTest.fastSettings());
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    static OperationResult only(UspMsg.Msg resp) {
        assertThat(resp.getBody().getResponse().hasOperateResp()).as("an OperateResp: " + resp).isTrue();
        List<OperationResult> r = resp.getBody().getResponse().getOperateResp().getOperationResultsList();
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    static int errorCode(UspMsg.Msg resp) {
        assertThat(resp.getBody().hasError()).as("an Error: " + resp).isTrue();
        return resp.getBody().getError().getErrCode();
    }

    // ---- asynchronous: ScheduleTimer() and the Request table ------------------------------------------------------

    @Test
    void tp469_1_79_and_9_11_scheduleTimerRunsBehindARequestRowAndReportsOperationComplete() throws Exception {
        agent.subscribe(CTL, sub("done", "OperationComplete", "Device.ScheduleTimer()"));
        agent.subscribe(CTL, sub("rows", "ObjectCreation", "Device.LocalAgent.Request."));
        OperationResult r = only(agent.ctl().operate("Device.ScheduleTimer()", "timer-1", true,
                Map.of("DelaySeconds", "1")));
        assertThat(r.getExecutedCommand()).isEqualTo("Device.ScheduleTimer()");
        String row = r.getReqObjPath();
        assertThat(row).startsWith("Device.LocalAgent.Request.");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("rows").size() == 1);
        assertThat(agent.ctl().forSubscription("rows").get(0).getObjCreation().getUniqueKeysMap())
                .containsEntry("Originator", CTL).containsEntry("Command", "Device.ScheduleTimer()")
                .containsEntry("CommandKey", "timer-1");

        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("done").size() == 1);
        Notify.OperationComplete oc = agent.ctl().forSubscription("done").get(0).getOperComplete();
        assertThat(oc.getObjPath()).isEqualTo("Device.");
        assertThat(oc.getCommandName()).isEqualTo("ScheduleTimer()");
        assertThat(oc.getCommandKey()).isEqualTo("timer-1");
        assertThat(oc.hasReqOutputArgs()).isTrue();
        await().atMost(WAIT).until(() -> agent.call(() -> agent.runtime().model().find(row)) == null);
    }

    @Test
    void theRequestRowShowsTheRunningCommand() throws Exception {
        String row = only(agent.ctl().operate("Device.ScheduleTimer()", "long", true,
                Map.of("DelaySeconds", "3600"))).getReqObjPath();
        await().atMost(WAIT).until(() -> "Active".equals(agent.value(row + "Status")));
        assertThat(agent.value(row + "Originator")).isEqualTo(CTL);
        assertThat(agent.value(row + "Command")).isEqualTo("Device.ScheduleTimer()");
        assertThat(agent.value(row + "CommandKey")).isEqualTo("long");
        assertThat(agent.service().runningRequests()).isEqualTo(1);
    }

    @Test
    void tp469_1_65_sendRespFalseAnswersNothingButStillReportsCompletion() throws Exception {
        agent.subscribe(CTL, sub("done", "OperationComplete", "Device."));
        CompletableFuture<UspMsg.Msg> silent = agent.ctl().request(MsgType.OPERATE, UspMsg.Request.newBuilder()
                .setOperate(UspMsg.Operate.newBuilder().setCommand("Device.ScheduleTimer()").setCommandKey("quiet")
                        .setSendResp(false).putInputArgs("DelaySeconds", "1")).build());
        // A later request's answer proves the first one was processed (requests are handled in order).
        only(agent.ctl().operate("Device.LocalAgent.Controller.1.SendOnBoardRequest()", "", true, Map.of()));
        assertThat(silent).isNotDone();
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("done").size() == 1);
        assertThat(agent.ctl().forSubscription("done").get(0).getOperComplete().getCommandKey()).isEqualTo("quiet");
        assertThat(silent).isNotDone();
    }

    @Test
    void tp469_1_100_missingMandatoryArgumentIsCmdFailure7027AndNothingRuns() throws Exception {
        agent.subscribe(CTL, sub("rows", "ObjectCreation", "Device.LocalAgent.Request."));
        OperationResult r = only(agent.ctl().operate("Device.ScheduleTimer()", "k", true, Map.of()));
        assertThat(r.getCmdFailure().getErrCode()).isEqualTo(7027);
        OperationResult bad = only(agent.ctl().operate("Device.ScheduleTimer()", "k", true,
                Map.of("DelaySeconds", "0")));
        assertThat(bad.getCmdFailure().getErrCode()).as("below the range [1:]").isEqualTo(7027);
        assertThat(agent.service().runningRequests()).isZero();
        assertThat(agent.value("Device.LocalAgent.RequestNumberOfEntries")).isEqualTo("0");
        assertThat(agent.ctl().forSubscription("rows")).isEmpty();
    }

    @Test
    void tp469_1_91_unknownInputArgumentsAreIgnored() throws Exception {
        OperationResult r = only(agent.ctl().operate("Device.ScheduleTimer()", "k", true,
                Map.of("DelaySeconds", "3600", "NoSuchArgument", "x")));
        assertThat(r.getReqObjPath()).startsWith("Device.LocalAgent.Request.");
    }

    @Test
    void cancelEndsTheCommandWith7023AndRemovesRowAndStoredTimer() throws Exception {
        agent.subscribe(CTL, sub("done", "OperationComplete", "Device.ScheduleTimer()"));
        String row = only(agent.ctl().operate("Device.ScheduleTimer()", "to-cancel", true,
                Map.of("DelaySeconds", "3600"))).getReqObjPath();
        await().atMost(WAIT).until(() -> "Active".equals(agent.value(row + "Status")));
        assertThat(storedTimers()).hasSize(1);
        OperationResult c = only(agent.ctl().operate(row + "Cancel()", "", true, Map.of()));
        assertThat(c.hasReqOutputArgs()).as("Cancel() returns at once: " + c).isTrue();
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("done").size() == 1);
        Notify.OperationComplete oc = agent.ctl().forSubscription("done").get(0).getOperComplete();
        assertThat(oc.getCmdFailure().getErrCode()).isEqualTo(7023);
        assertThat(oc.getCommandKey()).isEqualTo("to-cancel");
        await().atMost(WAIT).until(() -> agent.call(() -> agent.runtime().model().find(row)) == null);
        await().atMost(WAIT).until(() -> storedTimers().isEmpty());
    }

    private Map<String, String> storedTimers() {
        return agent.call(() -> agent.runtime().store().entries(ScheduleTimers.NAMESPACE));
    }

    @Test
    void theSameCommandKeyTwiceWhileRunningIsRefusedWith7005() throws Exception {
        only(agent.ctl().operate("Device.ScheduleTimer()", "same", true, Map.of("DelaySeconds", "3600")));
        OperationResult second = only(agent.ctl().operate("Device.ScheduleTimer()", "same", true,
                Map.of("DelaySeconds", "3600")));
        assertThat(second.getCmdFailure().getErrCode()).isEqualTo(7005);
        OperationResult third = only(agent.ctl().operate("Device.ScheduleTimer()", "another", true,
                Map.of("DelaySeconds", "3600")));
        assertThat(third.getReqObjPath()).as("other keys run in parallel").isNotEmpty();
        assertThat(agent.service().runningRequests()).isEqualTo(2);
    }

    @Test
    void aScheduledTimerSurvivesARestartAndCompletesAfterIt() throws Exception {
        agent.subscribe(CTL, sub("done", "OperationComplete", "Device.ScheduleTimer()", "Persistent", "true"));
        only(agent.ctl().operate("Device.ScheduleTimer()", "across", true, Map.of("DelaySeconds", "2")));
        agent.restart();
        // The row is re-created (with the next instance number: numbers are never reused, ARC-5).
        List<String> rows = agent.call(() -> agent.runtime().model().findTable("Device.LocalAgent.Request.").rows()
                .stream().map(r -> r.value("CommandKey") + "/" + r.value("Status")).toList());
        assertThat(rows).containsExactly("across/Active");
        agent.linkUp();
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("done").size() == 1);
        assertThat(agent.ctl().forSubscription("done").get(0).getOperComplete().getCommandKey())
                .isEqualTo("across");
        await().atMost(WAIT).until(() -> storedTimers().isEmpty());
    }

    // ---- synchronous -----------------------------------------------------------------------------------------

    @Test
    void tp469_1_60_and_1_101_sendOnBoardRequest() throws Exception {
        agent.set(C1 + "OnBoardingComplete", "true");
        int before = agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ).size();
        OperationResult r = only(agent.ctl().operate(C1 + "SendOnBoardRequest()", "", true, Map.of()));
        assertThat(r.getExecutedCommand()).isEqualTo(C1 + "SendOnBoardRequest()");
        assertThat(r.hasReqOutputArgs()).isTrue();
        assertThat(agent.value(C1 + "OnBoardingComplete")).isEqualTo("false");
        await().atMost(WAIT).until(() -> agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ).size() > before);
        List<Notify> all = agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ);
        Notify n = all.get(all.size() - 1);
        assertThat(n.getSubscriptionId()).isEmpty();
        assertThat(n.getSendResp()).isTrue();
        assertThat(n.getOnBoardReq().getOui()).isEqualTo("00D09E");
        assertThat(n.getOnBoardReq().getProductClass()).isEqualTo("IoTHub");
        assertThat(n.getOnBoardReq().getSerialNumber()).isEqualTo("SN-0001");
        assertThat(n.getOnBoardReq().getAgentSupportedProtocolVersions()).isEqualTo(NotifySettings.USP_VERSIONS);
    }

    @Test
    void aSearchPathRunsTheCommandOnEveryMatchAndAnEmptySearchIsAnEmptySuccess() throws Exception {
        UspMsg.Msg both = agent.ctl().operate("Device.LocalAgent.Controller.*.SendOnBoardRequest()", "", true,
                Map.of());
        assertThat(both.getBody().getResponse().getOperateResp().getOperationResultsList())
                .extracting(OperationResult::getExecutedCommand)
                .containsExactly(C1 + "SendOnBoardRequest()", "Device.LocalAgent.Controller.2.SendOnBoardRequest()");
        UspMsg.Msg none = agent.ctl().operate(
                "Device.LocalAgent.Controller.[EndpointID==\"nobody\"].SendOnBoardRequest()", "", true, Map.of());
        assertThat(none.getBody().getResponse().getOperateResp().getOperationResultsList()).isEmpty();
    }

    @Test
    void aCommandWithoutImplementationFailsWith7022() throws Exception {
        OperationResult r = only(agent.ctl().operate(C1 + "E2ESession.Reset()", "", true, Map.of()));
        assertThat(r.getCmdFailure().getErrCode()).isEqualTo(7022);
    }

    @Test
    void messagesThatCannotBeProcessedAreErrors() throws Exception {
        assertThat(errorCode(agent.ctl().operate("Device.LocalAgent.", "", true, Map.of()))).isEqualTo(7026);
        assertThat(errorCode(agent.ctl().operate("Device.NoSuchCommand()", "", true, Map.of()))).isEqualTo(7026);
        assertThat(errorCode(agent.ctl().operate("Device.LocalAgent.Controller.9.SendOnBoardRequest()", "", true,
                Map.of()))).isEqualTo(7016);
        assertThat(errorCode(agent.ctl().operate("Device..Reboot()", "", true, Map.of()))).isEqualTo(7008);
        assertThat(errorCode(agent.ctl().operate("Device.LocalAgent.Request.5.Cancel()", "", true, Map.of())))
                .isEqualTo(7016);
    }

    // ---- permissions (TP-469 2.17, 2.18) --------------------------------------------------------------------------

    @Test
    void tp469_2_17_2_18_operateNeedsExecutePermissionAndFailsInCmdFailure() throws Exception {
        agent.run(m -> m.update(tx -> {
            ObjectNode role = tx.addRow(m.findTable("Device.LocalAgent.ControllerTrust.Role."), 0);
            tx.set(role, "Name", "no-timer");
            tx.set(role, "Enable", "true");
            ObjectNode all = tx.addRow(role.table("Permission"), 0);
            for (String[] kv : new String[][] {{"Enable", "true"}, {"Order", "1"}, {"Targets", "Device."},
                    {"Param", "rwxn"}, {"Obj", "rwxn"}, {"InstantiatedObj", "rwxn"}, {"CommandEvent", "rwxn"}}) {
                tx.set(all, kv[0], kv[1]);
            }
            ObjectNode deny = tx.addRow(role.table("Permission"), 0);
            for (String[] kv : new String[][] {{"Enable", "true"}, {"Order", "2"},
                    {"Targets", "Device.ScheduleTimer()"}, {"CommandEvent", "r---"}}) {
                tx.set(deny, kv[0], kv[1]);
            }
            tx.set(m.find("Device.LocalAgent.Controller.2."), "AssignedRole", role.referencePath());
        }));
        OperationResult denied = only(agent.other().operate("Device.ScheduleTimer()", "k", true,
                Map.of("DelaySeconds", "1")));
        assertThat(denied.getCmdFailure().getErrCode()).isEqualTo(7006);
        OperationResult allowed = only(agent.other().operate("Device.LocalAgent.Controller.2.SendOnBoardRequest()",
                "", true, Map.of()));
        assertThat(allowed.hasReqOutputArgs()).isTrue();
        assertThat(agent.service().runningRequests()).isZero();
    }

    // ---- commands of proxied devices go through their owner -------------------------------------------------------

    @Test
    void aDeviceCommandRunsThroughItsOwnerAndItsFailureBecomesTheCompletion() throws Exception {
        CompletableFuture<Map<String, String>> device = new CompletableFuture<>();
        String binary = agent.call(() -> {
            var m = agent.runtime().model();
            ObjectNode cap = m.addRow(m.root(), "IoTCapability", Map.of("Class", "BinaryControl"));
            ObjectNode bc = cap.child("BinaryControl");
            m.setOwner(bc, new ObjectOwner() {
                @Override
                public CompletionStage<Void> write(ObjectNode node, Map<ParamDef, String> values) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CommandHandler commandHandler(ObjectNode node, CommandDef command) {
                    return call -> device;          // completes when the "device" answers
                }
            });
            return bc.path();
        });
        agent.subscribe(CTL, sub("done", "OperationComplete", binary + "Toggle()"));
        OperationResult r = only(agent.ctl().operate(binary + "Toggle()", "t", true, Map.of()));
        assertThat(r.getReqObjPath()).startsWith("Device.LocalAgent.Request.");
        // The device answers on a thread of its own, with a data-model code a cmd_failure cannot carry.
        CompletableFuture.runAsync(() -> device.completeExceptionally(
                new ModelException(ErrorCode.INVALID_VALUE, "the device refused")));
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("done").size() == 1);
        Notify.OperationComplete oc = agent.ctl().forSubscription("done").get(0).getOperComplete();
        assertThat(oc.getObjPath()).isEqualTo(binary);
        assertThat(oc.getCommandName()).isEqualTo("Toggle()");
        assertThat(oc.getCmdFailure().getErrCode()).isEqualTo(7022);
        assertThat(oc.getCmdFailure().getErrMsg()).contains("the device refused");
    }

    @Test
    void tp469_1_61_rebootAnswersThenRestartsAndBootCarriesCauseAndCommandKey() throws Exception {
        agent.subscribe(CTL, sub("boot", "Event", "Device.Boot!", "Persistent", "true"));
        agent.run(m -> m.addRow(m.find(C1), "BootParameter",
                Map.of("Enable", "true", "ParameterName", "Device.DeviceInfo.SerialNumber")));
        agent.run(m -> m.addRow(m.find(C1), "BootParameter",
                Map.of("Enable", "false", "ParameterName", "Device.DeviceInfo.ProductClass")));
        OperationResult r = only(agent.ctl().operate("Device.Reboot()", "reboot-1", true, Map.of()));
        assertThat(r.getExecutedCommand()).isEqualTo("Device.Reboot()");
        assertThat(r.getReqOutputArgs().getOutputArgsMap()).isEmpty();
        agent.awaitRestart();
        agent.linkUp();
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("boot").size() == 1);
        Notify.Event boot = agent.ctl().forSubscription("boot").get(0).getEvent();
        assertThat(boot.getObjPath()).isEqualTo("Device.");
        assertThat(boot.getEventName()).isEqualTo("Boot!");
        assertThat(boot.getParamsMap()).containsEntry("Cause", "RemoteReboot").containsEntry("CommandKey", "reboot-1")
                .containsEntry("Reason", "Unknown").containsEntry("FirmwareUpdated", "false")
                .containsEntry("ParameterMap", "{\"Device.DeviceInfo.SerialNumber\":\"SN-0001\"}");
    }

    @Test
    void factoryResetRestartsFromTheConfiguration() throws Exception {
        String s = agent.subscribe(CTL, sub("p", "ValueChange", C1 + "ProvisioningCode", "Persistent", "true"));
        OperationResult r = only(agent.ctl().operate("Device.FactoryReset()", "reset-1", true, Map.of()));
        assertThat(r.hasReqOutputArgs()).isTrue();
        agent.awaitRestart();
        assertThat(agent.restarts).extracting(c -> c.cause()).containsExactly("RemoteFactoryReset");
        assertThat(agent.call(() -> agent.runtime().model().find(s))).as("the store was emptied").isNull();
        assertThat(agent.value("Device.LocalAgent.ControllerNumberOfEntries")).as("seeded again").isEqualTo("2");
    }
}
