package io.uspbridge.message;

import static io.uspbridge.message.MessageFixture.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.ValueType;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetResp.RequestedPathResult;
import io.uspbridge.proto.UspMsg.GetResp.ResolvedPathResult;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetHandlerTest {
    private DataModel model;
    private UspExchange usp;

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        usp = new UspExchange(model);
    }

    private static List<String> resolvedPaths(RequestedPathResult r) {
        return r.getResolvedPathResultsList().stream().map(ResolvedPathResult::getResolvedPath).toList();
    }

    private static ResolvedPathResult only(RequestedPathResult r) {
        assertThat(r.getErrCode()).as(r.getErrMsg()).isZero();
        assertThat(r.getResolvedPathResultsList()).hasSize(1);
        return r.getResolvedPathResults(0);
    }

    @Test
    void tp469_1_36_aParameterPathResolvesToItsObjectWithOnlyThatParameter() {
        UspMsg.GetResp resp = usp.get("Device.LocalAgent.Controller.1.EndpointID");
        assertThat(resp.getReqPathResultsList()).hasSize(1);
        RequestedPathResult r = resp.getReqPathResults(0);
        assertThat(r.getRequestedPath()).isEqualTo("Device.LocalAgent.Controller.1.EndpointID");
        ResolvedPathResult rr = only(r);
        assertThat(rr.getResolvedPath()).isEqualTo("Device.LocalAgent.Controller.1.");
        assertThat(rr.getResultParamsMap()).containsExactly(entry("EndpointID", "proto::controller-1"));
    }

    @Test
    void tp469_1_37_and_1_38_severalParameterPathsGetOneResultEach() {
        UspMsg.GetResp resp = usp.get("Device.LocalAgent.Controller.1.EndpointID",
                "Device.LocalAgent.Controller.1.Enable", "Device.DeviceInfo.SerialNumber");
        assertThat(resp.getReqPathResultsList()).extracting(RequestedPathResult::getRequestedPath).containsExactly(
                "Device.LocalAgent.Controller.1.EndpointID", "Device.LocalAgent.Controller.1.Enable",
                "Device.DeviceInfo.SerialNumber");
        assertThat(only(resp.getReqPathResults(1)).getResultParamsMap()).containsExactly(entry("Enable", "true"));
        ResolvedPathResult info = only(resp.getReqPathResults(2));
        assertThat(info.getResolvedPath()).isEqualTo("Device.DeviceInfo.");
        assertThat(info.getResultParamsMap()).containsExactly(entry("SerialNumber", "0001"));
    }

    @Test
    void tp469_1_39_anObjectPathGivesOneResultPerObjectAndSubObjectWithRelativeNames() {
        RequestedPathResult r = usp.get("Device.LocalAgent.").getReqPathResults(0);
        assertThat(r.getErrCode()).isZero();
        // GET-2: every object instance of the subtree, pre-order; ControllerTrust has parameters, MQTT. of the
        // MTP row too. Tables are not objects: they appear through their rows only.
        assertThat(resolvedPaths(r)).containsExactly(
                "Device.LocalAgent.",
                "Device.LocalAgent.Controller.1.",
                "Device.LocalAgent.Controller.1.BootParameter.1.",
                "Device.LocalAgent.Controller.1.BootParameter.2.",
                "Device.LocalAgent.Controller.1.MTP.1.",
                "Device.LocalAgent.Controller.1.MTP.1.MQTT.",
                "Device.LocalAgent.Controller.2.",
                "Device.LocalAgent.ControllerTrust.");
        ResolvedPathResult agent = r.getResolvedPathResults(0);
        assertThat(agent.getResultParamsMap()).containsEntry("EndpointID", "proto::agent")
                .containsEntry("ControllerNumberOfEntries", "2").containsEntry("SubscriptionNumberOfEntries", "0")
                .doesNotContainKey("Controller.1.EndpointID");
        assertThat(r.getResolvedPathResults(5).getResultParamsMap())
                .containsExactly(entry("Topic", "usp/controller-1"));
        assertThat(r.getResolvedPathResults(2).getResultParamsMap()).containsOnly(entry("Alias", "cpe-1"),
                entry("Enable", "true"), entry("ParameterName", "Device.DeviceInfo.SerialNumber"));
    }

    @Test
    void tp469_1_40_anInstancePathGivesThatInstanceAndItsSubObjects() {
        RequestedPathResult r = usp.get("Device.LocalAgent.Controller.2.").getReqPathResults(0);
        assertThat(resolvedPaths(r)).containsExactly("Device.LocalAgent.Controller.2.");
        assertThat(r.getResolvedPathResults(0).getResultParamsMap()).containsEntry("EndpointID", "proto::controller-2")
                .containsEntry("Alias", "cpe-2").containsEntry("BootParameterNumberOfEntries", "0");
    }

    @Test
    void tp469_1_41_anUnknownParameterIs7026InItsResult() {
        UspMsg.Msg answer = usp.send(UspExchange.get(0, "Device.LocalAgent.InvalidParameter"));
        RequestedPathResult r = UspExchange.response(answer).getGetResp().getReqPathResults(0);
        assertThat(r.getErrCode()).isEqualTo(7026);
        assertThat(r.getErrMsg()).isNotEmpty();
        assertThat(r.getResolvedPathResultsList()).isEmpty();
    }

    @Test
    void tp469_1_42_aValidAndAnInvalidPathGetTheirOwnResults() {
        UspMsg.GetResp resp = usp.get("Device.LocalAgent.EndpointID", "Device.LocalAgent.Nope");
        assertThat(only(resp.getReqPathResults(0)).getResultParamsMap()).containsEntry("EndpointID", "proto::agent");
        assertThat(resp.getReqPathResults(1).getErrCode()).isEqualTo(7026);
    }

    @Test
    void tp469_1_43_uniqueKeyAddressingResolvesToTheInstanceNumber() {
        RequestedPathResult r = usp.get("Device.LocalAgent.Controller.[EndpointID==\"proto::controller-2\"].Enable")
                .getReqPathResults(0);
        assertThat(only(r).getResolvedPath()).isEqualTo("Device.LocalAgent.Controller.2.");
    }

    @Test
    void get5_aUniqueKeyAddressThatMatchesNothingIs7026NotAnEmptySearch() {
        RequestedPathResult r = usp.get("Device.LocalAgent.Controller.[EndpointID==\"nobody\"].")
                .getReqPathResults(0);
        assertThat(r.getErrCode()).isEqualTo(7026);
        RequestedPathResult missing = usp.get("Device.LocalAgent.Controller.9.").getReqPathResults(0);
        assertThat(missing.getErrCode()).as("section 17: non-existent instance number").isEqualTo(7026);
    }

    @Test
    void tp469_1_44_and_1_45_wildcardsGiveOneResolvedPathPerInstance() {
        subscription(model, "a", true, 5);
        subscription(model, "b", false, 15);
        RequestedPathResult params = usp.get("Device.LocalAgent.Subscription.*.Enable").getReqPathResults(0);
        assertThat(resolvedPaths(params)).containsExactly("Device.LocalAgent.Subscription.1.",
                "Device.LocalAgent.Subscription.2.");
        assertThat(params.getResolvedPathResults(1).getResultParamsMap()).containsExactly(entry("Enable", "false"));

        RequestedPathResult objects = usp.get("Device.LocalAgent.Subscription.*.").getReqPathResults(0);
        assertThat(resolvedPaths(objects)).containsExactly("Device.LocalAgent.Subscription.1.",
                "Device.LocalAgent.Subscription.2.");
        assertThat(objects.getResolvedPathResults(0).getResultParamsMap()).containsEntry("ID", "a")
                .containsEntry("NotifExpiration", "5").containsEntry("Recipient", "Device.LocalAgent.Controller.1");
    }

    @Test
    void tp469_1_46_to_1_51_searchExpressionsSelectTheMatchingInstances() {
        subscription(model, "a", true, 5);
        subscription(model, "b", false, 10);
        subscription(model, "c", true, 20);
        String base = "Device.LocalAgent.Subscription.";
        assertThat(ids(base + "[Enable==true].")).containsExactly("a", "c");        // 1.46
        assertThat(ids(base + "[Enable!=true].")).containsExactly("b");             // 1.47
        assertThat(ids(base + "[NotifExpiration>10].")).containsExactly("c");       // 1.48
        assertThat(ids(base + "[NotifExpiration<10].")).containsExactly("a");       // 1.49
        assertThat(ids(base + "[NotifExpiration>=10].")).containsExactly("b", "c"); // 1.50
        assertThat(ids(base + "[NotifExpiration<=10].")).containsExactly("a", "b"); // 1.51
    }

    private List<String> ids(String path) {
        RequestedPathResult r = usp.get(path).getReqPathResults(0);
        assertThat(r.getErrCode()).as(r.getErrMsg()).isZero();
        return r.getResolvedPathResultsList().stream().map(x -> x.getResultParamsOrThrow("ID")).toList();
    }

    @Test
    void tp469_1_82_and_1_86_aSearchMatchingNothingIsAnEmptySuccess() {
        subscription(model, "a", false, 5);
        UspMsg.GetResp resp = usp.get("Device.LocalAgent.Subscription.[Enable==true].",
                "Device.LocalAgent.Subscription.[NotifExpiration>99].ID");
        for (RequestedPathResult r : resp.getReqPathResultsList()) {
            assertThat(r.getErrCode()).isZero();
            assertThat(r.getResolvedPathResultsList()).isEmpty();
        }
    }

    @Test
    void tp469_1_87_aTablePathWithoutRowsIsAnEmptySuccess() {
        RequestedPathResult r = usp.get("Device.LocalAgent.Subscription.").getReqPathResults(0);
        assertThat(r.getErrCode()).isZero();
        assertThat(r.getResolvedPathResultsList()).isEmpty();
    }

    @Test
    void tp469_1_89_maxDepthLimitsTheTree() {
        RequestedPathResult one = UspExchange.response(usp.send(UspExchange.get(1, "Device.LocalAgent.")))
                .getGetResp().getReqPathResults(0);
        assertThat(resolvedPaths(one)).containsExactly("Device.LocalAgent.");
        RequestedPathResult two = UspExchange.response(usp.send(UspExchange.get(2, "Device.LocalAgent.")))
                .getGetResp().getReqPathResults(0);
        // A table row is one level below its parent, like TemperatureSensor.{i}. in the example of R-GET.5.
        assertThat(resolvedPaths(two)).containsExactly("Device.LocalAgent.", "Device.LocalAgent.Controller.1.",
                "Device.LocalAgent.Controller.2.", "Device.LocalAgent.ControllerTrust.");
        RequestedPathResult three = UspExchange.response(usp.send(UspExchange.get(3, "Device.LocalAgent.")))
                .getGetResp().getReqPathResults(0);
        assertThat(resolvedPaths(three)).contains("Device.LocalAgent.Controller.1.BootParameter.1.",
                "Device.LocalAgent.Controller.1.MTP.1.").doesNotContain("Device.LocalAgent.Controller.1.MTP.1.MQTT.");
        RequestedPathResult huge = UspExchange.response(usp.send(UspExchange.get(-1, "Device.LocalAgent.")))
                .getGetResp().getReqPathResults(0);
        assertThat(resolvedPaths(huge)).as("max_depth is unsigned: 2^32-1 is no limit")
                .contains("Device.LocalAgent.Controller.1.MTP.1.MQTT.");
    }

    @Test
    void computedValuesAreReadLive() {
        long first = Long.parseLong(only(usp.get("Device.DeviceInfo.UpTime").getReqPathResults(0))
                .getResultParamsOrThrow("UpTime"));
        long second = Long.parseLong(only(usp.get("Device.DeviceInfo.UpTime").getReqPathResults(0))
                .getResultParamsOrThrow("UpTime"));
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void aProxiedDeviceShowsItsOwnCapabilitiesAndOnlyTheClassObjectsItHas() {
        MessageFixture.lamp(model, "lamp");
        MessageFixture.thermometer(model, "thermo");
        RequestedPathResult r = usp.get("Device.ProxiedDevice.").getReqPathResults(0);
        assertThat(resolvedPaths(r)).containsExactly(
                "Device.ProxiedDevice.1.",
                "Device.ProxiedDevice.1.IoTCapability.1.",
                "Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.",
                "Device.ProxiedDevice.1.IoTCapability.2.",
                "Device.ProxiedDevice.1.IoTCapability.2.LevelControl.",
                "Device.ProxiedDevice.2.",
                "Device.ProxiedDevice.2.IoTCapability.1.",
                "Device.ProxiedDevice.2.IoTCapability.1.LevelSensor.");
        assertThat(r.getResolvedPathResults(0).getResultParamsMap()).containsEntry("IoTCapabilityNumberOfEntries", "2");
        RequestedPathResult values = usp.get("Device.ProxiedDevice.*.IoTCapability.*.LevelControl.Value")
                .getReqPathResults(0);
        assertThat(only(values).getResultParamsMap()).containsExactly(entry("Value", "40"));
    }

    @Test
    void aCommandOrEventPathIsNotSomethingGetReads() {
        UspMsg.GetResp resp = usp.get("Device.Reboot()", "Device.Boot!");
        assertThat(resp.getReqPathResultsList()).extracting(RequestedPathResult::getErrCode)
                .containsExactly(7026, 7026);
    }

    @Test
    void aPathWithBadSyntaxIs7008InItsResult() {
        UspMsg.GetResp resp = usp.get("Device.LocalAgent.Controller.[EndpointID==].", "", "Device..",
                "Device.LocalAgent.Subscription.[Enable==\"true\"].");
        assertThat(resp.getReqPathResultsList()).extracting(RequestedPathResult::getErrCode)
                .containsExactly(7008, 7008, 7008, 7008);
        assertThat(resp.getReqPathResultsList()).extracting(RequestedPathResult::getRequestedPath)
                .containsExactly("Device.LocalAgent.Controller.[EndpointID==].", "", "Device..",
                        "Device.LocalAgent.Subscription.[Enable==\"true\"].");
    }

    @Test
    void aResponseThatWouldCarryTooManyValuesFailsPathByPathWith7005() {
        UspExchange small = new UspExchange(model, MessageSettings.defaults().withMaxResultParams(10));
        UspMsg.GetResp resp = small.get("Device.DeviceInfo.SerialNumber", "Device.LocalAgent.",
                "Device.DeviceInfo.Manufacturer");
        assertThat(only(resp.getReqPathResults(0)).getResultParamsMap()).containsKey("SerialNumber");
        assertThat(resp.getReqPathResults(1).getErrCode()).isEqualTo(7005);
        assertThat(resp.getReqPathResults(1).getResolvedPathResultsList()).isEmpty();
        assertThat(resp.getReqPathResults(2).getErrCode()).isEqualTo(7005);
    }

    @Test
    void eachComputedValueIsReadOncePerGet() {
        long before = MessageFixture.UPTIME.get();
        RequestedPathResult r = usp.get("Device.").getReqPathResults(0);
        String upTime = r.getResolvedPathResultsList().stream()
                .filter(o -> o.getResolvedPath().equals("Device.DeviceInfo.")).findFirst().orElseThrow()
                .getResultParamsOrThrow("UpTime");
        assertThat(MessageFixture.UPTIME.get()).as("reads of UpTime").isEqualTo(before + 1);
        assertThat(Long.parseLong(upTime)).isEqualTo(before + 1);
    }

    @Test
    void aValueThatCannotBeReadFailsOnlyItsPathWith7003AndDropsWhatThePathHadWritten() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        b.object("Device.");
        SchemaBuilder.ObjectBuilder t = b.table("Device.Thing.{i}.").access(TableAccess.ADD_DELETE);
        t.param("Name", ValueType.string(16)).writable();
        t.param("Reading", ValueType.string()).computed(n -> {
            if ("broken".equals(n.value("Name"))) {
                throw new IllegalStateException("sensor gone");
            }
            return "ok " + n.value("Name");
        });
        DataModel m = new DataModel(b.build());
        ObjectNode thing = m.find("Device.");
        for (String name : List.of("a", "b", "broken", "c")) {
            m.addRow(thing, "Thing", MessageFixture.values("Name", name));
        }
        UspMsg.GetResp resp = new UspExchange(m).get("Device.Thing.1.", "Device.Thing.", "Device.Thing.4.Reading");
        assertThat(only(resp.getReqPathResults(0)).getResultParamsMap())
                .containsExactly(entry("Name", "a"), entry("Reading", "ok a"));
        RequestedPathResult failed = resp.getReqPathResults(1);
        assertThat(failed.getErrCode()).isEqualTo(7003);
        assertThat(failed.getErrMsg()).isEqualTo("Device.Thing.3.Reading could not be read");
        assertThat(failed.getResolvedPathResultsList()).as("rows 1 and 2 were written, then dropped").isEmpty();
        assertThat(only(resp.getReqPathResults(2)).getResultParamsMap()).containsExactly(entry("Reading", "ok c"));
    }
}
