package io.uspbridge.message;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.RowLifecycle;
import io.uspbridge.model.Schema;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.Transaction;
import io.uspbridge.model.ValueType;
import io.uspbridge.path.ReferenceResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The objects TP-469 tests the messages with ({@code Device.LocalAgent.Subscription.}, {@code Controller.{i}.
 * BootParameter.}, {@code Device.LocalAgent.}), ControllerTrust roles for the permission cases, a secured parameter,
 * a computed one, commands and events with arguments, and proxied devices (a mount point) whose capabilities have
 * parameters bound to the device.
 */
final class MessageFixture {
    static final String URI = "urn:broadband-forum-org:tr-181-2-19-1";
    static final String ROLE = "Device.LocalAgent.ControllerTrust.Role.";
    /** Device.DeviceInfo.UpTime: computed on every read from this counter. */
    static final AtomicLong UPTIME = new AtomicLong(100);

    private MessageFixture() {
    }

    static Schema schema() {
        SchemaBuilder b = new SchemaBuilder("Device", URI);
        SchemaBuilder.ObjectBuilder device = b.object("Device.");
        device.param("RootDataModelVersion", ValueType.string(32)).defaultValue("2.19");
        device.command("Reboot()");
        device.command("ScheduleTimer()").async().mandatoryInput("DelaySeconds", ValueType.unsignedInt());
        device.command("SelfTestDiagnostics()").async().output("Status", ValueType.string())
                .output("Results.{i}.Name", ValueType.string());
        device.event("Boot!").arg("CommandKey", ValueType.string()).arg("Cause", ValueType.string())
                .arg("FirmwareUpdated", ValueType.bool()).arg("ParameterMap", ValueType.string());

        SchemaBuilder.ObjectBuilder di = b.object("Device.DeviceInfo.");
        di.param("Manufacturer", ValueType.string(64)).defaultValue("USP Bridge project");
        di.param("SerialNumber", ValueType.string(64)).defaultValue("0001");
        di.param("FriendlyName", ValueType.string(64)).writable();
        di.param("UpTime", ValueType.unsignedInt()).computed(n -> Long.toString(UPTIME.incrementAndGet()));
        di.param("ProvisioningCode", ValueType.string(64)).writable();

        SchemaBuilder.ObjectBuilder la = b.object("Device.LocalAgent.");
        la.param("EndpointID", ValueType.string(64)).defaultValue("proto::agent");
        la.param("SoftwareVersion", ValueType.string(64)).defaultValue("0.1.0");
        la.param("SupportedProtocols", ValueType.string().list()).defaultValue("MQTT");
        la.command("AddCertificate()").mandatoryInput("Alias", ValueType.string())
                .mandatoryInput("Certificate", ValueType.base64());

        SchemaBuilder.ObjectBuilder c = b.table("Device.LocalAgent.Controller.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("EndpointID").enableParam("Enable");
        c.param("EndpointID", ValueType.string(64)).writable();
        c.param("Enable", ValueType.bool()).writable().defaultValue("false");
        c.param("ProvisioningCode", ValueType.string(64)).writable();
        c.param("PeriodicNotifInterval", ValueType.unsignedInt().range(1, null)).writable().defaultValue("86400");
        c.param("AssignedRole", ValueType.string().list().pathRef(ROLE, true)).writable();
        c.param("InheritedRole", ValueType.string().list().pathRef(ROLE, true));
        c.command("SendOnBoardRequest()");
        c.lifecycle(new RowLifecycle() {
            @Override
            public void onDelete(ObjectNode row, Transaction tx) {
                // TP-469 1.78: a controller's subscriptions go with it.
                List<ObjectNode> dependants = new ArrayList<>();
                for (ObjectNode s : row.parent().rows("Subscription")) {
                    if (row.referencePath().equals(s.value("Recipient"))) {
                        dependants.add(s);
                    }
                }
                dependants.forEach(tx::delete);
            }
        });
        SchemaBuilder.ObjectBuilder bp = b.table("Device.LocalAgent.Controller.{i}.BootParameter.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("ParameterName").enableParam("Enable");
        bp.param("Enable", ValueType.bool()).writable().defaultValue("false");
        bp.param("ParameterName", ValueType.string(256)).writable();
        SchemaBuilder.ObjectBuilder mtp = b.table("Device.LocalAgent.Controller.{i}.MTP.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("Protocol");
        mtp.param("Enable", ValueType.bool()).writable().defaultValue("false");
        mtp.param("Protocol", ValueType.enumeration("MQTT", "WebSocket")).writable().defaultValue("MQTT");
        b.object("Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT.").param("Topic", ValueType.string(256)).writable();

        SchemaBuilder.ObjectBuilder s = b.table("Device.LocalAgent.Subscription.{i}.").access(TableAccess.ADD_DELETE)
                .alias().nonFunctionalKey("Recipient", "ID").maxEntries(50);
        s.param("Enable", ValueType.bool()).writable().defaultValue("false");
        s.param("Recipient", ValueType.string().pathRef("Device.LocalAgent.Controller.", true));
        s.param("ID", ValueType.string(64).minLength(1)).writable().generatedBy(r -> "sub-" + r.instance());
        s.param("NotifType", ValueType.enumeration("ValueChange", "ObjectCreation", "ObjectDeletion",
                "OperationComplete", "Event")).writable();
        s.param("ReferenceList", ValueType.string(256).list()).writable();
        s.param("Persistent", ValueType.bool()).writable().defaultValue("false");
        s.param("NotifRetry", ValueType.bool()).writable().defaultValue("false");
        s.param("NotifExpiration", ValueType.unsignedInt()).writable().defaultValue("0");

        SchemaBuilder.ObjectBuilder req = b.table("Device.LocalAgent.Request.{i}.").alias();
        req.param("Command", ValueType.string(256));
        req.param("Status", ValueType.enumeration("Requested", "Active", "Canceling", "Canceled", "Success",
                "Error"));

        SchemaBuilder.ObjectBuilder trust = b.object("Device.LocalAgent.ControllerTrust.");
        trust.param("UntrustedRole", ValueType.string().list(0, 1).pathRef(ROLE, true)).writable();
        trust.param("SecuredRoles", ValueType.string().list().pathRef(ROLE, true)).writable();
        SchemaBuilder.ObjectBuilder role = b.table(ROLE + "{i}.").access(TableAccess.ADD_DELETE).alias()
                .functionalKey("Name");
        role.param("Enable", ValueType.bool()).writable().defaultValue("false");
        role.param("Name", ValueType.string(64)).writable();
        SchemaBuilder.ObjectBuilder perm = b.table(ROLE + "{i}.Permission.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("Order");
        perm.param("Enable", ValueType.bool()).writable().defaultValue("false");
        perm.param("Order", ValueType.unsignedInt()).writable();
        perm.param("Targets", ValueType.string().list()).writable();
        for (String kind : List.of("Param", "Obj", "InstantiatedObj", "CommandEvent")) {
            perm.param(kind, ValueType.string().length(4, 4)).writable().defaultValue("----");
        }

        // A vendor extension defined by its own model (GSDM-6).
        b.object("Device.X_00D09E_Hub.").dataModelUri("urn:example-com:hub-1-0")
                .param("LedBrightness", ValueType.unsignedInt().range(0, 100)).writable().defaultValue("50");
        b.object("Device.MQTT.");
        SchemaBuilder.ObjectBuilder client = b.table("Device.MQTT.Client.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("Name");
        client.param("Name", ValueType.string(64)).writable();
        client.param("BrokerAddress", ValueType.string(256)).writable();
        client.param("BrokerPort", ValueType.unsignedInt().range(1, 65535)).writable().defaultValue("1883");
        client.param("Username", ValueType.string(256)).writable();
        client.param("Password", ValueType.string(256)).writable().secured();
        client.param("MessageRetryTime", ValueType.unsignedInt()).computed(n -> "5");

        SchemaBuilder.ObjectBuilder pd = b.table("Device.ProxiedDevice.{i}.").mountPoint().alias()
                .functionalKey("Name");
        pd.param("Name", ValueType.string(64)).writable();
        pd.param("Online", ValueType.bool());
        pd.param("Type", ValueType.string(64));
        SchemaBuilder.ObjectBuilder cap = b.table("Device.IoTCapability.{i}.").alias().functionalKey("Name");
        cap.param("Name", ValueType.string(64));
        cap.param("Class", ValueType.enumeration("BinaryControl", "LevelControl", "LevelSensor"));
        SchemaBuilder.ObjectBuilder bc = b.object("Device.IoTCapability.{i}.BinaryControl.").optional();
        bc.param("Type", ValueType.enumeration("Switch", "Locked")).defaultValue("Switch");
        bc.param("Value", ValueType.bool()).writable().bound();
        bc.command("Toggle()").async();
        SchemaBuilder.ObjectBuilder lc = b.object("Device.IoTCapability.{i}.LevelControl.").optional();
        lc.param("Type", ValueType.string(32)).defaultValue("Brightness");
        lc.param("Value", ValueType.decimal().range(0, 100)).writable().bound();
        lc.param("Unit", ValueType.string(16)).defaultValue("%");
        lc.param("StepValue", ValueType.decimal()).writable();
        SchemaBuilder.ObjectBuilder ls = b.object("Device.IoTCapability.{i}.LevelSensor.").optional();
        ls.param("Type", ValueType.string(32)).defaultValue("Temperature");
        ls.param("Value", ValueType.decimal()).ignoreValueChange();
        ls.param("Unit", ValueType.string(16)).defaultValue("degC");
        b.mount("Device.ProxiedDevice.{i}.", "Device.IoTCapability.{i}.");
        return b.build();
    }

    /** The model with the path layer's reference resolver (unique-key references, R-ARC.11) and the test rows. */
    static DataModel model() {
        DataModel m = new DataModel(schema());
        m.setReferenceResolver(new ReferenceResolver(m));
        ObjectNode agent = m.find("Device.LocalAgent.");
        ObjectNode c1 = m.addRow(agent, "Controller", values("EndpointID", "proto::controller-1", "Enable", "true"));
        m.addRow(c1, "BootParameter", values("Enable", "true", "ParameterName", "Device.DeviceInfo.SerialNumber"));
        m.addRow(c1, "BootParameter", values("Enable", "false", "ParameterName", "Device.DeviceInfo.Manufacturer"));
        m.addRow(c1, "MTP", values("Enable", "true", "Protocol", "MQTT", "MQTT.Topic", "usp/controller-1"));
        m.addRow(agent, "Controller", values("EndpointID", "proto::controller-2", "Enable", "true"));
        m.addRow(m.find("Device.MQTT."), "Client", values("Name", "hub", "BrokerAddress", "127.0.0.1",
                "Username", "bridge", "Password", "s3cret"));
        return m;
    }

    /** Adds a proxied device with a switch (BinaryControl) and a dimmer (LevelControl). */
    static ObjectNode lamp(DataModel m, String name) {
        ObjectNode lamp = m.addRow(m.root(), "ProxiedDevice", values("Name", name, "Online", "true", "Type",
                "Light"));
        ObjectNode sw = m.addRow(lamp, "IoTCapability", values("Name", "switch", "Class", "BinaryControl"));
        m.set(m.ensureChild(sw, "BinaryControl"), "Value", "false");
        ObjectNode dim = m.addRow(lamp, "IoTCapability", values("Name", "dimmer", "Class", "LevelControl"));
        m.set(m.ensureChild(dim, "LevelControl"), "Value", "40");
        return lamp;
    }

    /** Adds a proxied device with only a temperature sensor. */
    static ObjectNode thermometer(DataModel m, String name) {
        ObjectNode t = m.addRow(m.root(), "ProxiedDevice", values("Name", name, "Online", "true", "Type",
                "Sensor"));
        ObjectNode cap = m.addRow(t, "IoTCapability", values("Name", "temperature", "Class", "LevelSensor"));
        m.set(m.ensureChild(cap, "LevelSensor"), "Value", "21.5");
        return t;
    }

    static ObjectNode subscription(DataModel m, String id, boolean enable, int notifExpiration) {
        return m.addRow(m.find("Device.LocalAgent."), "Subscription", values("ID", id, "Enable",
                Boolean.toString(enable), "NotifType", "ValueChange", "ReferenceList", "Device.DeviceInfo.",
                "NotifExpiration", Integer.toString(notifExpiration), "Recipient",
                "Device.LocalAgent.Controller.1"));
    }

    static Map<String, String> values(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
