package io.uspbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running agent against a real MQTT 5 broker (HiveMQ CE, in-process) and a controller that exchanges real
 * Records: issue 4's end-to-end behaviour.
 */
class AgentOverMqttTest {
    static EmbeddedBroker broker;

    @TempDir
    Path state;

    TestAgent agent;
    ControllerClient controller;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @BeforeEach
    void startAgent() throws Exception {
        agent = TestAgent.start(TestAgent.defaults(broker.port(), state));
        controller = agent.controller(broker.port());
        awaitAnswering(controller);
    }

    @AfterEach
    void stop() {
        controller.close();
        agent.close();
    }

    /** Waits until the agent is connected and subscribed: a Get is answered. */
    static void awaitAnswering(ControllerClient c) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> ControllerClient.await(c.request(MsgType.GET, get("Device.LocalAgent.EndpointID")))
                        .getBody().hasResponse());
    }

    static UspMsg.Request get(String... paths) {
        return UspMsg.Request.newBuilder().setGet(UspMsg.Get.newBuilder().addAllParamPaths(List.of(paths))).build();
    }

    static UspMsg.GetResp.RequestedPathResult only(UspMsg.Msg resp) {
        assertThat(resp.getBody().getResponse().hasGetResp()).as("a GetResp, got %s", resp).isTrue();
        return resp.getBody().getResponse().getGetResp().getReqPathResults(0);
    }

    @Test
    void getSetAddDeleteRoundTripsOverTheBroker() throws Exception {
        UspMsg.GetResp.RequestedPathResult info = only(ControllerClient.await(
                controller.request(MsgType.GET, get("Device.DeviceInfo."))));
        assertThat(info.getErrCode()).isZero();
        assertThat(info.getResolvedPathResults(0).getResultParamsMap()).containsKeys("Manufacturer", "SerialNumber");

        UspMsg.Msg set = ControllerClient.await(controller.request(MsgType.SET, UspMsg.Request.newBuilder()
                .setSet(UspMsg.Set.newBuilder().addUpdateObjs(UspMsg.Set.UpdateObject.newBuilder()
                        .setObjPath("Device.LocalAgent.Controller.1.").addParamSettings(
                                UspMsg.Set.UpdateParamSetting.newBuilder().setParam("ProvisioningCode")
                                        .setValue("site-42")))).build()));
        assertThat(set.getHeader().getMsgType()).isEqualTo(MsgType.SET_RESP);
        assertThat(set.getBody().getResponse().getSetResp().getUpdatedObjResults(0).getOperStatus().getOperSuccess()
                .getUpdatedInstResults(0).getUpdatedParamsMap()).containsEntry("ProvisioningCode", "site-42");

        UspMsg.Msg add = ControllerClient.await(controller.request(MsgType.ADD, UspMsg.Request.newBuilder()
                .setAdd(UspMsg.Add.newBuilder().addCreateObjs(UspMsg.Add.CreateObject.newBuilder()
                        .setObjPath("Device.LocalAgent.Controller.1.BootParameter.").addParamSettings(
                                UspMsg.Add.CreateParamSetting.newBuilder().setParam("ParameterName")
                                        .setValue("Device.DeviceInfo.SerialNumber")))).build()));
        String created = add.getBody().getResponse().getAddResp().getCreatedObjResults(0).getOperStatus()
                .getOperSuccess().getInstantiatedPath();
        assertThat(created).isEqualTo("Device.LocalAgent.Controller.1.BootParameter.1.");

        UspMsg.Msg del = ControllerClient.await(controller.request(MsgType.DELETE, UspMsg.Request.newBuilder()
                .setDelete(UspMsg.Delete.newBuilder().addObjPaths(created)).build()));
        assertThat(del.getBody().getResponse().getDeleteResp().getDeletedObjResults(0).getOperStatus()
                .getOperSuccess().getAffectedPathsList()).containsExactly(created);
    }

    @Test
    void aRequestWithoutResponseTopicIsAnsweredOnTheControllersConfiguredTopic() throws Exception {
        List<ControllerClient.Arrival> arrivals = new CopyOnWriteArrayList<>();
        controller.onArrival(arrivals::add);
        UspMsg.Msg msg = UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId("no-response-topic")
                .setMsgType(MsgType.GET)).setBody(UspMsg.Body.newBuilder().setRequest(get("Device.LocalAgent.")))
                .build();
        controller.publishRaw(agent.agentTopic(), controller.record(msg).toByteArray(), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> arrivals.stream().anyMatch(a -> isAnswerTo(a, "no-response-topic")));
        ControllerClient.Arrival a = arrivals.stream().filter(x -> isAnswerTo(x, "no-response-topic")).findFirst()
                .orElseThrow();
        assertThat(a.topic()).isEqualTo("usp/controller/" + TestAgent.CONTROLLER_ID);
        assertThat(a.contentType()).isEqualTo("usp.msg");
        assertThat(a.responseTopic()).as("the agent's reply-to topic on every PUBLISH (R-MQTT.22)")
                .isEqualTo(agent.agentTopic());
    }

    @Test
    void aRequestIsAnsweredOnItsResponseTopic() throws Exception {
        try (ControllerClient other = ControllerClient.connect(controller.settings()
                .withControllerTopic("somewhere/else/reply"))) {
            UspMsg.Msg resp = ControllerClient.await(other.request(MsgType.GET, get("Device.DeviceInfo.ModelName")));
            assertThat(only(resp).getErrCode()).isZero();
        }
    }

    @Test
    void recordsForAnotherAgentAndFromUnknownControllersGetNoAnswer() throws Exception {
        List<ControllerClient.Arrival> arrivals = new CopyOnWriteArrayList<>();
        controller.onArrival(arrivals::add);
        UspMsg.Msg wrongTo = UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId("wrong-to")
                .setMsgType(MsgType.GET)).setBody(UspMsg.Body.newBuilder().setRequest(get("Device."))).build();
        controller.publishRaw(agent.agentTopic(), controller.record(wrongTo).toBuilder().setToId("proto::other")
                .build().toByteArray(), true);
        try (ControllerClient stranger = agent.controller(broker.port(), "proto::stranger")) {
            List<ControllerClient.Arrival> strangerArrivals = new CopyOnWriteArrayList<>();
            stranger.onArrival(strangerArrivals::add);
            stranger.request(MsgType.GET, get("Device."));
            // Records are handled in order: once a later request is answered, the earlier ones were dropped.
            UspMsg.Msg later = ControllerClient.await(controller.request(MsgType.GET, get("Device.LocalAgent.UpTime")));
            assertThat(only(later).getErrCode()).isZero();
            assertThat(arrivals).noneMatch(a -> isAnswerTo(a, "wrong-to"));
            assertThat(strangerArrivals).isEmpty();
        }
    }

    @Test
    void garbageOnTheAgentTopicIsDroppedAndTheAgentKeepsAnswering() throws Exception {
        controller.publishRaw(agent.agentTopic(), new byte[] {0x0a, (byte) 0xff, 0x13, 0x00}, true);
        controller.publishRaw(agent.agentTopic(), new byte[0], true);
        UspMsg.Msg resp = ControllerClient.await(controller.request(MsgType.GET, get("Device.DeviceInfo.")));
        assertThat(only(resp).getErrCode()).isZero();
    }

    @Test
    void theAgentReconnectsResubscribesAndAnswersAfterTheBrokerRestarts() throws Exception {
        broker.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> !agent.runtime().channels().get(0).isUp());
        assertThat(agent.onLoop(() -> agent.runtime().model().value("Device.MQTT.Client.1.Status")))
                .isIn("Connecting", "Error_BrokerUnreachable", "Error");
        broker.start();
        awaitAnswering(controller);
        assertThat(agent.onLoop(() -> agent.runtime().model().value("Device.MQTT.Client.1.Status")))
                .isEqualTo("Connected");
        assertThat(agent.mtpStatus())
                .isEqualTo("Up");
    }

    @Test
    void anMqttConnectRecordReachesEachControllerWhenTheAgentConnects() throws Exception {
        // TP-469 11.17 / R-MTP.6: a controller already listening when the agent (re)connects gets the Record first.
        agent.close();
        List<ControllerClient.Arrival> arrivals = new CopyOnWriteArrayList<>();
        controller.onArrival(arrivals::add);
        agent = TestAgent.start(TestAgent.defaults(broker.port(), state));
        await().atMost(Duration.ofSeconds(30)).until(() -> !arrivals.isEmpty());
        UspRecord.Record first = arrivals.get(0).record();
        assertThat(first.hasMqttConnect()).as("the first Record is the Connect Record").isTrue();
        assertThat(first.getMqttConnect().getSubscribedTopic()).isEqualTo(agent.agentTopic());
        assertThat(first.getMqttConnect().getVersion()).isEqualTo(UspRecord.MQTTConnectRecord.MQTTVersion.V5);
        assertThat(first.getToId()).isEqualTo(TestAgent.CONTROLLER_ID);
        assertThat(first.getFromId()).isEqualTo(TestAgent.AGENT_ID);
    }

    @Test
    void forceReconnectAnswersItsOperateThenReconnects() throws Exception {
        List<ControllerClient.Arrival> arrivals = new CopyOnWriteArrayList<>();
        controller.onArrival(arrivals::add);
        UspMsg.Msg resp = ControllerClient.await(controller.request(MsgType.OPERATE, UspMsg.Request.newBuilder()
                .setOperate(UspMsg.Operate.newBuilder().setCommand("Device.MQTT.Client.1.ForceReconnect()")
                        .setSendResp(true)).build()));
        assertThat(resp.getHeader().getMsgType()).isEqualTo(MsgType.OPERATE_RESP);
        UspMsg.OperateResp.OperationResult result = resp.getBody().getResponse().getOperateResp()
                .getOperationResults(0);
        assertThat(result.getExecutedCommand()).isEqualTo("Device.MQTT.Client.1.ForceReconnect()");
        assertThat(result.hasReqOutputArgs()).as("success, not a CommandFailure").isTrue();
        // Then the link really reconnects: the Connect Record of the new connection reaches the controller (R-MTP.6).
        await().atMost(Duration.ofSeconds(30)).until(() -> arrivals.stream().anyMatch(a -> a.record().hasMqttConnect()));
        awaitAnswering(controller);
    }

    @Test
    void whatControllersChangedSurvivesAnAgentRestart() throws Exception {
        ControllerClient.await(controller.request(MsgType.SET, UspMsg.Request.newBuilder()
                .setSet(UspMsg.Set.newBuilder().addUpdateObjs(UspMsg.Set.UpdateObject.newBuilder()
                        .setObjPath("Device.LocalAgent.Controller.1.").addParamSettings(
                                UspMsg.Set.UpdateParamSetting.newBuilder().setParam("PeriodicNotifInterval")
                                        .setValue("120")))).build()));
        UspMsg.Msg add = ControllerClient.await(controller.request(MsgType.ADD, UspMsg.Request.newBuilder()
                .setAdd(UspMsg.Add.newBuilder().addCreateObjs(UspMsg.Add.CreateObject.newBuilder()
                        .setObjPath("Device.LocalAgent.ControllerTrust.Role.").addParamSettings(
                                UspMsg.Add.CreateParamSetting.newBuilder().setParam("Name").setValue("viewer"))))
                .build()));
        Map<String, String> keys = add.getBody().getResponse().getAddResp().getCreatedObjResults(0).getOperStatus()
                .getOperSuccess().getUniqueKeysMap();
        String rolePath = add.getBody().getResponse().getAddResp().getCreatedObjResults(0).getOperStatus()
                .getOperSuccess().getInstantiatedPath();

        agent.restartProcess();
        awaitAnswering(controller);

        UspMsg.GetResp.RequestedPathResult r = only(ControllerClient.await(controller.request(MsgType.GET,
                get("Device.LocalAgent.Controller.1.PeriodicNotifInterval"))));
        assertThat(r.getResolvedPathResults(0).getResultParamsMap()).containsEntry("PeriodicNotifInterval", "120");
        UspMsg.GetResp.RequestedPathResult role = only(ControllerClient.await(controller.request(MsgType.GET,
                get(rolePath + "Alias", rolePath + "Name"))));
        assertThat(role.getResolvedPathResults(0).getResultParamsMap()).containsEntry("Alias", keys.get("Alias"));
        // Configuration did not re-seed what a controller had changed (ConfigSeeder policy).
        assertThat(agent.onLoop(() -> agent.runtime().model().findTable("Device.LocalAgent.Controller.").size()))
                .isEqualTo(1);
    }

    private static boolean isAnswerTo(ControllerClient.Arrival a, String msgId) {
        if (!a.record().hasNoSessionContext()) {
            return false;
        }
        try {
            return UspMsg.Msg.parseFrom(a.record().getNoSessionContext().getPayload()).getHeader().getMsgId()
                    .equals(msgId);
        } catch (Exception e) {
            return false;
        }
    }
}
