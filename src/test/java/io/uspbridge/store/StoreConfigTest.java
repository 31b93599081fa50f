package io.uspbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    private static StoreConfig load(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDiscoveredConverters()
                .withSources(new PropertiesConfigSource(props, "test", 100))
                .withMapping(StoreConfig.class).build();
        return config.getConfigMapping(StoreConfig.class);
    }

    @Test
    void defaultsAreAFileBesideTheAgentAndA200msWindow() {
        StoreConfig c = load(Map.of());
        assertThat(c.path()).isEqualTo(Path.of("data/uspbridge-state.db"));
        assertThat(c.flushDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void bothCanBeConfigured() {
        StoreConfig c = load(Map.of("uspbridge.store.path", "/var/lib/uspbridge/state.db",
                "uspbridge.store.flush-delay", "2s"));
        assertThat(c.path()).isEqualTo(Path.of("/var/lib/uspbridge/state.db"));
        assertThat(c.flushDelay()).isEqualTo(Duration.ofSeconds(2));
    }
}
