package io.uspbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.store.StoreConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {
    private final UnknownKeys keys = new UnknownKeys(List.of(AgentConfig.class, StoreConfig.class));

    @Test
    void everyKeyOfTheContractIsKnown() {
        assertThat(keys.unknown(List.of(
                "uspbridge.endpoint-id",
                "uspbridge.mqtt.url", "uspbridge.mqtt.client-id", "uspbridge.mqtt.username", "uspbridge.mqtt.password",
                "uspbridge.mqtt.tls.ca-file", "uspbridge.mqtt.tls.cert-file", "uspbridge.mqtt.tls.key-file",
                "uspbridge.mqtt.agent-topic", "uspbridge.mqtt.embedded-broker.enabled",
                "uspbridge.mqtt.embedded-broker.port",
                "uspbridge.controllers.\"acs.example\".endpoint-id", "uspbridge.controllers.lab.mqtt-topic",
                "uspbridge.controllers.lab.role", "uspbridge.store.path", "uspbridge.store.flush-delay",
                "uspbridge.device-info.serial-number", "uspbridge.messages.delete-missing-instance",
                "uspbridge.security.accept-unknown-controllers"), "uspbridge.")).isEmpty();
    }

    @Test
    void keysNoMappingKnowsAreReported() {
        assertThat(keys.unknown(List.of("uspbridge.adapters.zwave.serial-port", "uspbridge.mqtt.urll",
                "uspbridge.controllers.lab", "uspbridge.mqtt.tls", "quarkus.http.port"), "uspbridge."))
                .containsExactly("uspbridge.adapters.zwave.serial-port", "uspbridge.mqtt.urll",
                        "uspbridge.controllers.lab", "uspbridge.mqtt.tls");
    }
}
