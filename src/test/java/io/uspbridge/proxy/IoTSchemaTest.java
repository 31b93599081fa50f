package io.uspbridge.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Schema;
import io.uspbridge.model.Transaction;
import io.uspbridge.proxy.spi.CapabilityClass;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where proxied devices and their capabilities live in the agent's model (PRX-1…5, AGENT-REQUIREMENTS §15). */
class IoTSchemaTest {

    private final Schema schema = AgentSchema.build();

    @Test
    void capabilitiesAreMountedUnderEveryMountPointWithTheirCounts() {
        for (String mountPoint : new String[] {"Device.", IoTSchema.PROXIED_DEVICE, IoTSchema.PROXIED_NODE,
                IoTSchema.NODE}) {
            ObjectDef at = schema.object(mountPoint);
            assertThat(at.param("IoTCapabilityNumberOfEntries")).as(mountPoint + " count (PRX-5)").isNotNull();
            ObjectDef cap = schema.object(mountPoint + "IoTCapability.{i}.");
            assertThat(cap).as(mountPoint).isNotNull();
            for (CapabilityClass c : CapabilityClass.values()) {
                ObjectDef classObject = cap.child(c.modelName());
                assertThat(classObject).as(mountPoint + c.modelName()).isNotNull();
                assertThat(classObject.isOptional()).as("only the class the row's Class names exists").isTrue();
            }
        }
        assertThat(schema.object(IoTSchema.PROXIED_DEVICE).isMountPoint()).isTrue();
        assertThat(schema.object(IoTSchema.PROXIED_NODE).isMountPoint()).isTrue();
        assertThat(schema.object(IoTSchema.NODE).isMountPoint()).isTrue();
    }

    @Test
    void aProxiedDeviceCarriesItsOwnDeviceInfoButANodeDoesNot() {
        ObjectDef info = schema.object(IoTSchema.PROXIED_DEVICE + "DeviceInfo.");
        assertThat(info).isNotNull();
        assertThat(info.isOptional()).isTrue();
        assertThat(info.param("Manufacturer")).isNotNull();
        assertThat(schema.object(IoTSchema.PROXIED_NODE + "DeviceInfo.")).isNull();
        assertThat(schema.object(IoTSchema.NODE + "DeviceInfo.")).isNull();
    }

    @Test
    void theClassEnumerationNamesTheAdapterSpiClasses() {
        assertThat(schema.object(IoTSchema.CAPABILITY).param("Class").type().enumeration())
                .containsExactly(Arrays.stream(CapabilityClass.values()).map(CapabilityClass::modelName)
                        .toArray(String[]::new));
    }

    @Test
    void theAgentCreatesDevicesAndCapabilitiesAndControllersCannot() {
        DataModel model = new DataModel(schema);
        ObjectNode device = model.addRow(model.root(), "ProxiedDevice",
                Map.of("Type", "Light", "ProxyProtocol", "ZigBee", "Name", "Kitchen", "Online", "true"));
        ObjectNode cap = model.addRow(device, "IoTCapability", Map.of("Name", "power", "Class", "BinaryControl"));
        ObjectNode binary = model.ensureChild(cap, "BinaryControl");
        model.set(binary, "Type", "Switch");
        model.set(binary, "Value", "1");

        assertThat(model.value("Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.Value")).isEqualTo("true");
        assertThat(device.value("IoTCapabilityNumberOfEntries")).isEqualTo("1");
        assertThat(model.value("Device.ProxiedDeviceNumberOfEntries")).isEqualTo("1");
        assertThat(cap.child("LevelControl")).isNull();
        assertThat(cap.value("Alias")).isEqualTo("cpe-1");

        try (Transaction tx = model.begin("proto::controller")) {
            assertThatThrownBy(() -> tx.addRowByController(model.root().table("ProxiedDevice")))
                    .isInstanceOfSatisfying(ModelException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CREATABLE.code()));
            assertThatThrownBy(() -> tx.addRowByController(device.table("IoTCapability")))
                    .isInstanceOf(ModelException.class);
        }
        assertThatThrownBy(() -> model.set(device, "Type", "Toaster"))
                .as("IoTDeviceType values only (vendors add X_ values)").isInstanceOf(ModelException.class);
    }
}
