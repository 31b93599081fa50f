package io.uspbridge.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.uspbridge.model.DataModel;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetInstancesResp.CurrInstance;
import io.uspbridge.proto.UspMsg.GetInstancesResp.RequestedPathResult;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetInstancesHandlerTest {
    private DataModel model;
    private UspExchange usp;

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        usp = new UspExchange(model);
    }

    private static List<String> paths(RequestedPathResult r) {
        assertThat(r.getErrCode()).as(r.getErrMsg()).isZero();
        return r.getCurrInstsList().stream().map(CurrInstance::getInstantiatedObjPath).toList();
    }

    @Test
    void tp469_1_66_firstLevelOnlyListsTheTablesRowsWithTheirKeys() {
        RequestedPathResult r = usp.getInstances(true, "Device.LocalAgent.Controller.").getReqPathResults(0);
        assertThat(r.getRequestedPath()).isEqualTo("Device.LocalAgent.Controller.");
        assertThat(paths(r)).containsExactly("Device.LocalAgent.Controller.1.", "Device.LocalAgent.Controller.2.");
        assertThat(r.getCurrInsts(0).getUniqueKeysMap()).containsOnly(entry("Alias", "cpe-1"),
                entry("EndpointID", "proto::controller-1"));
    }

    @Test
    void tp469_1_67_withoutFirstLevelOnlyNestedRowsFollowTheirParent() {
        RequestedPathResult r = usp.getInstances(false, "Device.LocalAgent.Controller.").getReqPathResults(0);
        assertThat(paths(r)).containsExactly(
                "Device.LocalAgent.Controller.1.",
                "Device.LocalAgent.Controller.1.BootParameter.1.",
                "Device.LocalAgent.Controller.1.BootParameter.2.",
                "Device.LocalAgent.Controller.1.MTP.1.",
                "Device.LocalAgent.Controller.2.");
        assertThat(r.getCurrInsts(1).getUniqueKeysMap()).containsOnly(entry("Alias", "cpe-1"),
                entry("ParameterName", "Device.DeviceInfo.SerialNumber"));
        assertThat(r.getCurrInsts(3).getUniqueKeysMap()).containsOnly(entry("Alias", "cpe-1"),
                entry("Protocol", "MQTT"));
    }

    @Test
    void tp469_1_68_severalPathsGetOneResultEach() {
        UspMsg.GetInstancesResp resp = usp.getInstances(true, "Device.LocalAgent.Controller.",
                "Device.MQTT.Client.");
        assertThat(resp.getReqPathResultsList()).hasSize(2);
        assertThat(paths(resp.getReqPathResults(1))).containsExactly("Device.MQTT.Client.1.");
    }

    @Test
    void tp469_1_70_and_1_71_searchPathsOnTheParent() {
        assertThat(paths(usp.getInstances(true, "Device.LocalAgent.Controller.*.BootParameter.")
                .getReqPathResults(0))).containsExactly("Device.LocalAgent.Controller.1.BootParameter.1.",
                "Device.LocalAgent.Controller.1.BootParameter.2.");
        assertThat(paths(usp.getInstances(true,
                "Device.LocalAgent.Controller.[EndpointID==\"proto::controller-1\"].MTP.").getReqPathResults(0)))
                .containsExactly("Device.LocalAgent.Controller.1.MTP.1.");
        assertThat(paths(usp.getInstances(true,
                "Device.LocalAgent.Controller.1.BootParameter.[Enable==true].").getReqPathResults(0)))
                .containsExactly("Device.LocalAgent.Controller.1.BootParameter.1.");
    }

    @Test
    void tp469_1_83_anUnmatchedSearchIsAnEmptySuccess() {
        RequestedPathResult r = usp.getInstances(false, "Device.LocalAgent.Controller.[Enable==false].MTP.")
                .getReqPathResults(0);
        assertThat(paths(r)).isEmpty();
        RequestedPathResult none = usp.getInstances(true, "Device.LocalAgent.Subscription.").getReqPathResults(0);
        assertThat(paths(none)).as("an empty table").isEmpty();
    }

    @Test
    void gin3_anObjectThatIsNotATableIs7018() {
        UspMsg.GetInstancesResp resp = usp.getInstances(true, "Device.LocalAgent.", "Device.DeviceInfo.",
                "Device.Nothing.", "Device.LocalAgent.Controller.7.MTP.", "Device.LocalAgent.EndpointID");
        assertThat(resp.getReqPathResultsList()).extracting(RequestedPathResult::getErrCode)
                .containsExactly(7018, 7018, 7026, 7016, 7026);
        assertThat(resp.getReqPathResultsList()).allSatisfy(r -> assertThat(r.getErrMsg()).isNotEmpty());
    }

    @Test
    void anInstancePathListsThatInstance() {
        assertThat(paths(usp.getInstances(false, "Device.LocalAgent.Controller.2.").getReqPathResults(0)))
                .containsExactly("Device.LocalAgent.Controller.2.");
    }

    @Test
    void mountedTablesAreListedUnderTheirDevice() {
        MessageFixture.lamp(model, "lamp");
        RequestedPathResult r = usp.getInstances(false, "Device.ProxiedDevice.").getReqPathResults(0);
        assertThat(paths(r)).containsExactly("Device.ProxiedDevice.1.", "Device.ProxiedDevice.1.IoTCapability.1.",
                "Device.ProxiedDevice.1.IoTCapability.2.");
        assertThat(r.getCurrInsts(2).getUniqueKeysMap()).containsOnly(entry("Alias", "cpe-2"),
                entry("Name", "dimmer"));
    }
}
