package io.uspbridge.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance checker finds what is wrong: each test takes the agent's (conforming) schema, spoils one
 * declaration the way a later change could (declarations are extended through the same builder calls), and expects
 * exactly that mismatch.
 */
class Tr181ConformanceCheckerTest {

    private static final Tr181Conformance TR181 = Tr181Conformance.load();

    private static List<String> mismatchesWith(SchemaContributor spoiler) {
        return TR181.check(AgentSchema.build(List.of(spoiler))).mismatches();
    }

    @Test
    void theUnspoiledSchemaConforms() {
        assertThat(TR181.check(AgentSchema.build()).mismatches()).isEmpty();
    }

    @Test
    void aWrongBaseTypeIsReported() {
        assertThat(mismatchesWith(b -> b.object("Device.DeviceInfo.").param("UpTime", ValueType.string())))
                .containsExactly("Device.DeviceInfo.UpTime: type string, TR-181 says unsignedInt",
                        "Device.DeviceInfo.UpTime: unit null, TR-181 says seconds",
                        // DeviceInfo is mounted under ProxiedDevice.{i}: the copy is checked too.
                        "Device.ProxiedDevice.{i}.DeviceInfo.UpTime: type string, TR-181 says unsignedInt",
                        "Device.ProxiedDevice.{i}.DeviceInfo.UpTime: unit null, TR-181 says seconds");
    }

    @Test
    void aWrongAccessIsReported() {
        assertThat(mismatchesWith(b -> b.object("Device.LocalAgent.").param("EndpointID", ValueType.string())
                .writable()))
                .containsExactly("Device.LocalAgent.EndpointID: access READ_WRITE, TR-181 says readOnly");
    }

    @Test
    void aParameterTr181DoesNotDefineIsReported() {
        assertThat(mismatchesWith(b -> b.object("Device.LocalAgent.").param("Colour", ValueType.string())))
                .containsExactly("Device.LocalAgent.Colour: parameter not in TR-181 2.19 Device.LocalAgent.");
    }

    @Test
    void aMissingOrForeignEnumerationValueIsReported() {
        assertThat(mismatchesWith(b -> b.table("Device.ProxiedDevice.{i}.").param("ProxyProtocol",
                ValueType.enumeration("Z-Wave", "ZigBee", "BLE"))))
                .containsExactly("Device.ProxiedDevice.{i}.ProxyProtocol: enumeration lacks TR-181 value 'UPnP-DM'",
                        "Device.ProxiedDevice.{i}.ProxyProtocol: enumeration value 'BLE' is not in TR-181 "
                                + "(vendor values are X_…)");
    }

    @Test
    void vendorEnumerationValuesMustBeNamedAfterTheVendor() {
        ValueType protocols = ValueType.enumeration("Z-Wave", "ZigBee", "UPnP-DM");
        assertThat(mismatchesWith(b -> b.table("Device.ProxiedDevice.{i}.").param("ProxyProtocol",
                protocols.values("X_00D09E_BLE", "X_USPBRIDGE-IO_OPCUA")))).isEmpty();
        assertThat(mismatchesWith(b -> b.table("Device.ProxiedDevice.{i}.").param("ProxyProtocol",
                protocols.values("X_BLE", "X_00d09e_BLE", "X_USPBRIDGE_BLE"))))
                .containsExactly(
                        "Device.ProxiedDevice.{i}.ProxyProtocol: vendor extension 'X_BLE' is not named "
                                + "X_<OUI or DOMAIN>_<Name> (TR-106)",
                        "Device.ProxiedDevice.{i}.ProxyProtocol: vendor extension 'X_00d09e_BLE' is not named "
                                + "X_<OUI or DOMAIN>_<Name> (TR-106)",
                        "Device.ProxiedDevice.{i}.ProxyProtocol: vendor extension 'X_USPBRIDGE_BLE' is not named "
                                + "X_<OUI or DOMAIN>_<Name> (TR-106)");
    }

    @Test
    void vendorObjectsAndParametersAreExemptButMustBeNamedAfterTheVendor() {
        assertThat(mismatchesWith(b -> {
            b.object("Device.X_USPBRIDGE-IO_Demo.").param("Anything", ValueType.string());
            b.object("Device.LocalAgent.").param("X_00D09E_Debug", ValueType.bool()).writable();
        })).isEmpty();
        assertThat(mismatchesWith(b -> {
            b.object("Device.X_Demo.").param("Anything", ValueType.string());
            b.object("Device.LocalAgent.").param("X_debug_Flag", ValueType.bool());
        })).containsExactly(
                "Device.LocalAgent.X_debug_Flag: vendor extension 'X_debug_Flag' is not named "
                        + "X_<OUI or DOMAIN>_<Name> (TR-106)",
                "Device.X_Demo.: vendor extension 'X_Demo' is not named X_<OUI or DOMAIN>_<Name> (TR-106)");
    }

    @Test
    void aWrongCommandModeIsReported() {
        assertThat(mismatchesWith(b -> b.object("Device.").command("Reboot()").async()))
                .containsExactly("Device.Reboot(): must be synchronous");
    }

    @Test
    void mountedCopiesAreCheckedAgainstTheirTemplate() {
        assertThat(mismatchesWith(b -> b.object("Device.IoTCapability.{i}.BinaryControl.")
                .param("Value", ValueType.string()).writable()))
                .containsExactlyInAnyOrder(
                        "Device.ProxiedDevice.{i}.IoTCapability.{i}.BinaryControl.Value: type string, "
                                + "TR-181 says boolean",
                        "Device.ProxiedDevice.{i}.Node.{i}.IoTCapability.{i}.BinaryControl.Value: type string, "
                                + "TR-181 says boolean",
                        "Device.Node.{i}.IoTCapability.{i}.BinaryControl.Value: type string, TR-181 says boolean",
                        "Device.IoTCapability.{i}.BinaryControl.Value: type string, TR-181 says boolean");
    }

    @Test
    void onlyTopLevelObjectsMayBeMounted() {
        assertThat(mismatchesWith(b -> b.mount("Device.Node.{i}.", "Device.LocalAgent.Controller.{i}.")))
                .contains("Device.Node.{i}.Controller.{i}.: mounted copy of Device.Controller.{i}., which is not "
                        + "in TR-181 2.19");
    }

    @Test
    void wrongArgumentsAreReported() {
        assertThat(mismatchesWith(b -> b.object("Device.").command("ScheduleTimer()")
                .input("Extra", ValueType.string())))
                .containsExactly("Device.ScheduleTimer() input Extra: argument not in TR-181 2.19");
    }

    @Test
    void wrongDefaultsKeysAndReferencesAreReported() {
        assertThat(mismatchesWith(b -> {
            b.table("Device.LocalAgent.Controller.{i}.").param("Enable", ValueType.bool()).writable()
                    .defaultValue("true");
            b.table("Device.LocalAgent.ControllerTrust.Role.{i}.").nonFunctionalKey("Enable");
            b.table("Device.LocalAgent.Subscription.{i}.").param("Recipient",
                    ValueType.string().pathRef("Device.LocalAgent.Controller.", false));
            b.table("Device.LocalAgent.MTP.{i}.").access(TableAccess.READ_ONLY);
        })).containsExactlyInAnyOrder(
                "Device.LocalAgent.Controller.{i}.Enable: default 'true', TR-181 says 'false'",
                "Device.LocalAgent.ControllerTrust.Role.{i}.: unique keys [functional:[Name], nonfunctional:[Alias], "
                        + "nonfunctional:[Enable]], TR-181 says [functional:[Name], nonfunctional:[Alias]]",
                "Device.LocalAgent.Subscription.{i}.Recipient: reference is weak, TR-181 says strong",
                "Device.LocalAgent.MTP.{i}.: object access READ_ONLY, TR-181 says readWrite (ADD_DELETE)");
    }

    @Test
    void anObjectTr181DoesNotDefineIsReported() {
        assertThat(mismatchesWith(b -> b.table("Device.LocalAgent.Gadget.{i}.")))
                .containsExactly("Device.LocalAgent.GadgetNumberOfEntries: parameter not in TR-181 2.19 "
                        + "Device.LocalAgent.",
                        "Device.LocalAgent.Gadget.{i}.: not in TR-181 2.19 (or not listed in objects.txt)");
    }

    @Test
    void wrongListsLengthsRangesAndPresenceAreReported() {
        assertThat(mismatchesWith(b -> {
            SchemaBuilder.ObjectBuilder sub = b.table("Device.LocalAgent.Subscription.{i}.");
            sub.param("TriggerConfigSettings", ValueType.string().list(0, 8)).writable();
            sub.param("ID", ValueType.string(64)).writable();
            sub.param("NotifType", ValueType.enumeration("ValueChange", "ObjectCreation", "ObjectDeletion",
                    "OperationComplete", "Event").list()).writable();
            b.table("Device.LocalAgent.Controller.{i}.").param("USPNotifRetryIntervalMultiplier",
                    ValueType.unsignedInt().range(1000, 65534)).writable().defaultValue("2000");
            b.object("Device.LocalAgent.ControllerTrust.").optional();
        })).containsExactlyInAnyOrder(
                "Device.LocalAgent.Subscription.{i}.TriggerConfigSettings: maxItems 8, TR-181 says 16",
                "Device.LocalAgent.Subscription.{i}.ID: minLength 0, TR-181 says 1",
                "Device.LocalAgent.Subscription.{i}.NotifType: is not a list in TR-181",
                "Device.LocalAgent.Controller.{i}.USPNotifRetryIntervalMultiplier: ranges [[1000:65534]], "
                        + "TR-181 says [[1000:65535]]",
                "Device.LocalAgent.ControllerTrust.: must not be optional (TR-181 minEntries 1)");
    }

    @Test
    void everyArgumentOfACommandOrEventMustBeDeclaredWithItsMandatoryFlag() {
        Tr181Conformance extract = Tr181Conformance.of(List.of(
                "object\tDevice.\taccess=readOnly\tminEntries=1\tmaxEntries=1",
                "command\tDevice.Reboot()\tasync=false",
                "input\tDevice.Reboot()\tCause\tmandatory=true\ttype=string",
                "input\tDevice.Reboot()\tReason\tmandatory=false\ttype=string",
                "output\tDevice.Reboot()\tResult\ttype=unsignedInt\trange=0:9",
                "event\tDevice.Boot!",
                "arg\tDevice.Boot!\tCause\ttype=string\tdefault=parameter:Local"));
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        SchemaBuilder.ObjectBuilder device = b.object("Device.");
        device.command("Reboot()").input("Cause", ValueType.string()).output("Result", ValueType.unsignedInt());
        device.event("Boot!").arg("Cause", ValueType.string());

        assertThat(extract.check(b.build()).mismatches()).containsExactlyInAnyOrder(
                "Device.Reboot() input Cause: must be mandatory",
                "Device.Reboot() input Reason: TR-181 argument not declared",
                "Device.Reboot() output Result: ranges [], TR-181 says [[0:9]]",
                "Device.Boot! arg Cause: TR-181 default 'Local' is not declared");
    }
}
