package io.uspbridge.agent;

import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.ValueType;

/**
 * {@code Device.} itself (TR-181 2.19): the root model version, the reboot and factory-reset commands, the timer
 * and the {@code Boot!} event (Reboot:1 profile). The {@code …NumberOfEntries} counts of the top-level tables are
 * added by {@link SchemaBuilder} when those tables are declared.
 */
public final class DeviceRootSchema implements SchemaContributor {

    /** The TR-181 version this agent implements, the value of {@code Device.RootDataModelVersion}. */
    public static final String ROOT_DATA_MODEL_VERSION = "2.19";

    @Override
    public void contribute(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder device = schema.object("Device.");
        device.param("RootDataModelVersion", ValueType.string(32).pattern("2\\.\\d+"))
                .defaultValue(ROOT_DATA_MODEL_VERSION);

        // Cause and Reason are reported in the Boot! that follows; the defaults are those the DM text names.
        device.command("Reboot()")
                .input("Cause", ValueType.enumeration("LocalReboot", "RemoteReboot"), "RemoteReboot")
                .input("Reason", ValueType.string(), "Unknown");
        device.command("FactoryReset()")
                .input("Cause", ValueType.enumeration("LocalFactoryReset", "RemoteFactoryReset"), "RemoteFactoryReset")
                .input("Reason", ValueType.string(), "Unknown");
        // The OperationComplete comes DelaySeconds after the Operate; the pending timer survives reboots.
        device.command("ScheduleTimer()").async()
                .mandatoryInput("DelaySeconds", ValueType.unsignedInt().range(1, null).unit("seconds"));

        device.event("Boot!")
                .arg("CommandKey", ValueType.string())
                .arg("Cause", ValueType.enumeration("LocalReboot", "RemoteReboot", "FactoryReset", "LocalFactoryReset",
                        "RemoteFactoryReset"))
                .arg("Reason", ValueType.string())
                .arg("FirmwareUpdated", ValueType.bool())
                .arg("ParameterMap", ValueType.string().named("JSONObject"));
    }
}
