package io.uspbridge.proxy;

import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.ValueType;

/**
 * The devices behind the hub and their IoT capabilities (TR-181 2.19, AGENT-REQUIREMENTS §14–15):
 * {@code Device.ProxiedDevice.{i}} (one row per non-USP device, PRX-1), its sub-units {@code Node.{i}} (PRX-4), the
 * hub's own {@code Device.Node.{i}}, and {@code Device.IoTCapability.{i}} with its eight class objects.
 *
 * <p>The three tables are mount points ({@code mountType="mountPoint"} in the XML). TR-106 makes every top-level
 * object of {@code Device.} mountable, so {@code IoTCapability.{i}} is mounted under each of them, and
 * {@code DeviceInfo.} under {@code ProxiedDevice.{i}} to identify the proxied device (PRX-2). Nodes get no
 * {@code DeviceInfo.}: a node is a functional part of its device, not separate hardware. All rows are agent-managed
 * (Add → 7019): the proxy creates them as devices join and removes them as they leave.
 *
 * <p>The IoT enumerations (device, level, unit, enum-control, enum-sensor and blob types, the binary and multi-level
 * types, {@code ProxyProtocol}) take vendor values {@code X_<VENDOR>_<Name>} besides TR-181's (TR-106 3.3, PRX-3):
 * the agent fills them from what its adapters know, and a controller cannot write them.
 */
public final class IoTSchema implements SchemaContributor {

    /** {@code IoTDeviceType}: what a proxied device or node is. */
    public static final ValueType DEVICE_TYPE = ValueType.enumeration("Alarm", "AntiTheft", "Bell", "Clock", "Door",
            "Fan", "GarageDoor", "HVAC", "Light", "Lock", "Meter", "Motor", "Oven", "PowerStrip", "Sensor",
            "SensorStrip", "Siren", "Thermostat").named("IoTDeviceType").vendorValues();

    /** {@code IoTLevelType}: the quantity of a LevelControl or LevelSensor. */
    public static final ValueType LEVEL_TYPE = ValueType.enumeration("Acceleration", "Area", "Battery", "Brightness",
            "Concentration", "Conductivity", "Distance", "Energy", "Flow", "Humidity", "Intensity", "Luminance",
            "Meter", "Motion", "Position", "Power", "Pressure", "Radiation", "Speed", "Temperature", "Volume",
            "Weight", "Depth", "Counter", "Duration").named("IoTLevelType").vendorValues();

    /** {@code IoTUnitType}: metric units only. */
    public static final ValueType UNIT_TYPE = ValueType.enumeration("-", "%", "deg", "degC", "degF", "K", "km", "m",
            "cm", "mm", "h", "min", "s", "ms", "sq-km", "sq-m", "sq-cm", "cu-m", "l", "cl", "ml", "kg", "g", "mg",
            "Wh", "kWh", "W", "A", "Hz", "V", "N", "Pa", "C", "F", "ohm", "S", "Wb", "T", "H", "lm", "lx", "mps",
            "cd", "mol", "UV", "RGB", "ppm", "Sv", "J", "rpm", "pps", "cu-m/s", "liter/s", "dB", "dBm", "eV")
            .named("IoTUnitType").vendorValues();

    /** {@code IoTEnumControlType}. */
    public static final ValueType ENUM_CONTROL_TYPE = ValueType.enumeration("AlarmMode", "DoorMode", "FanMode",
            "LockMode", "OperatingMode", "TemperatureMode", "ThermostatMode").named("IoTEnumControlType").vendorValues();

    /** {@code IoTEnumSensorType}. */
    public static final ValueType ENUM_SENSOR_TYPE = ValueType.enumeration("AlarmState", "DoorState", "FanState",
            "LockState", "OperatingState", "TemperatureState", "ThermostatFanState").named("IoTEnumSensorType").vendorValues();

    /** {@code IoTBlobSensorType}: what the bytes of a BlobSensor are. */
    public static final ValueType BLOB_SENSOR_TYPE = ValueType.enumeration("ascii", "base64", "id", "gif", "jpeg",
            "json", "numberplate", "text", "url", "raw", "utf-8", "utf-16", "utf-32", "uuid", "xml", "yaml")
            .named("IoTBlobSensorType").vendorValues();

    public static final String PROXIED_DEVICE = "Device.ProxiedDevice.{i}.";
    public static final String PROXIED_NODE = "Device.ProxiedDevice.{i}.Node.{i}.";
    public static final String NODE = "Device.Node.{i}.";
    public static final String CAPABILITY = "Device.IoTCapability.{i}.";

    private static final ValueType DESCRIPTION = ValueType.string(256);

    @Override
    public void contribute(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder device = schema.table(PROXIED_DEVICE).mountPoint().alias();
        device.param("Type", DEVICE_TYPE);
        device.param("Description", DESCRIPTION);
        device.param("Name", ValueType.string(64)).writable();
        device.param("Online", ValueType.bool());
        device.param("LastTimeContacted", ValueType.dateTime());
        // A strong reference to the local protocol object (e.g. a Device.ZigBee.Interface row), any table.
        device.param("InterfaceReference", ValueType.string().pathRef(null, true));
        // Other technologies (BLE, OPC UA) need vendor values X_<OUI or DOMAIN>_<Name> (PRX-3), added by their adapters.
        device.param("ProxyProtocol", ValueType.enumeration("Z-Wave", "ZigBee", "UPnP-DM")
                .vendorValues());

        node(schema.table(PROXIED_NODE).mountPoint().alias());
        node(schema.table(NODE).mountPoint().alias());

        capability(schema);

        for (String mountPoint : new String[] {PROXIED_DEVICE, PROXIED_NODE, NODE}) {
            schema.mount(mountPoint, CAPABILITY);
        }
        schema.mount(PROXIED_DEVICE, "Device.DeviceInfo.");
    }

    private static void node(SchemaBuilder.ObjectBuilder node) {
        node.param("Type", DEVICE_TYPE);
        node.param("Description", DESCRIPTION);
    }

    private static void capability(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder cap = schema.table(CAPABILITY).alias().nonFunctionalKey("Name");
        // Name is a non-functional key: unique, fixed once the row exists (R-KEY.1), generated when not given.
        cap.param("Name", ValueType.string(64)).writable().generatedBy(row -> "capability-" + row.instance());
        // Names the one class object present in the row (discriminator).
        cap.param("Class", ValueType.enumeration("BinaryControl", "LevelControl", "EnumControl", "BinarySensor",
                "LevelSensor", "MultiLevelSensor", "EnumSensor", "BlobSensor"));

        SchemaBuilder.ObjectBuilder binaryControl = classObject(schema, "BinaryControl");
        binaryControl.param("Type", ValueType.enumeration("Switch", "Locked").vendorValues());
        binaryControl.param("Description", DESCRIPTION);
        binaryControl.param("Value", ValueType.bool()).writable();
        binaryControl.command("Toggle()").async();

        // StepUp()/StepDown() clamp at MinValue/MaxValue without an error.
        SchemaBuilder.ObjectBuilder levelControl = classObject(schema, "LevelControl");
        levelControl.param("Type", LEVEL_TYPE);
        levelControl.param("Description", DESCRIPTION);
        levelControl.param("Value", ValueType.decimal()).writable();
        levelControl.param("Unit", UNIT_TYPE);
        levelControl.param("MinValue", ValueType.decimal());
        levelControl.param("MaxValue", ValueType.decimal());
        levelControl.param("StepValue", ValueType.decimal()).writable();
        levelControl.command("StepUp()").async();
        levelControl.command("StepDown()").async();

        // StepUp()/StepDown() cycle through ValidValues in list order, wrapping around.
        SchemaBuilder.ObjectBuilder enumControl = classObject(schema, "EnumControl");
        enumControl.param("Type", ENUM_CONTROL_TYPE);
        enumControl.param("Description", DESCRIPTION);
        enumControl.param("Value", ValueType.string()).writable();
        enumControl.param("ValidValues", ValueType.string(64).list());
        enumControl.command("StepUp()").async();
        enumControl.command("StepDown()").async();

        SchemaBuilder.ObjectBuilder binarySensor = classObject(schema, "BinarySensor");
        binarySensor.param("Type", ValueType.enumeration("CarbonDioxideDetected", "CarbonMonoxideDetected",
                "DoorOpen", "MotionDetected", "SmokeDetected", "WindowOpen", "WaterDetected").vendorValues());
        binarySensor.param("Description", DESCRIPTION);
        binarySensor.param("Value", ValueType.bool());
        binarySensor.param("LastChange", ValueType.dateTime());
        binarySensor.param("LastContactTime", ValueType.dateTime());
        binarySensor.param("Sensitivity", ValueType.unsignedInt().range(null, 100)).writable();
        binarySensor.param("HoldTime", ValueType.unsignedInt().unit("milliseconds")).writable();
        binarySensor.param("RestTime", ValueType.unsignedInt().unit("milliseconds")).writable();

        SchemaBuilder.ObjectBuilder levelSensor = classObject(schema, "LevelSensor");
        levelSensor.param("Type", LEVEL_TYPE);
        levelSensor.param("Description", DESCRIPTION);
        levelSensor.param("Value", ValueType.decimal());
        levelSensor.param("LastChange", ValueType.dateTime());
        levelSensor.param("LastContactTime", ValueType.dateTime());
        levelSensor.param("Unit", UNIT_TYPE);
        levelSensor.param("LowLevel", ValueType.bool());
        levelSensor.param("LowLevelThreshold", ValueType.decimal()).writable();
        levelSensor.param("HighLevel", ValueType.bool());
        levelSensor.param("HighLevelThreshold", ValueType.decimal()).writable();

        // Values are read together; ValueNames says what each is (e.g. "Latitude,Longitude").
        SchemaBuilder.ObjectBuilder multiLevelSensor = classObject(schema, "MultiLevelSensor");
        multiLevelSensor.param("Type", ValueType.enumeration("RGB", "Location").vendorValues());
        multiLevelSensor.param("Description", DESCRIPTION);
        multiLevelSensor.param("Values", ValueType.decimal().list(2, -1));
        multiLevelSensor.param("ValueNames", ValueType.string().list(2, -1));
        multiLevelSensor.param("LastChange", ValueType.dateTime());
        multiLevelSensor.param("LastContactTime", ValueType.dateTime());
        multiLevelSensor.param("Unit", UNIT_TYPE);

        SchemaBuilder.ObjectBuilder enumSensor = classObject(schema, "EnumSensor");
        enumSensor.param("Type", ENUM_SENSOR_TYPE);
        enumSensor.param("Description", DESCRIPTION);
        enumSensor.param("Value", ValueType.string());
        enumSensor.param("LastChange", ValueType.dateTime());
        enumSensor.param("LastContactTime", ValueType.dateTime());
        enumSensor.param("ValidValues", ValueType.string(64).list());

        SchemaBuilder.ObjectBuilder blobSensor = classObject(schema, "BlobSensor");
        blobSensor.param("Type", BLOB_SENSOR_TYPE);
        blobSensor.param("Description", DESCRIPTION);
        blobSensor.param("LastChange", ValueType.dateTime());
        blobSensor.param("LastContactTime", ValueType.dateTime());
        blobSensor.param("Value", ValueType.base64());
    }

    /** A class object: present only in the rows whose {@code Class} names it (minEntries 0, maxEntries 1). */
    private static SchemaBuilder.ObjectBuilder classObject(SchemaBuilder schema, String className) {
        return schema.object(CAPABILITY + className + ".").presentWhen("Class", className);
    }
}
