package io.uspbridge.proxy.spi;

import java.math.BigDecimal;
import java.util.List;

/**
 * One feature of a device, as the adapter maps it: which capability class, which TR-181 type (an IoTLevelType,
 * IoTEnumControlType… value, or the BinaryControl/BinarySensor/MultiLevelSensor/BlobSensor type, or a vendor
 * {@code X_…} value), the metric unit, the range and step, the valid values, and whether it can be written.
 *
 * @param key         stable within the device (and node), e.g. {@code state}, {@code brightness}, {@code l2/state}
 * @param description free text for {@code IoTCapability.{i}.Description}-style use (may be empty)
 * @param unit        an IoTUnitType value, or null/empty when the class has no unit
 * @param min         LevelControl MinValue (null when not applicable)
 * @param max         LevelControl MaxValue (null when not applicable)
 * @param step        LevelControl StepValue for StepUp()/StepDown() (null = no stepping)
 * @param validValues EnumControl/EnumSensor ValidValues, in order (StepUp/StepDown cycle through it)
 * @param valueNames  MultiLevelSensor ValueNames, in order (e.g. {@code Latitude, Longitude})
 * @param initial     the value when known at discovery, else null
 */
public record CapabilityDescription(String key, CapabilityClass capabilityClass, String type, String name,
        String description, String unit, BigDecimal min, BigDecimal max, BigDecimal step, List<String> validValues,
        List<String> valueNames, CapabilityValue initial) {

    public CapabilityDescription {
        validValues = validValues == null ? List.of() : List.copyOf(validValues);
        valueNames = valueNames == null ? List.of() : List.copyOf(valueNames);
        name = name == null ? "" : name;
        description = description == null ? "" : description;
        unit = unit == null ? "" : unit;
    }

    /** Whether a controller may write this feature (every control class; sensors never). */
    public boolean writable() {
        return capabilityClass.isControl();
    }
}
