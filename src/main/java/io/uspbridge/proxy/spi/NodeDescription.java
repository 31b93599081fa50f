package io.uspbridge.proxy.spi;

import java.util.List;

/**
 * A sub-unit of a device (a Zigbee endpoint, a Z-Wave multi-channel endpoint, one outlet of a power strip), which
 * becomes a {@code ProxiedDevice.{i}.Node.{i}} row with its own capabilities (PRX-4).
 *
 * @param key  stable within the device, e.g. {@code l1}
 * @param type an IoTDeviceType value or a vendor {@code X_…} value
 */
public record NodeDescription(String key, String type, String name, String description,
        List<CapabilityDescription> capabilities) {
    public NodeDescription {
        capabilities = List.copyOf(capabilities);
        name = name == null ? "" : name;
        description = description == null ? "" : description;
    }
}
