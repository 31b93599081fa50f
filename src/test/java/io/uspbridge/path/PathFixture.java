package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Schema;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A realistic slice of TR-181 for path tests: LocalAgent with controllers (nested BootParameter and MTP tables, a
 * single-instance E2ESession, a list of strong Role references and a list of weak ones), subscriptions (list
 * parameters, a strong reference, numbers and date-times), ControllerTrust roles with a nested Permission table,
 * MQTT clients referenced from MTP.{i}.MQTT.Reference, hosts with a reference of undeclared target, hexBinary and
 * negative ints, periodic-statistics sample sets with a numeric list, and ProxiedDevice rows (a mount point) with
 * mounted IoTCapability tables whose class objects are optional.
 */
final class PathFixture {
    static final String ROLE = "Device.LocalAgent.ControllerTrust.Role.";

    private PathFixture() {
    }

    static Schema schema() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:broadband-forum-org:tr-181-2-19-1");
        SchemaBuilder.ObjectBuilder device = b.object("Device.");
        device.command("Reboot()");
        device.event("Boot!").arg("Cause", ValueType.string());
        SchemaBuilder.ObjectBuilder di = b.object("Device.DeviceInfo.");
        di.param("Manufacturer", ValueType.string(64)).defaultValue("Example");
        di.param("SerialNumber", ValueType.string(64)).defaultValue("0001");
        di.param("UpTime", ValueType.unsignedInt()).computed(n -> "42");

        b.object("Device.LocalAgent.").param("EndpointID", ValueType.string()).defaultValue("proto::agent");
        b.object("Device.LocalAgent.ControllerTrust.");
        b.object("Device.MQTT.");
        b.object("Device.Hosts.");
        b.object("Device.PeriodicStatistics.");

        SchemaBuilder.ObjectBuilder role = b.table(ROLE + "{i}.").access(TableAccess.ADD_DELETE).alias()
                .functionalKey("Name");
        role.param("Name", ValueType.string(64)).writable();
        role.param("Enable", ValueType.bool()).writable().defaultValue("false");
        SchemaBuilder.ObjectBuilder perm = b.table(ROLE + "{i}.Permission.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("Order");
        perm.param("Enable", ValueType.bool()).writable();
        perm.param("Order", ValueType.unsignedInt()).writable();
        perm.param("Targets", ValueType.string().list()).writable();
        perm.param("Param", ValueType.string(4)).writable().defaultValue("----");

        SchemaBuilder.ObjectBuilder client = b.table("Device.MQTT.Client.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("Name");
        client.param("Name", ValueType.string(64)).writable();
        client.param("BrokerAddress", ValueType.string(256)).writable();
        client.param("BrokerPort", ValueType.unsignedInt().range(1, 65535)).writable().defaultValue("1883");

        SchemaBuilder.ObjectBuilder c = b.table("Device.LocalAgent.Controller.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("EndpointID").enableParam("Enable");
        c.param("EndpointID", ValueType.string(256)).writable();
        c.param("Enable", ValueType.bool()).writable().defaultValue("false");
        c.param("PeriodicNotifInterval", ValueType.unsignedInt().range(1, null)).writable().defaultValue("86400");
        c.param("ProvisioningCode", ValueType.string(64)).writable();
        c.param("AssignedRole", ValueType.string().list().pathRef(ROLE, true)).writable();
        c.param("InheritedRole", ValueType.string().list().pathRef(ROLE, false)).writable();
        c.command("SendOnBoardRequest()");
        b.object("Device.LocalAgent.Controller.{i}.E2ESession.")
                .param("Status", ValueType.enumeration("Up", "Down", "Negotiating")).defaultValue("Down");
        SchemaBuilder.ObjectBuilder bp = b.table("Device.LocalAgent.Controller.{i}.BootParameter.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("ParameterName");
        bp.param("Enable", ValueType.bool()).writable().defaultValue("false");
        bp.param("ParameterName", ValueType.string(256)).writable();
        SchemaBuilder.ObjectBuilder mtp = b.table("Device.LocalAgent.Controller.{i}.MTP.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("Protocol");
        mtp.param("Enable", ValueType.bool()).writable();
        mtp.param("Protocol", ValueType.enumeration("MQTT", "WebSocket")).writable().defaultValue("MQTT");
        SchemaBuilder.ObjectBuilder mqtt = b.object("Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT.");
        mqtt.param("Reference", ValueType.string().pathRef("Device.MQTT.Client.", true)).writable();
        mqtt.param("Topic", ValueType.string(65535)).writable();

        SchemaBuilder.ObjectBuilder s = b.table("Device.LocalAgent.Subscription.{i}.").access(TableAccess.ADD_DELETE)
                .alias().nonFunctionalKey("Recipient", "ID");
        s.param("Enable", ValueType.bool()).writable().defaultValue("false");
        s.param("Recipient", ValueType.string().pathRef("Device.LocalAgent.Controller.", true));
        s.param("ID", ValueType.string(64).minLength(1)).writable().generatedBy(r -> "sub-" + r.instance());
        s.param("NotifType", ValueType.enumeration("ValueChange", "ObjectCreation", "ObjectDeletion", "Event"))
                .writable();
        s.param("ReferenceList", ValueType.string(256).list()).writable();
        s.param("NotifExpiration", ValueType.unsignedInt()).writable();
        s.param("CreationDate", ValueType.dateTime());

        SchemaBuilder.ObjectBuilder host = b.table("Device.Hosts.Host.{i}.").functionalKey("PhysAddress");
        host.param("PhysAddress", ValueType.string(64));
        host.param("Active", ValueType.bool());
        host.param("Layer1Interface", ValueType.string(256).pathRef("", false)); // any kind of interface
        host.param("LeaseTimeRemaining", ValueType.integer().range(-1, null)).defaultValue("0");
        host.param("ClientID", ValueType.hexBinary());

        SchemaBuilder.ObjectBuilder ss = b.table("Device.PeriodicStatistics.SampleSet.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("Name");
        ss.param("Name", ValueType.string(128)).writable();
        ss.param("SampleSeconds", ValueType.unsignedInt().list());
        ss.param("Ratio", ValueType.decimal());

        SchemaBuilder.ObjectBuilder pd = b.table("Device.ProxiedDevice.{i}.").mountPoint().alias()
                .functionalKey("Name");
        pd.param("Name", ValueType.string(64));
        pd.param("Online", ValueType.bool());
        SchemaBuilder.ObjectBuilder cap = b.table("Device.IoTCapability.{i}.").alias().functionalKey("Name");
        cap.param("Name", ValueType.string(64));
        cap.param("Class", ValueType.enumeration("BinaryControl", "LevelControl"));
        SchemaBuilder.ObjectBuilder bc = b.object("Device.IoTCapability.{i}.BinaryControl.").optional();
        bc.param("Value", ValueType.bool()).writable().bound();
        bc.command("Toggle()").async();
        SchemaBuilder.ObjectBuilder lc = b.object("Device.IoTCapability.{i}.LevelControl.").optional();
        lc.param("Value", ValueType.decimal()).writable().bound();
        lc.param("Unit", ValueType.string(16));
        b.mount("Device.ProxiedDevice.{i}.", "Device.IoTCapability.{i}.");
        return b.build();
    }

    /** A model with the schema, the path layer's reference resolver installed, and the rows the tests expect. */
    static DataModel model() {
        DataModel m = new DataModel(schema());
        m.setReferenceResolver(new ReferenceResolver(m));
        populate(m);
        return m;
    }

    static Map<String, String> values(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void populate(DataModel m) {
        ObjectNode agent = m.find("Device.LocalAgent.");
        ObjectNode trust = agent.child("ControllerTrust");
        ObjectNode full = m.addRow(trust, "Role", values("Name", "Full Access", "Enable", "true"));
        m.addRow(full, "Permission", values("Order", "1", "Targets", "Device.", "Param", "rw-x", "Enable", "true"));
        m.addRow(full, "Permission", values("Order", "2", "Targets", "Device.LocalAgent., Device.DeviceInfo.",
                "Param", "r---"));
        ObjectNode ro = m.addRow(trust, "Role", values("Name", "Read Only", "Enable", "true"));
        m.addRow(ro, "Permission", values("Order", "1", "Targets", "Device.DeviceInfo.", "Param", "r---"));
        m.addRow(trust, "Role", values("Name", "Untrusted"));
        ObjectNode gone = m.addRow(trust, "Role", values("Name", "Temporary"));

        ObjectNode mqtt = m.find("Device.MQTT.");
        m.addRow(mqtt, "Client", values("Name", "broker-a", "BrokerAddress", "a.example.com"));
        m.addRow(mqtt, "Client", values("Name", "broker-b", "BrokerAddress", "b.example.com", "BrokerPort", "8883"));

        ObjectNode c1 = m.addRow(agent, "Controller", values("EndpointID", "proto::c1", "Enable", "true",
                "PeriodicNotifInterval", "60", "AssignedRole", ROLE + "1," + ROLE + "2",
                "E2ESession.Status", "Up"));
        m.addRow(c1, "BootParameter", values("Enable", "true", "ParameterName", "Device.DeviceInfo.SerialNumber"));
        m.addRow(c1, "BootParameter", values("Enable", "false", "ParameterName", "Device.DeviceInfo.Manufacturer"));
        m.addRow(c1, "MTP", values("Enable", "true", "Protocol", "MQTT", "MQTT.Reference", "Device.MQTT.Client.1",
                "MQTT.Topic", "usp/c1"));
        ObjectNode c2 = m.addRow(agent, "Controller", values("EndpointID", "proto::c2", "Enable", "false",
                "AssignedRole", ROLE + "[Name==\"Untrusted\"]", "InheritedRole", ROLE + "1"));
        m.addRow(c2, "BootParameter", values("Enable", "true", "ParameterName", "Device.LocalAgent.EndpointID"));
        m.addRow(c2, "MTP", values("Enable", "false", "Protocol", "MQTT", "MQTT.Reference", "Device.MQTT.Client.2"));
        m.addRow(c2, "MTP", values("Enable", "true", "Protocol", "WebSocket"));
        m.addRow(agent, "Controller", values("EndpointID", "proto::c3", "Enable", "true",
                "InheritedRole", gone.referencePath() + "," + ROLE + "1"));
        m.delete(gone); // InheritedRole is weak: Controller 3 keeps a dangling item

        m.addRow(agent, "Subscription", values("Enable", "true", "Recipient", "Device.LocalAgent.Controller.1",
                "NotifType", "ValueChange", "ReferenceList", "Device.DeviceInfo.,Device.LocalAgent.",
                "NotifExpiration", "5", "CreationDate", "2024-01-01T00:00:00Z"));
        m.addRow(agent, "Subscription", values("Enable", "false", "Recipient", "Device.LocalAgent.Controller.1",
                "NotifType", "ObjectCreation", "ReferenceList", "Device.LocalAgent.Controller.",
                "NotifExpiration", "10"));
        m.addRow(agent, "Subscription", values("Enable", "true", "Recipient", "Device.LocalAgent.Controller.2",
                "ID", "sub\"%3", "NotifType", "Event", "ReferenceList", "Device.Boot!",
                "NotifExpiration", "20", "CreationDate", "2025-06-01T12:00:00Z"));

        ObjectNode hosts = m.find("Device.Hosts.");
        m.addRow(hosts, "Host", values("PhysAddress", "aa:bb:cc:00:00:01", "Active", "true",
                "Layer1Interface", "Device.MQTT.Client.1", "LeaseTimeRemaining", "-1", "ClientID", "0A1B"));
        m.addRow(hosts, "Host", values("PhysAddress", "aa:bb:cc:00:00:02", "Active", "false",
                "Layer1Interface", "Device.LocalAgent.Controller.2", "LeaseTimeRemaining", "3600",
                "ClientID", "ff"));

        ObjectNode stats = m.find("Device.PeriodicStatistics.");
        m.addRow(stats, "SampleSet", values("Name", "fast", "SampleSeconds", "5,10", "Ratio", "0.5"));
        m.addRow(stats, "SampleSet", values("Name", "slow", "SampleSeconds", "15", "Ratio", "2.25"));

        ObjectNode lamp = m.addRow(m.root(), "ProxiedDevice", values("Name", "lamp", "Online", "true"));
        ObjectNode sw = m.addRow(lamp, "IoTCapability", values("Name", "switch", "Class", "BinaryControl"));
        m.set(m.ensureChild(sw, "BinaryControl"), "Value", "true");
        ObjectNode dim = m.addRow(lamp, "IoTCapability", values("Name", "dimmer", "Class", "LevelControl"));
        ObjectNode level = m.ensureChild(dim, "LevelControl");
        m.set(level, "Value", "42.5");
        m.set(level, "Unit", "%");
        ObjectNode sensor = m.addRow(m.root(), "ProxiedDevice", values("Name", "sensor", "Online", "false"));
        // Its class object has not been reported yet: the optional BinaryControl is absent.
        m.addRow(sensor, "IoTCapability", values("Name", "contact", "Class", "BinaryControl"));
    }
}
