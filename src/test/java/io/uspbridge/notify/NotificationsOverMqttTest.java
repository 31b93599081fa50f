package io.uspbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.agent.AgentModule;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Notify;
import io.uspbridge.proto.UspMsg.OperateResp.OperationResult;
import io.uspbridge.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over a real MQTT 5 broker (embedded HiveMQ): the agent as the application runs it ({@link TestAgent}:
 * AgentRuntime with the standard modules, MQTT MTP included) and a USP controller ({@link UspController}) that
 * creates its subscriptions with Add and changes the model with Set, Delete and Operate. Each notification type,
 * NotifRetry while the controller does not answer and while the broker is down, restarts, TimeToLive, permissions
 * and each Operate path.
 */
class NotificationsOverMqttTest {
    static final String C1 = "Device.LocalAgent.Controller.1.";
    static final String LIMITED = "proto::limited-controller";
    static final Duration WAIT = Duration.ofSeconds(20);

    static EmbeddedBroker broker;

    @TempDir
    Path dir;
    TestAgent agent;
    UspController ctl;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.startDefault();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, String> props = TestAgent.defaults(broker.port(), dir);
        props.put("uspbridge.controllers.x-limited.endpoint-id", LIMITED);
        props.put("uspbridge.controllers.x-limited.mqtt-topic", "usp/controller/" + LIMITED);
        agent = TestAgent.start(props);
        // The second controller connects only in the permission test: onboarded already, so that no OnBoardRequest
        // to it stays pending (they are retried until answered, R-NOT.6).
        agent.onLoop(() -> {
            var m = agent.runtime().model();
            m.set(m.find("Device.LocalAgent.Controller.2."), "OnBoardingComplete", "true");
            return null;
        });
        awaitLinkUp();
        ctl = new UspController(agent.controller(broker.port()));
    }

    @AfterEach
    void stop() {
        if (ctl != null) {
            ctl.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    void awaitLinkUp() {
        agent.awaitMtpUp(WAIT);
    }

    NotificationService service() {
        for (AgentModule m : agent.runtime().modules()) {
            if (m instanceof NotificationModule n) {
                return n.service();
            }
        }
        throw new AssertionError("no notification module running");
    }

    int pending() throws Exception {
        return agent.onLoop(() -> service().pendingNotifies());
    }

    void fastRetries() throws Exception {
        ctl.setOk(C1 + "USPNotifRetryMinimumWaitInterval", "1");
        ctl.setOk(C1 + "USPNotifRetryIntervalMultiplier", "1000");
    }

    static OperationResult only(UspMsg.Msg resp) {
        assertThat(resp.getBody().getResponse().hasOperateResp()).as("OperateResp: " + resp).isTrue();
        return resp.getBody().getResponse().getOperateResp().getOperationResults(0);
    }

    // ---- each notification type ---------------------------------------------------------------------------------

    @Test
    void valueChange() throws Exception {
        ctl.subscribe("vc", "ValueChange", C1 + "ProvisioningCode");
        ctl.setOk(C1 + "ProvisioningCode", "over-mqtt");
        await().atMost(WAIT).until(() -> ctl.forSubscription("vc").size() == 1);
        Notify n = ctl.forSubscription("vc").get(0).getBody().getRequest().getNotify();
        assertThat(n.getValueChange().getParamPath()).isEqualTo(C1 + "ProvisioningCode");
        assertThat(n.getValueChange().getParamValue()).isEqualTo("over-mqtt");
    }

    @Test
    void objectCreationAndDeletion() throws Exception {
        ctl.subscribe("created", "ObjectCreation", C1 + "BootParameter.");
        ctl.subscribe("deleted", "ObjectDeletion", C1 + "BootParameter.*.");
        String row = ctl.add(C1 + "BootParameter.", "Enable", "true", "ParameterName", "Device.DeviceInfo.");
        await().atMost(WAIT).until(() -> ctl.forSubscription("created").size() == 1);
        Notify.ObjectCreation oc = ctl.forSubscription("created").get(0).getBody().getRequest().getNotify()
                .getObjCreation();
        assertThat(oc.getObjPath()).isEqualTo(row);
        assertThat(oc.getUniqueKeysMap()).containsEntry("ParameterName", "Device.DeviceInfo.").containsKey("Alias");
        ctl.delete(row);
        await().atMost(WAIT).until(() -> ctl.forSubscription("deleted").size() == 1);
        assertThat(ctl.forSubscription("deleted").get(0).getBody().getRequest().getNotify().getObjDeletion()
                .getObjPath()).isEqualTo(row);
    }

    @Test
    void eventPeriodic() throws Exception {
        ctl.setOk(C1 + "PeriodicNotifInterval", "1");
        ctl.subscribe("periodic", "Event", "Device.LocalAgent.Periodic!");
        await().atMost(WAIT).until(() -> ctl.forSubscription("periodic").size() >= 2);
        Notify.Event e = ctl.forSubscription("periodic").get(0).getBody().getRequest().getNotify().getEvent();
        assertThat(e.getObjPath()).isEqualTo("Device.LocalAgent.");
        assertThat(e.getEventName()).isEqualTo("Periodic!");
    }

    @Test
    void onBoardRequest() throws Exception {
        await().atMost(WAIT).until(() -> pending() == 0);   // the start-up OnBoardRequest was answered
        int before = ctl.onBoardRequests().size();
        OperationResult r = only(ctl.operate(C1 + "SendOnBoardRequest()", "", true, Map.of()));
        assertThat(r.hasReqOutputArgs()).isTrue();
        await().atMost(WAIT).until(() -> ctl.onBoardRequests().size() > before);
        Notify n = ctl.onBoardRequests().get(ctl.onBoardRequests().size() - 1);
        assertThat(n.getSubscriptionId()).isEmpty();
        assertThat(n.getSendResp()).isTrue();
        assertThat(n.getOnBoardReq().getProductClass()).isEqualTo("IoTHub");
        await().atMost(WAIT).until(() -> pending() == 0);
    }

    @Test
    void bootAfterRebootWithTheControllersParameterMap() throws Exception {
        ctl.subscribe("boot", "Event", "Device.Boot!", "Persistent", "true");
        ctl.add(C1 + "BootParameter.", "Enable", "true", "ParameterName", "Device.LocalAgent.EndpointID");
        OperationResult r = only(ctl.operate("Device.Reboot()", "reboot-over-mqtt", true, Map.of()));
        assertThat(r.getExecutedCommand()).isEqualTo("Device.Reboot()");
        await().atMost(WAIT).until(() -> ctl.forSubscription("boot").size() == 1);
        Notify.Event boot = ctl.forSubscription("boot").get(0).getBody().getRequest().getNotify().getEvent();
        assertThat(boot.getParamsMap()).containsEntry("Cause", "RemoteReboot")
                .containsEntry("CommandKey", "reboot-over-mqtt")
                .containsEntry("ParameterMap", "{\"Device.LocalAgent.EndpointID\":\"" + TestAgent.AGENT_ID + "\"}");
    }

    // ---- Operate --------------------------------------------------------------------------------------------------

    @Test
    void operateAsyncWithRequestRowOperationCompleteAndCancel() throws Exception {
        ctl.subscribe("done", "OperationComplete", "Device.ScheduleTimer()");
        OperationResult quick = only(ctl.operate("Device.ScheduleTimer()", "quick", true,
                Map.of("DelaySeconds", "1")));
        assertThat(quick.getReqObjPath()).startsWith("Device.LocalAgent.Request.");
        OperationResult slow = only(ctl.operate("Device.ScheduleTimer()", "slow", true,
                Map.of("DelaySeconds", "3600")));
        Map<String, String> row = ctl.get(slow.getReqObjPath());
        assertThat(row).containsEntry(slow.getReqObjPath() + "CommandKey", "slow")
                .containsEntry(slow.getReqObjPath() + "Originator", TestAgent.CONTROLLER_ID);
        OperationResult cancel = only(ctl.operate(slow.getReqObjPath() + "Cancel()", "", true, Map.of()));
        assertThat(cancel.hasReqOutputArgs()).isTrue();
        await().atMost(WAIT).until(() -> ctl.forSubscription("done").size() == 2);
        Map<String, Notify.OperationComplete> byKey = new java.util.HashMap<>();
        for (UspMsg.Msg m : ctl.forSubscription("done")) {
            Notify.OperationComplete oc = m.getBody().getRequest().getNotify().getOperComplete();
            byKey.put(oc.getCommandKey(), oc);
        }
        assertThat(byKey.get("quick").hasReqOutputArgs()).isTrue();
        assertThat(byKey.get("slow").getCmdFailure().getErrCode()).isEqualTo(7023);
        await().atMost(WAIT).until(() -> ctl.get("Device.LocalAgent.RequestNumberOfEntries")
                .get("Device.LocalAgent.RequestNumberOfEntries").equals("0"));
    }

    @Test
    void operateSyncAndFailures() throws Exception {
        assertThat(only(ctl.operate(C1 + "SendOnBoardRequest()", "", true, Map.of())).hasReqOutputArgs()).isTrue();
        assertThat(only(ctl.operate("Device.ScheduleTimer()", "", true, Map.of())).getCmdFailure().getErrCode())
                .as("missing mandatory DelaySeconds").isEqualTo(7027);
        assertThat(ctl.operate("Device.LocalAgent.", "", true, Map.of()).getBody().getError().getErrCode())
                .isEqualTo(7026);
        // send_resp=false: no answer comes; the controller's request times out, the command still runs.
        ctl.subscribe("done", "OperationComplete", "Device.ScheduleTimer()");
        ctl.client.sendOneWay(UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId("quiet-1").setMsgType(UspMsg.Header.MsgType.OPERATE))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder().setOperate(
                        UspMsg.Operate.newBuilder().setCommand("Device.ScheduleTimer()").setCommandKey("quiet")
                                .setSendResp(false).putInputArgs("DelaySeconds", "1")))).build());
        await().atMost(WAIT).until(() -> ctl.forSubscription("done").size() == 1);
    }

    // ---- permissions (TP-469 2.18–2.20) --------------------------------------------------------------------------

    @Test
    void notificationsAndOperateFollowTheRecipientsPermissions() throws Exception {
        // A role that may read everything but not be notified about ProvisioningCode nor run ScheduleTimer().
        String role = ctl.add("Device.LocalAgent.ControllerTrust.Role.", "Enable", "true", "Name", "limited");
        ctl.add(role + "Permission.", "Enable", "true", "Order", "1", "Targets", "Device.", "Param", "rwxn",
                "Obj", "rwxn", "InstantiatedObj", "rwxn", "CommandEvent", "rwxn");
        ctl.add(role + "Permission.", "Enable", "true", "Order", "2",
                "Targets", "Device.LocalAgent.Controller.*.ProvisioningCode,Device.ScheduleTimer()",
                "Param", "rw--", "CommandEvent", "r---");
        String limitedRow = "Device.LocalAgent.Controller.2.";
        assertThat(ctl.get(limitedRow + "EndpointID")).containsValue(LIMITED);
        ctl.setOk(limitedRow + "AssignedRole", role.substring(0, role.length() - 1));
        try (UspController limited = new UspController(agent.controller(broker.port(), LIMITED))) {
            limited.subscribe("denied", "ValueChange", C1 + "ProvisioningCode");
            limited.subscribe("allowed", "ValueChange", C1 + "ControllerCode");
            ctl.setOk(C1 + "ProvisioningCode", "secret");
            ctl.setOk(C1 + "ControllerCode", "public");
            await().atMost(WAIT).until(() -> limited.forSubscription("allowed").size() == 1);
            assertThat(limited.forSubscription("denied")).isEmpty();
            OperationResult op = only(limited.operate("Device.ScheduleTimer()", "k", true,
                    Map.of("DelaySeconds", "1")));
            assertThat(op.getCmdFailure().getErrCode()).isEqualTo(7006);
        }
    }

    // ---- delivery ----------------------------------------------------------------------------------------------

    @Test
    void retriesWhileTheControllerDoesNotAnswer() throws Exception {
        fastRetries();
        ctl.client.answerNotifies(false);
        ctl.subscribe("retry", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true");
        ctl.setOk(C1 + "ProvisioningCode", "unanswered");
        await().atMost(WAIT).until(() -> ctl.forSubscription("retry").size() >= 3);
        assertThat(new HashSet<>(ctl.forSubscription("retry").stream().map(m -> m.getHeader().getMsgId()).toList()))
                .hasSize(1);
        ctl.client.answerNotifies(true);
        await().atMost(WAIT).until(() -> pending() == 0);
    }

    @Test
    void nothingIsLostWhileTheBrokerIsDown() throws Exception {
        fastRetries();
        ctl.subscribe("kept", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true");
        broker.stop();
        try {
            await().atMost(WAIT).until(() -> !"Up".equals(agent.mtpStatus()));
            for (int i = 1; i <= 3; i++) {
                String v = "during-outage-" + i;
                agent.onLoop(() -> {
                    var m = agent.runtime().model();
                    m.set(m.find(C1), "ProvisioningCode", v);
                    return null;
                });
            }
        } finally {
            broker.start();
        }
        awaitLinkUp();
        await().atMost(WAIT).until(() -> ctl.distinct("kept").size() == 3 && pending() == 0);
        assertThat(ctl.distinct("kept")).extracting(n -> n.getValueChange().getParamValue())
                .containsExactly("during-outage-1", "during-outage-2", "during-outage-3");
    }

    // ---- restarts and TimeToLive ------------------------------------------------------------------------------

    @Test
    void persistentAndNonPersistentSubscriptionsAcrossARestart() throws Exception {
        String kept = ctl.subscribe("kept", "ValueChange", C1 + "ProvisioningCode", "Persistent", "true");
        String gone = ctl.subscribe("gone", "ValueChange", C1 + "ProvisioningCode");
        agent.restartProcess();
        awaitLinkUp();
        Map<String, String> ids = ctl.get("Device.LocalAgent.Subscription.*.ID");
        assertThat(ids).containsEntry(kept + "ID", "kept").doesNotContainKey(gone + "ID");
        ctl.setOk(C1 + "ProvisioningCode", "after-restart");
        await().atMost(WAIT).until(() -> ctl.forSubscription("kept").size() == 1);
        assertThat(ctl.forSubscription("gone")).isEmpty();
    }

    @Test
    void timeToLiveExpiry() throws Exception {
        ctl.subscribe("deletions", "ObjectDeletion", "Device.LocalAgent.Subscription.");
        String brief = ctl.subscribe("brief", "ValueChange", C1 + "ProvisioningCode", "TimeToLive", "1");
        await().atMost(WAIT).until(() -> ctl.forSubscription("deletions").size() == 1);
        assertThat(ctl.forSubscription("deletions").get(0).getBody().getRequest().getNotify().getObjDeletion()
                .getObjPath()).isEqualTo(brief);
        List<String> left = List.copyOf(ctl.get("Device.LocalAgent.Subscription.*.ID").values());
        assertThat(left).containsExactly("deletions");
    }
}
