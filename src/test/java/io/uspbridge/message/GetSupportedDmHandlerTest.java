package io.uspbridge.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.model.DataModel;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.CmdType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ObjAccessType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ParamAccessType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ParamValueType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.RequestedObjectResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedCommandResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedObjectResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedParamResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ValueChangeType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetSupportedDmHandlerTest {
    private DataModel model;
    private UspExchange usp;

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        usp = new UspExchange(model);
    }

    private RequestedObjectResult gsdm(boolean firstLevelOnly, boolean all, String path) {
        UspMsg.GetSupportedDMResp resp = UspExchange.response(usp.send(UspExchange.gsdm(firstLevelOnly, all, path)))
                .getGetSupportedDmResp();
        assertThat(resp.getReqObjResultsList()).hasSize(1);
        return resp.getReqObjResults(0);
    }

    private static List<String> objects(RequestedObjectResult r) {
        assertThat(r.getErrCode()).as(r.getErrMsg()).isZero();
        return r.getSupportedObjsList().stream().map(SupportedObjectResult::getSupportedObjPath).toList();
    }

    private static SupportedObjectResult object(RequestedObjectResult r, String path) {
        return r.getSupportedObjsList().stream().filter(o -> o.getSupportedObjPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " not in " + objects(r)));
    }

    private static SupportedParamResult param(SupportedObjectResult o, String name) {
        return o.getSupportedParamsList().stream().filter(p -> p.getParamName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + o.getSupportedObjPath()));
    }

    private static List<List<String>> keySets(SupportedObjectResult o) {
        return o.getUniqueKeySetsList().stream().map(k -> List.copyOf(k.getKeyNamesList())).toList();
    }

    @Test
    void tp469_1_72_theWholeSubtreeWithEveryDetail() {
        RequestedObjectResult r = gsdm(false, true, "Device.LocalAgent.");
        assertThat(r.getReqObjPath()).isEqualTo("Device.LocalAgent.");
        assertThat(r.getDataModelInstUri()).isEqualTo(MessageFixture.URI);
        assertThat(objects(r)).containsExactly(
                "Device.LocalAgent.",
                "Device.LocalAgent.Controller.{i}.",
                "Device.LocalAgent.Controller.{i}.BootParameter.{i}.",
                "Device.LocalAgent.Controller.{i}.MTP.{i}.",
                "Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT.",
                "Device.LocalAgent.Subscription.{i}.",
                "Device.LocalAgent.Request.{i}.",
                "Device.LocalAgent.ControllerTrust.",
                "Device.LocalAgent.ControllerTrust.Role.{i}.",
                "Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.");
        SupportedObjectResult agent = r.getSupportedObjs(0);
        assertThat(agent.getAccess()).isEqualTo(ObjAccessType.OBJ_READ_ONLY);
        assertThat(agent.getIsMultiInstance()).isFalse();
        assertThat(param(agent, "SupportedProtocols").getValueType()).as("lists are strings")
                .isEqualTo(ParamValueType.PARAM_STRING);
        assertThat(param(agent, "ControllerNumberOfEntries").getValueType())
                .isEqualTo(ParamValueType.PARAM_UNSIGNED_INT);
        assertThat(agent.getSupportedCommandsList()).extracting(SupportedCommandResult::getCommandName)
                .containsExactly("AddCertificate()");
        assertThat(agent.getSupportedCommands(0).getInputArgNamesList()).containsExactly("Alias", "Certificate");
        assertThat(agent.getSupportedCommands(0).getCommandType()).isEqualTo(CmdType.CMD_SYNC);

        SupportedObjectResult ctl = object(r, "Device.LocalAgent.Controller.{i}.");
        assertThat(ctl.getAccess()).isEqualTo(ObjAccessType.OBJ_ADD_DELETE);
        assertThat(ctl.getIsMultiInstance()).isTrue();
        SupportedParamResult alias = param(ctl, "Alias");
        assertThat(alias.getAccess()).as("writeOnceReadOnly is reported read-write (GSDM-4)")
                .isEqualTo(ParamAccessType.PARAM_READ_WRITE);
        assertThat(param(ctl, "Enable").getValueType()).isEqualTo(ParamValueType.PARAM_BOOLEAN);
        assertThat(param(ctl, "Enable").getValueChange()).isEqualTo(ValueChangeType.VALUE_CHANGE_ALLOWED);
        assertThat(param(ctl, "InheritedRole").getAccess()).isEqualTo(ParamAccessType.PARAM_READ_ONLY);
        assertThat(keySets(ctl)).containsExactly(List.of("Alias"), List.of("EndpointID"));
        assertThat(object(r, "Device.LocalAgent.Request.{i}.").getAccess()).isEqualTo(ObjAccessType.OBJ_READ_ONLY);
    }

    @Test
    void tp469_1_73_firstLevelOnlyGivesDetailsForTheRequestedObjectOnly() {
        RequestedObjectResult r = gsdm(true, true, "Device.LocalAgent.");
        assertThat(objects(r)).containsExactly("Device.LocalAgent.", "Device.LocalAgent.Controller.{i}.",
                "Device.LocalAgent.Subscription.{i}.", "Device.LocalAgent.Request.{i}.",
                "Device.LocalAgent.ControllerTrust.");
        assertThat(r.getSupportedObjs(0).getSupportedParamsList()).isNotEmpty();
        for (SupportedObjectResult child : r.getSupportedObjsList().subList(1, 5)) {
            assertThat(child.getSupportedParamsList()).isEmpty();
            assertThat(child.getSupportedCommandsList()).isEmpty();
            assertThat(child.getSupportedEventsList()).isEmpty();
            assertThat(child.getUniqueKeySetsList()).as("TP-469 1.73").isEmpty();
        }
        assertThat(r.getSupportedObjs(1).getIsMultiInstance()).isTrue();
        assertThat(r.getSupportedObjs(1).getAccess()).isEqualTo(ObjAccessType.OBJ_ADD_DELETE);
    }

    @Test
    void tp469_1_74_withoutFlagsOnlyObjects() {
        RequestedObjectResult r = gsdm(true, false, "Device.LocalAgent.");
        assertThat(r.getSupportedObjsList()).hasSize(5).allSatisfy(o -> {
            assertThat(o.getSupportedParamsList()).isEmpty();
            assertThat(o.getSupportedCommandsList()).isEmpty();
            assertThat(o.getUniqueKeySetsList()).isEmpty();
        });
    }

    @Test
    void tp469_1_75_severalPathsAndTheOmittedFinalPlaceholder() {
        UspMsg.GetSupportedDMResp resp = UspExchange.response(usp.send(UspExchange.gsdm(true, true,
                "Device.LocalAgent.Controller.{i}.BootParameter.", "Device.DeviceInfo.",
                "Device.LocalAgent.Controller.{i}.BootParameter.{i}."))).getGetSupportedDmResp();
        assertThat(resp.getReqObjResultsList()).extracting(RequestedObjectResult::getReqObjPath).containsExactly(
                "Device.LocalAgent.Controller.{i}.BootParameter.", "Device.DeviceInfo.",
                "Device.LocalAgent.Controller.{i}.BootParameter.{i}.");
        assertThat(objects(resp.getReqObjResults(0))).containsExactly(
                "Device.LocalAgent.Controller.{i}.BootParameter.{i}.");
        assertThat(resp.getReqObjResults(2)).isEqualTo(resp.getReqObjResults(0).toBuilder()
                .setReqObjPath("Device.LocalAgent.Controller.{i}.BootParameter.{i}.").build());
        SupportedObjectResult info = resp.getReqObjResults(1).getSupportedObjs(0);
        assertThat(param(info, "UpTime").getAccess()).isEqualTo(ParamAccessType.PARAM_READ_ONLY);
        assertThat(param(info, "FriendlyName").getAccess()).isEqualTo(ParamAccessType.PARAM_READ_WRITE);
        assertThat(param(info, "FriendlyName").getValueType()).isEqualTo(ParamValueType.PARAM_STRING);
    }

    @Test
    void tp469_1_76_theRootWithEveryDetailAndDivergentMountPoints() {
        MessageFixture.lamp(model, "lamp");
        MessageFixture.thermometer(model, "thermo");
        RequestedObjectResult r = gsdm(false, true, "Device.");
        List<String> paths = objects(r);
        assertThat(paths).startsWith("Device.", "Device.DeviceInfo.", "Device.LocalAgent.")
                .contains("Device.MQTT.Client.{i}.", "Device.ProxiedDevice.{i}.", "Device.IoTCapability.{i}.",
                        "Device.IoTCapability.{i}.LevelSensor.")
                .noneMatch(p -> p.startsWith("Device.ProxiedDevice.{i}.IoTCapability"));
        SupportedObjectResult pd = object(r, "Device.ProxiedDevice.{i}.");
        // GSDM-5: path, access, multi-instance and the instances; nothing else
        assertThat(pd).isEqualTo(SupportedObjectResult.newBuilder().setSupportedObjPath("Device.ProxiedDevice.{i}.")
                .setAccess(ObjAccessType.OBJ_READ_ONLY).setIsMultiInstance(true)
                .addDivergentPaths("Device.ProxiedDevice.1.").addDivergentPaths("Device.ProxiedDevice.2.").build());
        SupportedObjectResult root = r.getSupportedObjs(0);
        assertThat(root.getSupportedCommandsList()).extracting(SupportedCommandResult::getCommandName)
                .containsExactly("Reboot()", "ScheduleTimer()", "SelfTestDiagnostics()");
        assertThat(param(object(r, "Device.IoTCapability.{i}.LevelSensor."), "Value").getValueChange())
                .isEqualTo(ValueChangeType.VALUE_CHANGE_WILL_IGNORE);
        assertThat(param(object(r, "Device.MQTT.Client.{i}."), "MessageRetryTime").getValueChange())
                .as("computed values are not watched").isEqualTo(ValueChangeType.VALUE_CHANGE_WILL_IGNORE);
    }

    @Test
    void gsdm5_anInstancePathUnderTheMountPointDescribesThatDeviceOnly() {
        MessageFixture.lamp(model, "lamp");
        MessageFixture.thermometer(model, "thermo");
        RequestedObjectResult lamp = gsdm(false, true, "Device.ProxiedDevice.1.");
        assertThat(objects(lamp)).containsExactly("Device.ProxiedDevice.1.",
                "Device.ProxiedDevice.1.IoTCapability.{i}.",
                "Device.ProxiedDevice.1.IoTCapability.{i}.BinaryControl.",
                "Device.ProxiedDevice.1.IoTCapability.{i}.LevelControl.");
        SupportedObjectResult bc = object(lamp, "Device.ProxiedDevice.1.IoTCapability.{i}.BinaryControl.");
        assertThat(param(bc, "Value").getAccess()).isEqualTo(ParamAccessType.PARAM_READ_WRITE);
        assertThat(bc.getSupportedCommands(0).getCommandName()).isEqualTo("Toggle()");
        assertThat(bc.getSupportedCommands(0).getCommandType()).isEqualTo(CmdType.CMD_ASYNC);
        assertThat(param(object(lamp, "Device.ProxiedDevice.1.IoTCapability.{i}.LevelControl."), "Value")
                .getValueType()).isEqualTo(ParamValueType.PARAM_DECIMAL);

        RequestedObjectResult thermo = gsdm(false, false, "Device.ProxiedDevice.2.");
        assertThat(objects(thermo)).containsExactly("Device.ProxiedDevice.2.",
                "Device.ProxiedDevice.2.IoTCapability.{i}.",
                "Device.ProxiedDevice.2.IoTCapability.{i}.LevelSensor.");

        RequestedObjectResult caps = gsdm(true, false, "Device.ProxiedDevice.2.IoTCapability.{i}.");
        assertThat(objects(caps)).containsExactly("Device.ProxiedDevice.2.IoTCapability.{i}.",
                "Device.ProxiedDevice.2.IoTCapability.{i}.LevelSensor.");

        RequestedObjectResult mountPoint = gsdm(false, true, "Device.ProxiedDevice.");
        assertThat(mountPoint.getSupportedObjsList()).singleElement().satisfies(o ->
                assertThat(o.getDivergentPathsList()).containsExactly("Device.ProxiedDevice.1.",
                        "Device.ProxiedDevice.2."));
    }

    @Test
    void tp469_1_77_anUnsupportedPathIs7026() {
        UspMsg.GetSupportedDMResp resp = UspExchange.response(usp.send(UspExchange.gsdm(false, true,
                "Device.LocalAgent.InvalidObject.", "Device.ProxiedDevice.9.", "Device.LocalAgent.Controller.{i}.1.",
                "Device.LocalAgent.Controller.*."))).getGetSupportedDmResp();
        assertThat(resp.getReqObjResultsList()).extracting(RequestedObjectResult::getErrCode)
                .containsExactly(7026, 7026, 7008, 7008);
        assertThat(resp.getReqObjResultsList()).allSatisfy(r -> assertThat(r.getSupportedObjsList()).isEmpty());
    }

    @Test
    void tp469_1_97_and_1_98_commandAndEventArgumentsAreRelative() {
        RequestedObjectResult r = gsdm(true, true, "Device.");
        SupportedObjectResult root = r.getSupportedObjs(0);
        SupportedCommandResult timer = root.getSupportedCommandsList().stream()
                .filter(c -> c.getCommandName().equals("ScheduleTimer()")).findFirst().orElseThrow();
        assertThat(timer.getCommandType()).isEqualTo(CmdType.CMD_ASYNC);
        assertThat(timer.getInputArgNamesList()).containsExactly("DelaySeconds");
        SupportedCommandResult selfTest = root.getSupportedCommands(2);
        assertThat(selfTest.getOutputArgNamesList()).containsExactly("Status", "Results.{i}.Name");
        assertThat(root.getSupportedEventsList()).singleElement().satisfies(e -> {
            assertThat(e.getEventName()).isEqualTo("Boot!");
            assertThat(e.getArgNamesList()).containsExactly("CommandKey", "Cause", "FirmwareUpdated", "ParameterMap");
        });
    }

    @Test
    void tp469_1_99_uniqueKeySetsOfSubscription() {
        RequestedObjectResult r = gsdm(true, true, "Device.LocalAgent.Subscription.");
        assertThat(keySets(r.getSupportedObjs(0))).containsExactly(List.of("Alias"), List.of("Recipient", "ID"));
    }

    @Test
    void tp469_1_105_to_1_107_aCommandEventOrParameterPathGivesOnlyThatElement() {
        SupportedObjectResult cmd = gsdm(false, true, "Device.Reboot()").getSupportedObjs(0);
        assertThat(cmd.getSupportedObjPath()).isEqualTo("Device.");
        assertThat(cmd.getSupportedCommandsList()).extracting(SupportedCommandResult::getCommandName)
                .containsExactly("Reboot()");
        assertThat(cmd.getSupportedParamsList()).isEmpty();
        assertThat(cmd.getSupportedEventsList()).isEmpty();

        SupportedObjectResult event = gsdm(false, false, "Device.Boot!").getSupportedObjs(0);
        assertThat(event.getSupportedEventsList()).singleElement()
                .satisfies(e -> assertThat(e.getEventName()).isEqualTo("Boot!"));
        assertThat(event.getSupportedCommandsList()).isEmpty();

        RequestedObjectResult p = gsdm(false, false, "Device.LocalAgent.Subscription.{i}.NotifRetry");
        assertThat(p.getSupportedObjsList()).singleElement().satisfies(o -> {
            assertThat(o.getSupportedObjPath()).isEqualTo("Device.LocalAgent.Subscription.{i}.");
            assertThat(o.getSupportedParamsList()).containsExactly(SupportedParamResult.newBuilder()
                    .setParamName("NotifRetry").setAccess(ParamAccessType.PARAM_READ_WRITE)
                    .setValueType(ParamValueType.PARAM_BOOLEAN).setValueChange(ValueChangeType.VALUE_CHANGE_ALLOWED)
                    .build());
            assertThat(o.getUniqueKeySetsList()).isEmpty();
        });
        assertThat(gsdm(false, true, "Device.LocalAgent.Subscription.{i}.NoSuchThing").getErrCode())
                .isEqualTo(7026);
    }

    @Test
    void gsdm6_theModelUriIsTheObjectsOwnWhenItHasOne() {
        assertThat(gsdm(true, false, "Device.X_00D09E_Hub.").getDataModelInstUri())
                .isEqualTo("urn:example-com:hub-1-0");
        assertThat(gsdm(true, false, "Device.DeviceInfo.").getDataModelInstUri()).isEqualTo(MessageFixture.URI);
    }

    @Test
    void anInstantiatedPathOutsideMountPointsKeepsItsInstanceNumber() {
        RequestedObjectResult r = gsdm(false, false, "Device.LocalAgent.Controller.1.");
        assertThat(objects(r)).containsExactly("Device.LocalAgent.Controller.1.",
                "Device.LocalAgent.Controller.1.BootParameter.{i}.", "Device.LocalAgent.Controller.1.MTP.{i}.",
                "Device.LocalAgent.Controller.1.MTP.{i}.MQTT.");
    }
}
