package io.uspbridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.record.ControllerDirectory;
import io.uspbridge.security.AccessControl;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes and E2E settings are read for every Record, so the directory keeps them per controller; a committed change
 * under Controller. or LocalAgent.MTP. must still apply to the very next Record.
 */
class ModelControllerDirectoryTest {
    private static final String ACS = "proto::acs";
    private DataModel model;
    private ModelControllerDirectory dir;

    @BeforeEach
    void setUp() {
        model = new DataModel(AgentSchema.build());
        ConfigSeederTest.seedOneController(model, ACS);
        dir = new ModelControllerDirectory(model, new AccessControl(model), false);
    }

    @Test
    void aChangedTopicIsTheNextRoute() {
        assertThat(dir.routes(ACS)).singleElement().satisfies(r -> assertThat(r.address()).isEqualTo("usp/controller/acs"));
        model.set(model.find("Device.LocalAgent.Controller.1.MTP.1.MQTT."), "Topic", "usp/controller/acs-2");
        assertThat(dir.routes(ACS)).singleElement()
                .satisfies(r -> assertThat(r.address()).isEqualTo("usp/controller/acs-2"));
    }

    @Test
    void aDisabledControllerHasNoRouteAndIsNotTrusted() {
        assertThat(dir.routes(ACS)).hasSize(1);
        model.set(model.find("Device.LocalAgent.Controller.1."), "Enable", "false");
        assertThat(dir.routes(ACS)).isEmpty();
        assertThat(dir.standing(ACS)).isEqualTo(ControllerDirectory.Standing.DISABLED);
        assertThat(dir.controllersReachableVia("Device.LocalAgent.MTP.1")).isEmpty();
    }

    @Test
    void anAgentMtpChangeIsSeenToo() {
        ObjectNode mqtt = model.find("Device.LocalAgent.Controller.1.MTP.1.MQTT.");
        model.set(mqtt, "AgentMTPReference", "");     // the agent's first enabled MQTT MTP
        assertThat(dir.routes(ACS)).singleElement()
                .satisfies(r -> assertThat(r.mtpReference()).isEqualTo("Device.LocalAgent.MTP.1"));
        model.set(model.find("Device.LocalAgent.MTP.1."), "Enable", "false");
        assertThat(dir.routes(ACS)).singleElement().satisfies(r -> assertThat(r.mtpReference()).isEmpty());
    }

    @Test
    void e2eSettingsFollowASet() {
        int before = dir.e2eSettings(ACS).maxRetransmitTries();
        model.set(model.find("Device.LocalAgent.Controller.1.E2ESession."), "MaxRetransmitTries",
                Integer.toString(before + 2));
        assertThat(dir.e2eSettings(ACS).maxRetransmitTries()).isEqualTo(before + 2);
    }

    @Test
    void changesElsewhereKeepWhatWasRead() {
        List<ControllerDirectory.Route> routes = dir.routes(ACS);
        model.set(model.find("Device.MQTT.Client.1."), "Username", "someone-else");
        assertThat(dir.routes(ACS)).as("the same, still valid, list").isSameAs(routes);
    }
}
