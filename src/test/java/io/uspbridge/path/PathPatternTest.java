package io.uspbridge.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deciding on one object whether a path names it, as subscriptions do for every change. */
class PathPatternTest {
    DataModel model;
    ObjectNode c1;
    ObjectNode c2;
    ObjectNode bp;

    @BeforeEach
    void setUp() {
        model = new DataModel(AgentSchema.build());
        ObjectNode la = model.find("Device.LocalAgent.");
        c1 = model.addRow(la, "Controller", Map.of("EndpointID", "proto::a", "Enable", "true"));
        c2 = model.addRow(la, "Controller", Map.of("EndpointID", "proto::b"));
        bp = model.addRow(c2, "BootParameter", Map.of("ParameterName", "Device.DeviceInfo."));
    }

    PathPattern compile(String path) {
        return PathPattern.compile(model, Path.parse(path));
    }

    @Test
    void anInstancePathIsExactAndNamesOneObject() {
        PathPattern p = compile("Device.LocalAgent.Controller.2.BootParameter.1.ParameterName");
        assertThat(p.exactPath()).isEqualTo("Device.LocalAgent.Controller.2.BootParameter.1.");
        assertThat(p.target()).isSameAs(bp.def());
        assertThat(p.matches(bp, ReadAccess.ALL)).isTrue();
        assertThat(p.matches(c2, ReadAccess.ALL)).as("another definition").isFalse();
    }

    @Test
    void wildcardsAndTableNamesMatchEveryInstanceIncludingLaterOnes() {
        PathPattern star = compile("Device.LocalAgent.Controller.*.Enable");
        PathPattern table = compile("Device.LocalAgent.Controller.");
        assertThat(star.exactPath()).isNull();
        assertThat(table.endsAtTable()).isTrue();
        ObjectNode c3 = model.addRow(model.find("Device.LocalAgent."), "Controller", Map.of("EndpointID", "x"));
        for (ObjectNode c : new ObjectNode[] {c1, c2, c3}) {
            assertThat(star.matches(c, ReadAccess.ALL)).isTrue();
            assertThat(table.matches(c, ReadAccess.ALL)).isTrue();
        }
        PathPattern nested = compile("Device.LocalAgent.Controller.1.BootParameter.*.");
        assertThat(nested.matches(bp, ReadAccess.ALL)).as("BootParameter.1 of Controller.2").isFalse();
    }

    @Test
    void aSearchExpressionIsEvaluatedOnTheCurrentValues() {
        PathPattern enabled = compile("Device.LocalAgent.Controller.[Enable==true].");
        assertThat(enabled.matches(c1, ReadAccess.ALL)).isTrue();
        assertThat(enabled.matches(c2, ReadAccess.ALL)).isFalse();
        model.set(c2, "Enable", "true");
        assertThat(enabled.matches(c2, ReadAccess.ALL)).isTrue();
        PathPattern key = compile("Device.LocalAgent.Controller.[EndpointID==\"proto::b\"].BootParameter.*.");
        assertThat(key.matches(bp, ReadAccess.ALL)).isTrue();
    }

    @Test
    void aSearchOverAnUnreadableParameterMatchesNothing() {
        ReadAccess noEnable = new ReadAccess() {
            @Override
            public boolean canReadObject(ObjectNode node) {
                return true;
            }

            @Override
            public boolean canReadParam(ObjectNode node, io.uspbridge.model.ParamDef p) {
                return !p.name().equals("Enable");
            }
        };
        assertThat(compile("Device.LocalAgent.Controller.[Enable==true].").matches(c1, noEnable)).isFalse();
    }

    @Test
    void referenceFollowingIsLeftToTheResolver() {
        assertThat(PathPattern.compile(model, Path.parse("Device.LocalAgent.Subscription.*.Recipient+.Enable")))
                .isNull();
    }

    @Test
    void namesOutsideTheSupportedModelAre7026() {
        for (String bad : new String[] {"Device.NoSuch.", "Device.LocalAgent.Controller.1.NoSuch",
            "Device.LocalAgent.Controller.Enable", "Device.LocalAgent.1.", "Device.LocalAgent.Controller.1.Nope()",
            "Device.LocalAgent.Nope!", "Other.LocalAgent."}) {
            assertThatThrownBy(() -> compile(bad)).as(bad).isInstanceOfSatisfying(ModelException.class,
                    e -> assertThat(e.error()).isEqualTo(ErrorCode.INVALID_PATH));
        }
    }

    @Test
    void commandAndEventPathsNameTheirObject() {
        assertThat(compile("Device.Reboot()").matches(model.root(), ReadAccess.ALL)).isTrue();
        assertThat(compile("Device.LocalAgent.Periodic!").target()).isSameAs(model.find("Device.LocalAgent.").def());
    }
}
