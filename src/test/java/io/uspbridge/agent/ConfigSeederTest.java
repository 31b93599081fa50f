package io.uspbridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.record.ControllerDirectory;
import io.uspbridge.security.AccessControl;
import io.uspbridge.security.DefaultRoles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigSeederTest {
    private DataModel model;
    private final Map<String, String> ledger = new HashMap<>();
    private ConfigSeeder seeder;

    static final ConfigSeeder.MqttSeed MQTT = new ConfigSeeder.MqttSeed("127.0.0.1", 1883, false, "", "user", "secret",
            60, "usp/agent/proto::hub", 1, 5, 2000, 30720);

    @BeforeEach
    void setUp() {
        model = new DataModel(AgentSchema.build());
        seeder = new ConfigSeeder(model, ledgerIn(ledger));
    }

    /** A ledger kept in {@code map}, as the store keeps it from one boot to the next. */
    static ConfigSeeder.Ledger ledgerIn(Map<String, String> map) {
        return new ConfigSeeder.Ledger() {
            @Override
            public String get(String key) {
                return map.get(key);
            }

            @Override
            public void put(String key, String value) {
                map.put(key, value);
            }
        };
    }

    /** A first boot of {@code model} with the default roles and one full-access controller {@code endpointId}. */
    static void seedOneController(DataModel model, String endpointId) {
        new ConfigSeeder(model, ledgerIn(new HashMap<>())).seed(DefaultRoles.all(), DefaultRoles.UNTRUSTED, MQTT,
                List.of(new ConfigSeeder.ControllerSeed("acs", endpointId, "usp/controller/acs", "full-access")));
    }

    private void seed(List<ConfigSeeder.ControllerSeed> controllers) {
        seeder.seed(DefaultRoles.all(), DefaultRoles.UNTRUSTED, MQTT, controllers);
    }

    @Test
    void firstBootCreatesRolesMqttClientMtpAndControllers() {
        seed(List.of(new ConfigSeeder.ControllerSeed("acs", "proto::acs", "usp/controller/acs", "full-access")));
        ObjectNode role = model.find("Device.LocalAgent.ControllerTrust.Role.1.");
        assertThat(role.value("Name")).isEqualTo("full-access");
        assertThat(role.rows("Permission")).singleElement()
                .satisfies(p -> assertThat(p.value("Targets")).isEqualTo("Device."));
        assertThat(model.value("Device.LocalAgent.ControllerTrust.UntrustedRole"))
                .isEqualTo("Device.LocalAgent.ControllerTrust.Role.2");
        ObjectNode client = model.find("Device.MQTT.Client.1.");
        assertThat(client.value("BrokerAddress")).isEqualTo("127.0.0.1");
        assertThat(client.value("Password")).isEqualTo("secret");
        ObjectNode mtp = model.find("Device.LocalAgent.MTP.1.");
        assertThat(mtp.value("Protocol")).isEqualTo("MQTT");
        assertThat(mtp.child("MQTT").value("Reference")).isEqualTo("Device.MQTT.Client.1");
        assertThat(mtp.child("MQTT").value("ResponseTopicConfigured")).isEqualTo("usp/agent/proto::hub");
        ObjectNode ctl = model.find("Device.LocalAgent.Controller.1.");
        assertThat(ctl.value("EndpointID")).isEqualTo("proto::acs");
        assertThat(ctl.value("AssignedRole")).isEqualTo("Device.LocalAgent.ControllerTrust.Role.1");
        assertThat(ctl.child("MTP") == null ? ctl.rows("MTP") : List.of()).singleElement()
                .satisfies(m -> assertThat(m.child("MQTT").value("AgentMTPReference"))
                        .isEqualTo("Device.LocalAgent.MTP.1"));

        ModelControllerDirectory dir = new ModelControllerDirectory(model, new AccessControl(model), false);
        assertThat(dir.standing("proto::acs")).isEqualTo(ControllerDirectory.Standing.TRUSTED);
        assertThat(dir.standing("proto::other")).isEqualTo(ControllerDirectory.Standing.UNKNOWN);
        assertThat(dir.routes("proto::acs")).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("usp/controller/acs");
            assertThat(r.mtpReference()).isEqualTo("Device.LocalAgent.MTP.1");
        });
        assertThat(dir.controllersReachableVia("Device.LocalAgent.MTP.1")).containsExactly("proto::acs");
    }

    @Test
    void anUnchangedConfigurationLeavesWhatControllersDidAlone() {
        List<ConfigSeeder.ControllerSeed> ctls = List.of(
                new ConfigSeeder.ControllerSeed("acs", "proto::acs", "usp/controller/acs", "full-access"));
        seed(ctls);
        ObjectNode ctl = model.find("Device.LocalAgent.Controller.1.");
        model.set(ctl, "Enable", "false");       // a controller's change
        model.delete(model.find("Device.LocalAgent.ControllerTrust.Role.2."));
        seed(ctls);                               // the next boot, same configuration
        assertThat(ctl.value("Enable")).isEqualTo("false");
        assertThat(model.find("Device.LocalAgent.ControllerTrust.Role.2.")).as("a deletion is respected").isNull();
        assertThat(model.findTable("Device.LocalAgent.Controller.").size()).isEqualTo(1);
    }

    @Test
    void aChangedOrNewConfigurationItemIsApplied() {
        seed(List.of(new ConfigSeeder.ControllerSeed("acs", "proto::acs", "usp/controller/acs", "full-access")));
        ObjectNode ctl = model.find("Device.LocalAgent.Controller.1.");
        seed(List.of(new ConfigSeeder.ControllerSeed("acs", "proto::acs", "usp/ctl/new-topic", "untrusted"),
                new ConfigSeeder.ControllerSeed("second", "proto::second", "usp/controller/2", "full-access")));
        assertThat(ctl.value("AssignedRole")).isEqualTo("Device.LocalAgent.ControllerTrust.Role.2");
        assertThat(ctl.rows("MTP")).singleElement()
                .satisfies(m -> assertThat(m.child("MQTT").value("Topic")).isEqualTo("usp/ctl/new-topic"));
        assertThat(model.findTable("Device.LocalAgent.Controller.").size()).isEqualTo(2);
    }

    @Test
    void identityValuesAreWrittenAndUpTimesComputed() {
        AgentIdentity id = new AgentIdentity(Map.of("Manufacturer", "Acme", "SerialNumber", "SN1",
                "ManufacturerOUI", "00D09E"), "proto::hub", "1.2.3", () -> System.currentTimeMillis() - 5_000);
        DataModel m = new DataModel(AgentSchema.build(List.of(id)));
        id.apply(m);
        assertThat(m.value("Device.DeviceInfo.Manufacturer")).isEqualTo("Acme");
        assertThat(m.value("Device.LocalAgent.EndpointID")).isEqualTo("proto::hub");
        assertThat(m.value("Device.LocalAgent.SoftwareVersion")).isEqualTo("1.2.3");
        assertThat(m.value("Device.LocalAgent.SupportedProtocols")).isEqualTo("MQTT");
        assertThat(Long.parseLong(m.value("Device.LocalAgent.UpTime"))).isBetween(5L, 60L);
        assertThat(m.value("Device.RootDataModelVersion")).isEqualTo("2.19");
        ObjectNode pd = m.addRow(m.root(), "ProxiedDevice", Map.of());
        assertThat(m.ensureChild(pd, "DeviceInfo").value("UpTime")).as("not the hub's").isEqualTo("0");
    }
}
