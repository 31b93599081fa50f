package io.uspbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.uspbridge.config.AgentConfig;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ConfigContractTest.Profile.class)
class ConfigContractTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("uspbridge.endpoint-id", "proto::contract",
                    "uspbridge.mqtt.enabled", "false",
                    "uspbridge.controllers.\"acs\".endpoint-id", "proto::acs",
                    "uspbridge.controllers.\"acs\".mqtt-topic", "usp/controller/acs",
                    // a key this build does not know (an adapter it was built without): a warning, not a failure
                    "uspbridge.adapters.zwave.serial-port", "/dev/ttyACM0");
        }
    }

    @Inject
    AgentConfig config;

    @Inject
    AgentService service;

    @Test
    void theAgentStartsFromTheConfigurationContract() throws Exception {
        assertThat(config.endpointId()).contains("proto::contract");
        assertThat(config.controllers()).containsKey("acs");
        AgentRuntime r = service.runtime();
        String role = r.loop().submit(() -> r.model().value("Device.LocalAgent.Controller.1.AssignedRole")).get();
        assertThat(role).isEqualTo("Device.LocalAgent.ControllerTrust.Role.1");
        assertThat(r.loop().submit(() -> r.model().value("Device.LocalAgent.EndpointID")).get())
                .isEqualTo("proto::contract");
    }
}
