package io.uspbridge.agent;

import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.ValueType;

/**
 * {@code Device.DeviceInfo.}, core subset (the DeviceInfo:1 profile and the identity a controller needs). No
 * {@code FirmwareImage.{i}}: the agent cannot download firmware. The same declaration is mounted under every
 * {@code ProxiedDevice.{i}} by {@code IoTSchema}, where it describes the proxied device.
 */
public final class DeviceInfoSchema implements SchemaContributor {

    @Override
    public void contribute(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder info = schema.object("Device.DeviceInfo.");
        info.param("Manufacturer", ValueType.string(64));
        // 6 upper-case hex digits; must never change (a change means a new agent: Boot! with LocalFactoryReset).
        info.param("ManufacturerOUI", ValueType.string().length(6, 6).pattern("[0-9A-F]{6}"));
        info.param("ModelName", ValueType.string(64));
        info.param("ModelNumber", ValueType.string(64));
        info.param("Description", ValueType.string(256));
        info.param("ProductClass", ValueType.string(64));
        info.param("SerialNumber", ValueType.string(64));
        info.param("HardwareVersion", ValueType.string(64));
        info.param("SoftwareVersion", ValueType.string(64));
        info.param("ProvisioningCode", ValueType.string(64)).writable();
        info.param("UpTime", ValueType.unsignedInt().unit("seconds"));
        info.param("FirstUseDate", ValueType.dateTime());
        info.param("FriendlyName", ValueType.string(32)).writable();
    }
}
