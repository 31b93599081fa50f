package io.uspbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.uspbridge.config.AgentConfig;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent's default (profile prod) is the demo that usp-ctl reaches with no options; any other profile is
 * a field agent without the demo's broker, devices and controller. A change on one side alone breaks the first run.
 */
class DemoDefaultsTest {

    private static AgentConfig config(String profile) throws Exception {
        URL properties = DemoDefaultsTest.class.getClassLoader().getResource("application.properties");
        SmallRyeConfig cfg = new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile(profile)
                .withMapping(AgentConfig.class).withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(properties, 250)).build();
        return cfg.getConfigMapping(AgentConfig.class);
    }

    @Test
    void theDefaultProfileIsTheDemoThatUspCtlReachesWithoutOptions() throws Exception {
        AgentConfig c = config("prod");
        assertThat(c.endpointId()).contains(ConnectionOptions.DEFAULT_AGENT_ID);
        assertThat(c.mqtt().embeddedBroker().enabled()).isTrue();
        assertThat("tcp://127.0.0.1:" + c.mqtt().embeddedBroker().port()).isEqualTo(ConnectionOptions.DEFAULT_BROKER);
        assertThat(c.mqtt().url()).isEqualTo(ConnectionOptions.DEFAULT_BROKER);
        assertThat(c.controllers().values()).anySatisfy(ctl -> {
            assertThat(ctl.endpointId()).isEqualTo(ConnectionOptions.DEFAULT_CONTROLLER_ID);
            assertThat(ctl.mqttTopic()).contains("usp/controller/" + ConnectionOptions.DEFAULT_CONTROLLER_ID);
            assertThat(ctl.role()).isEqualTo("full-access");
        });
        assertThat(c.adapters().virtual().enabled()).isTrue();
        assertThat(c.adapters().virtual().lights()).isEqualTo(1);
        assertThat(c.adapters().virtual().climateSensors()).isEqualTo(1);
        assertThat(c.adapters().virtual().plugs()).isEqualTo(1);
        assertThat(c.adapters().virtual().thermostats()).isEqualTo(1);
    }

    @Test
    void anyOtherProfileIsAFieldAgentWithNothingOfTheDemo() throws Exception {
        AgentConfig c = config("hub");
        assertThat(c.endpointId()).isEmpty();
        assertThat(c.mqtt().embeddedBroker().enabled()).isFalse();
        assertThat(c.controllers()).isEmpty();
        assertThat(c.adapters().virtual().enabled()).isFalse();
    }
}
