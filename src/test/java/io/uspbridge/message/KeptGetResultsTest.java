package io.uspbridge.message;

import static io.uspbridge.message.PermissionsFixture.ALL;
import static io.uspbridge.message.PermissionsFixture.NONE;
import static io.uspbridge.message.PermissionsFixture.assign;
import static io.uspbridge.message.PermissionsFixture.role;
import static io.uspbridge.message.PermissionsFixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetResp.ResolvedPathResult;
import io.uspbridge.security.AccessControl;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Get reuses the encoded result of an unchanged object (GetHandler.KeptResult): what a controller reads must stay
 * exactly what it would read without that, whatever changed in between — a value, a rolled-back change, the
 * controller's permissions, the values a search-path permission depends on — and whoever asks.
 */
class KeptGetResultsTest {
    private static final String DIMMER = "Device.ProxiedDevice.1.IoTCapability.2.LevelControl.";
    private static final String OTHER = "proto::controller-2";

    private DataModel model;
    private UspExchange usp;
    private ObjectNode lamp;

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        lamp = MessageFixture.lamp(model, "lamp");
        assign(model, UspExchange.CONTROLLER, PermissionsFixture.fullAccess(model));
        AccessControl access = new AccessControl(model);
        PathResolver paths = new PathResolver(model);
        // As the agent does (AgentRuntime): search targets resolve against the whole tree.
        access.setSearchResolver(target -> paths.resolve(target, ReadAccess.ALL).objects().stream()
                .map(ObjectNode::path).toList());
        usp = new UspExchange(model, access);
    }

    /** Every object's parameters as {@code controller} reads them with a Get of {@code Device.ProxiedDevice.}. */
    private Map<String, Map<String, String>> read(String controller) {
        UspMsg.GetResp resp = UspExchange.response(usp.send(controller,
                UspExchange.get(0, "Device.ProxiedDevice."))).getGetResp();
        assertThat(resp.getReqPathResults(0).getErrCode()).isZero();
        return resp.getReqPathResults(0).getResolvedPathResultsList().stream().collect(Collectors.toMap(
                ResolvedPathResult::getResolvedPath, ResolvedPathResult::getResultParamsMap));
    }

    @Test
    void aRepeatedGetIsIdenticalAndAChangedValueIsReadAtOnce() {
        Map<String, Map<String, String>> first = read(UspExchange.CONTROLLER);
        assertThat(read(UspExchange.CONTROLLER)).isEqualTo(first);

        model.set(model.find(DIMMER), "Value", "75");
        Map<String, Map<String, String>> after = read(UspExchange.CONTROLLER);
        assertThat(after.get(DIMMER)).containsEntry("Value", "75");
        assertThat(after).hasSize(first.size());
    }

    @Test
    void aRolledBackChangeLeavesTheOldValue() {
        read(UspExchange.CONTROLLER);
        var tx = model.begin("test");
        tx.set(model.find(DIMMER), "Value", "90");
        // On the agent no Get runs inside an open transaction; this one does, so that a result kept from the
        // uncommitted value would be left behind if the rollback did not drop it too.
        assertThat(read(UspExchange.CONTROLLER).get(DIMMER)).containsEntry("Value", "90");
        tx.rollback();
        tx.close();
        assertThat(read(UspExchange.CONTROLLER).get(DIMMER)).containsEntry("Value", "40");
    }

    @Test
    void controllersWithOtherPermissionsNeverSeeEachOthersResults() {
        // The other controller may read everything but the devices' Name.
        assign(model, OTHER, role(model, "no-names", rule(1, "Device.", ALL, ALL, ALL, ALL),
                rule(2, "Device.ProxiedDevice.*.Name", NONE, ALL, ALL, ALL)));
        assertThat(read(UspExchange.CONTROLLER).get("Device.ProxiedDevice.1.")).containsEntry("Name", "lamp");
        assertThat(read(OTHER).get("Device.ProxiedDevice.1.")).doesNotContainKey("Name").containsKey("Type");
        assertThat(read(UspExchange.CONTROLLER).get("Device.ProxiedDevice.1.")).containsEntry("Name", "lamp");
    }

    @Test
    void aChangedRoleIsAppliedToTheNextGet() {
        assertThat(read(UspExchange.CONTROLLER).get("Device.ProxiedDevice.1.")).containsKey("Name");
        assign(model, UspExchange.CONTROLLER, role(model, "no-names", rule(1, "Device.", ALL, ALL, ALL, ALL),
                rule(2, "Device.ProxiedDevice.*.Name", NONE, ALL, ALL, ALL)));
        assertThat(read(UspExchange.CONTROLLER).get("Device.ProxiedDevice.1.")).doesNotContainKey("Name");
    }

    @Test
    void permissionsBySearchFollowTheValuesTheSearchReads() {
        // Objects are visible everywhere; parameters only below the device named "lamp" (a search target).
        assign(model, OTHER, role(model, "lamp-only", rule(1, "Device.", NONE, ALL, ALL, NONE),
                rule(2, "Device.ProxiedDevice.[Name==\"lamp\"].", ALL, ALL, ALL, NONE)));
        assertThat(read(OTHER).get(DIMMER)).containsEntry("Value", "40");

        // Renaming the device changes what the search matches, not the dimmer's own values.
        model.set(lamp, "Name", "lamp-2");
        assertThat(read(OTHER).get(DIMMER)).as("the dimmer's parameters are no longer readable").isEmpty();
    }
}
