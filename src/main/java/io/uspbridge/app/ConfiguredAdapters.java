package io.uspbridge.app;

import io.uspbridge.adapter.virtual.VirtualAdapter;
import io.uspbridge.adapter.virtual.VirtualSettings;
import io.uspbridge.adapter.zigbee2mqtt.Zigbee2MqttAdapter;
import io.uspbridge.adapter.zigbee2mqtt.Zigbee2MqttSettings;
import io.uspbridge.config.AgentConfig;
import io.uspbridge.proxy.spi.Adapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The adapters the configuration enables ({@code uspbridge.adapters.*}), new for each run of the agent. */
final class ConfiguredAdapters {
    private ConfiguredAdapters() {
    }

    static List<Adapter> of(AgentConfig config) {
        List<Adapter> out = new ArrayList<>();
        AgentConfig.Zigbee2Mqtt z = config.adapters().zigbee2mqtt();
        if (z.enabled()) {
            out.add(new Zigbee2MqttAdapter(zigbee2mqtt(z, config.proxy())));
        }
        AgentConfig.Virtual v = config.adapters().virtual();
        if (v.enabled()) {
            out.add(new VirtualAdapter(virtual(v)));
        }
        return out;
    }

    static Zigbee2MqttSettings zigbee2mqtt(AgentConfig.Zigbee2Mqtt z, AgentConfig.Proxy proxy) {
        Zigbee2MqttSettings s = Zigbee2MqttSettings.of(z.url()).withBaseTopic(z.baseTopic())
                // The adapter gives up at the proxy's write timeout too; either way the parameter fails with 7009.
                .withTimeouts(proxy.writeTimeout(), null);
        if (z.clientId().isPresent()) {
            s = s.withClientId(z.clientId().get());
        }
        if (z.username().isPresent() || z.password().isPresent()) {
            s = s.withCredentials(z.username().orElse(null), z.password().orElse(null));
        }
        AgentConfig.Tls tls = z.tls();
        if (tls.caFile().isPresent() || tls.certFile().isPresent() || tls.keyFile().isPresent()) {
            s = s.withTls(new Zigbee2MqttSettings.Tls(path(tls.caFile()), path(tls.certFile()),
                    path(tls.keyFile())));
        }
        if (z.profileFolder().isPresent()) {
            s = s.withProfileFolder(Path.of(z.profileFolder().get()));
        }
        return s;
    }

    static VirtualSettings virtual(AgentConfig.Virtual v) {
        VirtualSettings s = new VirtualSettings(v.lights(), v.climateSensors(), v.plugs(), v.thermostats(),
                v.multiSensors(), v.reportInterval(), v.ackDelay(), null, null);
        return v.seed().isPresent() ? s.withSeed(v.seed().get()) : s;
    }

    private static Path path(Optional<String> p) {
        return p.map(Path::of).orElse(null);
    }
}
