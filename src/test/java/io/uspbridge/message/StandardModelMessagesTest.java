package io.uspbridge.message;

import static io.uspbridge.message.MessageFixture.values;
import static io.uspbridge.message.UspExchange.add;
import static io.uspbridge.message.UspExchange.create;
import static io.uspbridge.message.UspExchange.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.path.ReferenceResolver;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.RequestedObjectResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedObjectResult;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TP-469 section 1 cases on the agent's real TR-181 schema ({@link AgentSchema}), with the test objects the plan
 * names: {@code Device.LocalAgent.Subscription.}, {@code Device.LocalAgent.Controller.{i}.BootParameter.} and
 * {@code Device.LocalAgent.}.
 */
class StandardModelMessagesTest {
    private static final String SUB = "Device.LocalAgent.Subscription.";

    private DataModel model;
    private UspExchange usp;

    @BeforeEach
    void setUp() {
        model = new DataModel(AgentSchema.build());
        model.setReferenceResolver(new ReferenceResolver(model));
        ObjectNode agent = model.find("Device.LocalAgent.");
        model.set(agent, "EndpointID", "proto::usp-bridge");
        ObjectNode c = model.addRow(agent, "Controller", values("EndpointID", UspExchange.CONTROLLER, "Enable",
                "true"));
        model.addRow(c, "BootParameter", values("Enable", "true", "ParameterName", "Device.DeviceInfo.SerialNumber"));
        ObjectNode hub = model.addRow(model.root(), "ProxiedDevice", values("Name", "hall light", "Online", "true"));
        ObjectNode cap = model.addRow(hub, "IoTCapability", values("Name", "switch", "Class", "BinaryControl"));
        model.set(model.ensureChild(cap, "BinaryControl"), "Value", "true");
        model.addRow(model.root(), "ProxiedDevice", values("Name", "porch sensor", "Online", "false"));
        usp = new UspExchange(model);
    }

    private UspMsg.Add.CreateObject subscription(String id) {
        return create(SUB, "Enable", "true", "true", "ID", id, "true", "NotifType", "ValueChange", "true",
                "ReferenceList", "Device.LocalAgent.", "true");
    }

    @Test
    void tp469_1_1_then_1_11_then_1_24_onTheStandardSubscriptionTable() {
        var created = response(usp.send(add(false, subscription("tp-1")))).getAddResp().getCreatedObjResults(0)
                .getOperStatus().getOperSuccess();
        assertThat(created.getInstantiatedPath()).isEqualTo(SUB + "1.");
        assertThat(created.getUniqueKeysMap()).containsOnlyKeys("Alias", "Recipient", "ID")
                .containsEntry("ID", "tp-1").containsEntry("Alias", "cpe-1");

        var updated = response(usp.send(UspExchange.set(false, UspExchange.update(SUB + "1.", "NotifRetry", "true",
                "true")))).getSetResp().getUpdatedObjResults(0).getOperStatus().getOperSuccess()
                .getUpdatedInstResults(0);
        assertThat(updated.getAffectedPath()).isEqualTo(SUB + "1.");
        assertThat(updated.getUpdatedParamsMap()).containsExactly(entry("NotifRetry", "true"));

        var deleted = response(usp.send(UspExchange.delete(false, SUB + "1."))).getDeleteResp()
                .getDeletedObjResults(0).getOperStatus().getOperSuccess();
        assertThat(deleted.getAffectedPathsList()).containsExactly(SUB + "1.");
    }

    @Test
    void tp469_1_10_addUnderAUniqueKeyAddressedController() {
        var ok = response(usp.send(add(false, create("Device.LocalAgent.Controller.[EndpointID==\""
                + UspExchange.CONTROLLER + "\"].BootParameter.", "ParameterName", "Device.LocalAgent.EndpointID",
                "true")))).getAddResp().getCreatedObjResults(0).getOperStatus().getOperSuccess();
        assertThat(ok.getInstantiatedPath()).isEqualTo("Device.LocalAgent.Controller.1.BootParameter.2.");
        assertThat(ok.getUniqueKeysMap()).containsOnly(entry("Alias", "cpe-2"),
                entry("ParameterName", "Device.LocalAgent.EndpointID"));
    }

    @Test
    void tp469_1_39_1_87_and_1_89_onDeviceLocalAgent() {
        UspMsg.GetResp resp = usp.get("Device.LocalAgent.", "Device.LocalAgent.Subscription.");
        var agent = resp.getReqPathResults(0);
        assertThat(agent.getErrCode()).isZero();
        assertThat(agent.getResolvedPathResults(0).getResolvedPath()).isEqualTo("Device.LocalAgent.");
        assertThat(agent.getResolvedPathResults(0).getResultParamsMap()).containsEntry("EndpointID",
                "proto::usp-bridge").containsEntry("ControllerNumberOfEntries", "1");
        assertThat(agent.getResolvedPathResultsList()).extracting(r -> r.getResolvedPath())
                .contains("Device.LocalAgent.Controller.1.", "Device.LocalAgent.Controller.1.BootParameter.1.",
                        "Device.LocalAgent.Controller.1.E2ESession.", "Device.LocalAgent.ControllerTrust.");
        assertThat(resp.getReqPathResults(1).getErrCode()).isZero();
        assertThat(resp.getReqPathResults(1).getResolvedPathResultsList()).isEmpty();

        var depth1 = response(usp.send(UspExchange.get(1, "Device.LocalAgent."))).getGetResp().getReqPathResults(0);
        assertThat(depth1.getResolvedPathResultsList()).extracting(r -> r.getResolvedPath())
                .containsExactly("Device.LocalAgent.");
    }

    @Test
    void tp469_1_66_and_1_67_instancesOfTheControllerTable() {
        var first = usp.getInstances(true, "Device.LocalAgent.Controller.").getReqPathResults(0);
        assertThat(first.getCurrInstsList()).extracting(i -> i.getInstantiatedObjPath())
                .containsExactly("Device.LocalAgent.Controller.1.");
        var all = usp.getInstances(false, "Device.LocalAgent.Controller.").getReqPathResults(0);
        assertThat(all.getCurrInstsList()).extracting(i -> i.getInstantiatedObjPath())
                .containsExactly("Device.LocalAgent.Controller.1.", "Device.LocalAgent.Controller.1.BootParameter.1.");
    }

    private RequestedObjectResult gsdm(boolean firstLevelOnly, String path) {
        return response(usp.send(UspExchange.gsdm(firstLevelOnly, true, path))).getGetSupportedDmResp()
                .getReqObjResults(0);
    }

    @Test
    void tp469_1_76_theWholeStandardModelWithDivergentProxiedDevices() {
        RequestedObjectResult r = gsdm(false, "Device.");
        assertThat(r.getErrCode()).as(r.getErrMsg()).isZero();
        assertThat(r.getDataModelInstUri()).isEqualTo(AgentSchema.DATA_MODEL_URI);
        List<String> paths = r.getSupportedObjsList().stream().map(SupportedObjectResult::getSupportedObjPath)
                .toList();
        assertThat(paths).contains("Device.", "Device.DeviceInfo.", "Device.LocalAgent.",
                "Device.LocalAgent.Subscription.{i}.", "Device.LocalAgent.Controller.{i}.BootParameter.{i}.",
                "Device.MQTT.Client.{i}.", "Device.IoTCapability.{i}.BinaryControl.")
                .noneMatch(p -> p.startsWith("Device.ProxiedDevice.{i}.") && !p.equals("Device.ProxiedDevice.{i}."));
        SupportedObjectResult pd = r.getSupportedObjsList().stream()
                .filter(o -> o.getSupportedObjPath().equals("Device.ProxiedDevice.{i}.")).findFirst().orElseThrow();
        assertThat(pd.getDivergentPathsList()).containsExactly("Device.ProxiedDevice.1.", "Device.ProxiedDevice.2.");
        assertThat(pd.getSupportedParamsList()).isEmpty();

        RequestedObjectResult light = gsdm(false, "Device.ProxiedDevice.1.");
        assertThat(light.getSupportedObjsList()).extracting(SupportedObjectResult::getSupportedObjPath)
                .contains("Device.ProxiedDevice.1.", "Device.ProxiedDevice.1.IoTCapability.{i}.",
                        "Device.ProxiedDevice.1.IoTCapability.{i}.BinaryControl.")
                .doesNotContain("Device.ProxiedDevice.1.IoTCapability.{i}.LevelSensor.",
                        "Device.ProxiedDevice.1.DeviceInfo.");
    }

    @Test
    void tp469_1_99_1_105_and_1_107() {
        RequestedObjectResult subs = gsdm(true, "Device.LocalAgent.Subscription.");
        assertThat(subs.getSupportedObjs(0).getUniqueKeySetsList()).extracting(k -> List.copyOf(k.getKeyNamesList()))
                .containsExactly(List.of("Alias"), List.of("Recipient", "ID"));
        RequestedObjectResult reboot = gsdm(false, "Device.Reboot()");
        assertThat(reboot.getSupportedObjs(0).getSupportedCommandsList()).singleElement().satisfies(c -> {
            assertThat(c.getCommandName()).isEqualTo("Reboot()");
            assertThat(c.getInputArgNamesList()).containsExactly("Cause", "Reason");
        });
        RequestedObjectResult param = gsdm(false, "Device.LocalAgent.Controller.{i}.BootParameter.{i}.Enable");
        assertThat(param.getSupportedObjs(0).getSupportedParamsList()).singleElement()
                .satisfies(p -> assertThat(p.getParamName()).isEqualTo("Enable"));
    }

    @Test
    void tp469_1_80_getSupportedProtocol() {
        UspMsg.Response r = response(usp.send(UspMsg.Request.newBuilder().setGetSupportedProtocol(
                UspMsg.GetSupportedProtocol.newBuilder().setControllerSupportedProtocolVersions("1.3,1.4")).build()));
        assertThat(r.getGetSupportedProtocolResp().getAgentSupportedProtocolVersions())
                .isEqualTo("1.0,1.1,1.2,1.3,1.4");
    }
}
