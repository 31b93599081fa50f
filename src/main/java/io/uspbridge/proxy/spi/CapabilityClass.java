package io.uspbridge.proxy.spi;

/**
 * The eight kinds of IoT capability (TR-181 {@code IoTCapability.{i}.Class}). An adapter decides which one a device
 * feature is; the core turns it into the matching {@code IoTCapability.{i}} row.
 */
public enum CapabilityClass {
    /** An on/off or locked/unlocked output that can be written (value: {@link CapabilityValue.Binary}). */
    BINARY_CONTROL("BinaryControl"),
    /** A numeric output with a range, e.g. brightness (value: {@link CapabilityValue.Level}). */
    LEVEL_CONTROL("LevelControl"),
    /** An output with a fixed set of states, e.g. a thermostat mode (value: {@link CapabilityValue.Enumerated}). */
    ENUM_CONTROL("EnumControl"),
    /** A true/false input, e.g. contact or motion (value: {@link CapabilityValue.Binary}). */
    BINARY_SENSOR("BinarySensor"),
    /** A numeric measurement, e.g. temperature (value: {@link CapabilityValue.Level}). */
    LEVEL_SENSOR("LevelSensor"),
    /** Several numbers read together, e.g. a colour or a location (value: {@link CapabilityValue.MultiLevel}). */
    MULTI_LEVEL_SENSOR("MultiLevelSensor"),
    /** A state from a fixed set, e.g. an operating state (value: {@link CapabilityValue.Enumerated}). */
    ENUM_SENSOR("EnumSensor"),
    /** Opaque bytes or text, e.g. an image or an RFID id (value: {@link CapabilityValue.Blob}). */
    BLOB_SENSOR("BlobSensor");

    private final String modelName;

    CapabilityClass(String modelName) {
        this.modelName = modelName;
    }

    /** The TR-181 name, also the name of the capability's sub-object. */
    public String modelName() {
        return modelName;
    }

    public boolean isControl() {
        return this == BINARY_CONTROL || this == LEVEL_CONTROL || this == ENUM_CONTROL;
    }
}
