package io.uspbridge.app;

import io.uspbridge.agent.ConfigSeeder;
import io.uspbridge.config.AgentConfig;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the configuration contract into the values the agent seeds (the factory defaults). */
final class ConfigDefaults {
    private ConfigDefaults() {
    }

    /** The configured Endpoint ID, or {@code self::usp-bridge-<host>} (ARC-2: instance-id chars only). */
    static String endpointId(AgentConfig config) {
        return config.endpointId().filter(s -> !s.isBlank())
                .orElseGet(() -> "self::usp-bridge-" + hostName().replaceAll("[^A-Za-z0-9._-]", "-"));
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "hub";
        }
    }

    /** Device.DeviceInfo values from configuration and the host. */
    static Map<String, String> deviceInfo(AgentConfig config) {
        AgentConfig.DeviceInfo d = config.deviceInfo();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("Manufacturer", d.manufacturer());
        v.put("ManufacturerOUI", d.manufacturerOui().orElse(""));
        v.put("ModelName", d.modelName());
        v.put("ModelNumber", d.modelNumber().orElse(""));
        v.put("Description", d.description());
        v.put("ProductClass", d.productClass());
        v.put("SerialNumber", d.serialNumber().orElseGet(ConfigDefaults::hostName));
        v.put("HardwareVersion", d.hardwareVersion().orElse(System.getProperty("os.arch", "")));
        v.put("SoftwareVersion", System.getProperty("os.name", "") + " " + System.getProperty("os.version", ""));
        return v;
    }

    /** Writable DeviceInfo values seeded once (a controller may change them later). */
    static Map<String, String> writableDeviceInfo(AgentConfig config) {
        return Map.of("FriendlyName", config.deviceInfo().friendlyName().orElse(""),
                "ProvisioningCode", config.deviceInfo().provisioningCode().orElse(""));
    }

    /** The agent's MQTT client and MTP, or null when the MQTT MTP is off. */
    static ConfigSeeder.MqttSeed mqtt(AgentConfig config, String endpointId) {
        AgentConfig.Mqtt m = config.mqtt();
        if (!m.enabled()) {
            return null;
        }
        URI uri = URI.create(m.url());
        boolean tls = "ssl".equalsIgnoreCase(uri.getScheme()) || "mqtts".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 8883 : 1883);
        return new ConfigSeeder.MqttSeed(uri.getHost(), port, tls, m.clientId().orElse(""), m.username().orElse(""),
                m.password().orElse(""), m.keepAlive(), agentTopic(config, endpointId), m.publishQos(),
                m.connectRetryTime(), m.connectRetryIntervalMultiplier(), m.connectRetryMaxInterval());
    }

    static String agentTopic(AgentConfig config, String endpointId) {
        return config.mqtt().agentTopic().filter(s -> !s.isBlank()).orElse("usp/agent/" + endpointId);
    }

    static List<ConfigSeeder.ControllerSeed> controllers(AgentConfig config) {
        List<ConfigSeeder.ControllerSeed> out = new ArrayList<>();
        config.controllers().forEach((name, c) -> out.add(new ConfigSeeder.ControllerSeed(name, c.endpointId(),
                c.mqttTopic().orElse(""), c.role())));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    static Optional<String> nonBlank(Optional<String> s) {
        return s.filter(v -> !v.isBlank());
    }
}
