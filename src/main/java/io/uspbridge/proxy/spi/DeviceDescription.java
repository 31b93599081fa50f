package io.uspbridge.proxy.spi;

import java.util.List;

/**
 * Everything the core needs to represent a device as a {@code Device.ProxiedDevice.{i}} row: identity, type,
 * names, hardware identity, and the capabilities of the device itself and of each of its nodes.
 *
 * @param key          globally stable identity, prefixed by the technology, e.g.
 *                     {@code zigbee:0x00158d0001a2b3c4}; the core keeps the device's instance numbers by it
 * @param type         an IoTDeviceType value ({@code Light}, {@code Sensor} …) or a vendor {@code X_…} value
 * @param name         the user-facing name (Zigbee2MQTT friendly name); a rename keeps the same key
 * @param description  free text, e.g. the vendor's model description
 * @param manufacturer for the mounted {@code DeviceInfo.Manufacturer}
 * @param model        for {@code DeviceInfo.ModelName}
 * @param firmware     for {@code DeviceInfo.SoftwareVersion}
 * @param serialNumber for {@code DeviceInfo.SerialNumber}, or empty
 * @param online       whether the device is reachable now
 */
public record DeviceDescription(String key, String type, String name, String description, String manufacturer,
        String model, String firmware, String serialNumber, boolean online,
        List<CapabilityDescription> capabilities, List<NodeDescription> nodes) {
    public DeviceDescription {
        capabilities = List.copyOf(capabilities);
        nodes = List.copyOf(nodes);
        name = name == null ? "" : name;
        description = description == null ? "" : description;
        manufacturer = manufacturer == null ? "" : manufacturer;
        model = model == null ? "" : model;
        firmware = firmware == null ? "" : firmware;
        serialNumber = serialNumber == null ? "" : serialNumber;
    }
}
