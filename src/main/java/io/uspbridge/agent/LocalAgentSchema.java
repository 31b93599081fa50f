package io.uspbridge.agent;

import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.ValueType;

/**
 * {@code Device.LocalAgent.} (TR-181 2.19): the agent itself, its MTPs, the controllers it knows, subscriptions,
 * the Request table of running asynchronous commands and the controller trust model (profiles LocalAgent:1,
 * Subscriptions:1, Controllers:1, MQTTAgent:1, MQTTController:2, ControllerTrust:2).
 *
 * <p>Not declared (not implemented yet): the WebSocket, STOMP and UDS MTP sub-objects, {@code Certificate.{i}} and
 * {@code AddCertificate()}/{@code AddMyCertificate()}, {@code ControllerTrust.Credential.{i}} and
 * {@code Challenge.{i}} with {@code RequestChallenge()}/{@code ChallengeResponse()}, the TOFU parameters,
 * {@code Threshold.{i}}, {@code Monitor.{i}}, {@code Watchdog.{i}}, {@code Controller.{i}.TransferCompletePolicy.}
 * and the {@code WakeUp!}/{@code TransferComplete!} events.
 *
 * <p>Where TR-181 gives no object default and the type's own default ({@code ""}, {@code 0}) would be an invalid
 * value, the declaration names an implementation default, marked "(impl)" below.
 */
public final class LocalAgentSchema implements SchemaContributor {

    static final String ROLE = "Device.LocalAgent.ControllerTrust.Role.";
    static final String SUPPORTED_PROTOCOLS = "Device.LocalAgent.SupportedProtocols";

    @Override
    public void contribute(SchemaBuilder schema) {
        agent(schema);
        mtp(schema);
        controller(schema);
        subscription(schema);
        request(schema);
        controllerTrust(schema);
    }

    private static void agent(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder agent = schema.object("Device.LocalAgent.");
        agent.param("EndpointID", ValueType.string());
        agent.param("SoftwareVersion", ValueType.string(64));
        agent.param("UpTime", ValueType.unsignedInt().unit("seconds"));
        // CoAP is deleted from the enumeration since 2.18 (AGENT-REQUIREMENTS finding 1).
        agent.param("SupportedProtocols", ValueType.enumeration("WebSocket", "STOMP", "MQTT", "UDS").list(1, -1))
                .defaultValue("MQTT");
        agent.param("AdvertisedDeviceSubtypes", ValueType.string().list()).writable();
        // (impl) the agent applies subscription changes at once, so it promises the smallest allowed time.
        agent.param("MaxSubscriptionChangeAdoptionTime", ValueType.unsignedInt().range(5, null).unit("seconds"))
                .writable().defaultValue("5");
        agent.event("Periodic!");
    }

    private static void mtp(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder mtp = schema.table("Device.LocalAgent.MTP.{i}.").access(TableAccess.ADD_DELETE)
                .alias().enableParam("Enable");
        mtp.param("Enable", ValueType.bool()).writable().defaultValue("false");
        mtp.param("Status", ValueType.enumeration("Up", "Down", "Error")).defaultValue("Down"); // (impl)
        mtp.param("Protocol", ValueType.string().enumRef(SUPPORTED_PROTOCOLS)).writable();
        mtp.param("EnableMDNS", ValueType.bool()).writable().defaultValue("true");

        // Present when Protocol is MQTT (discriminator).
        SchemaBuilder.ObjectBuilder mqtt = schema.object("Device.LocalAgent.MTP.{i}.MQTT.").optional();
        mqtt.param("Reference", ValueType.string().pathRef("Device.MQTT.Client.", true)).writable()
                .defaultValue("");
        mqtt.param("ResponseTopicConfigured", ValueType.string(65535)).writable();
        mqtt.param("ResponseTopicDiscovered", ValueType.string(65535));
        mqtt.param("PublishQoS", ValueType.unsignedInt().range(0, 2)).writable();
    }

    private static void controller(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder c = schema.table("Device.LocalAgent.Controller.{i}.")
                .access(TableAccess.ADD_DELETE).functionalKey("EndpointID").alias().enableParam("Enable");
        c.param("EndpointID", ValueType.string()).writable().defaultValue("");
        c.param("ControllerCode", ValueType.string(128)).writable().defaultValue("");
        c.param("ProvisioningCode", ValueType.string(64)).writable().defaultValue("");
        c.param("Enable", ValueType.bool()).writable().defaultValue("false");
        c.param("AssignedRole", ValueType.string().list().pathRef(ROLE, true)).writable();
        c.param("InheritedRole", ValueType.string().list().pathRef(ROLE, true));
        // Certificate.{i} is not implemented yet, so no value can be set (a strong reference must resolve).
        c.param("Credential", ValueType.string().list().pathRef("Device.LocalAgent.Certificate.", true)).writable();
        // (impl) one Periodic! a day unless the controller asks otherwise.
        c.param("PeriodicNotifInterval", ValueType.unsignedInt().range(1, null).unit("seconds")).writable()
                .defaultValue("86400");
        c.param("PeriodicNotifTime", ValueType.dateTime()).writable();
        c.param("USPNotifRetryMinimumWaitInterval", ValueType.unsignedInt().range(1, 65535).unit("seconds"))
                .writable().defaultValue("5");
        c.param("USPNotifRetryIntervalMultiplier", ValueType.unsignedInt().range(1000, 65535)).writable()
                .defaultValue("2000");
        c.param("OnBoardingComplete", ValueType.bool()).writable().defaultValue("false");
        c.param("OnBoardingRestartTime", ValueType.unsignedInt().unit("seconds")).writable().defaultValue("0");
        c.command("SendOnBoardRequest()");

        SchemaBuilder.ObjectBuilder mtp = schema.table("Device.LocalAgent.Controller.{i}.MTP.{i}.")
                .access(TableAccess.ADD_DELETE).functionalKey("Protocol").alias().enableParam("Enable");
        mtp.param("Enable", ValueType.bool()).writable().defaultValue("false");
        mtp.param("Protocol", ValueType.string().enumRef(SUPPORTED_PROTOCOLS)).writable();
        // (impl) a valid value; TR-181 wants max+1 for a new row, which the owner of this table assigns (MTP-3).
        mtp.param("Order", ValueType.unsignedInt().range(1, null)).writable().defaultValue("1");

        SchemaBuilder.ObjectBuilder mqtt = schema.object("Device.LocalAgent.Controller.{i}.MTP.{i}.MQTT.").optional();
        mqtt.param("Topic", ValueType.string(65535)).writable();
        mqtt.param("PublishRetainResponse", ValueType.bool()).writable().defaultValue("false");
        mqtt.param("PublishRetainNotify", ValueType.bool()).writable().defaultValue("false");
        mqtt.param("AgentMTPReference", ValueType.string().pathRef("Device.LocalAgent.MTP.", true)).writable()
                .defaultValue("");
        // Used by USP Brokers only; this agent is none, so it stays empty.
        mqtt.param("USPServiceRef", ValueType.string().pathRef("Device.USPServices.USPService.", true))
                .defaultValue("");

        SchemaBuilder.ObjectBuilder e2e = schema.object("Device.LocalAgent.Controller.{i}.E2ESession.");
        // (impl) never initiate a Session Context, keep one a controller starts.
        e2e.param("SessionMode", ValueType.enumeration("Require", "Allow", "Forbid")).writable()
                .defaultValue("Allow");
        e2e.param("Status", ValueType.enumeration("Up", "Negotiating", "Down")).defaultValue("Down"); // (impl)
        e2e.param("SessionExpiration", ValueType.unsignedInt().range(0, null).unit("seconds")).writable()
                .defaultValue("0");
        e2e.param("SessionRetryMinimumWaitInterval", ValueType.unsignedInt().range(1, 65535).unit("seconds"))
                .writable().defaultValue("5");
        e2e.param("SessionRetryIntervalMultiplier", ValueType.unsignedInt().range(1000, 65535)).writable()
                .defaultValue("2000");
        e2e.param("CurrentRetryCount", ValueType.unsignedInt());
        // 0 = no segmentation, otherwise at least 512 bytes.
        e2e.param("MaxUSPRecordSize", ValueType.unsignedInt().range(0, 0).range(512, null).unit("bytes"))
                .writable().defaultValue("0");
        e2e.param("MaxRetransmitTries", ValueType.integer().range(-1, 10)).writable().defaultValue("0");
        e2e.param("PayloadSecurity", ValueType.enumeration("Plaintext", "TLS")).writable().defaultValue("TLS");
        e2e.command("Reset()");

        SchemaBuilder.ObjectBuilder boot = schema.table("Device.LocalAgent.Controller.{i}.BootParameter.{i}.")
                .access(TableAccess.ADD_DELETE).functionalKey("ParameterName").alias().enableParam("Enable");
        boot.param("Enable", ValueType.bool()).writable().defaultValue("false");
        boot.param("ParameterName", ValueType.string(256)).writable().defaultValue("");
    }

    private static void subscription(SchemaBuilder schema) {
        // All normative subscription behaviour lives in these parameters' DM text (R-NOT.0).
        SchemaBuilder.ObjectBuilder s = schema.table("Device.LocalAgent.Subscription.{i}.")
                .access(TableAccess.ADD_DELETE).alias().nonFunctionalKey("Recipient", "ID").enableParam("Enable");
        s.param("Enable", ValueType.bool()).writable().defaultValue("false");
        s.param("Recipient", ValueType.string().pathRef("Device.LocalAgent.Controller.", true));
        s.param("TriggerAction", ValueType.enumeration("Notify", "Config", "NotifyAndConfig")).writable()
                .defaultValue("Notify");
        s.param("TriggerConfigSettings", ValueType.string().list(0, 16)).writable();
        s.param("ID", ValueType.string().length(1, 64)).writable();
        s.param("CreationDate", ValueType.dateTime());
        s.param("NotifType", ValueType.enumeration("ValueChange", "ObjectCreation", "ObjectDeletion",
                "OperationComplete", "Event")).writable();
        s.param("ReferenceList", ValueType.string(256).list()).writable();
        s.param("Persistent", ValueType.bool()).writable().defaultValue("false");
        s.param("TimeToLive", ValueType.unsignedInt().unit("seconds")).writable().defaultValue("0");
        s.param("NotifRetry", ValueType.bool()).writable().defaultValue("false");
        s.param("NotifExpiration", ValueType.unsignedInt().unit("seconds")).writable().defaultValue("0");
    }

    private static void request(SchemaBuilder schema) {
        // One row per running asynchronous command (OPR-2); agent-managed.
        SchemaBuilder.ObjectBuilder r = schema.table("Device.LocalAgent.Request.{i}.")
                .functionalKey("Originator", "Command", "CommandKey").alias();
        r.param("Originator", ValueType.string());
        r.param("Command", ValueType.string());
        r.param("CommandKey", ValueType.string());
        r.param("Status", ValueType.enumeration("Requested", "Active", "Canceling", "Canceled", "Success", "Error"))
                .defaultValue("Requested"); // (impl)
        r.command("Cancel()");
    }

    private static void controllerTrust(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder trust = schema.object("Device.LocalAgent.ControllerTrust.");
        trust.param("UntrustedRole", ValueType.string().list(0, 1).pathRef(ROLE, true)).writable();
        trust.param("BannedRole", ValueType.string().pathRef(ROLE, true)).writable();
        trust.param("SecuredRoles", ValueType.string().list().pathRef(ROLE, true)).writable();

        SchemaBuilder.ObjectBuilder role = schema.table("Device.LocalAgent.ControllerTrust.Role.{i}.")
                .access(TableAccess.ADD_DELETE).functionalKey("Name").alias().enableParam("Enable");
        role.param("Enable", ValueType.bool()).writable().defaultValue("false");
        role.param("Name", ValueType.string()).writable();

        // Four-character "rwxn" strings, "-" for a right not granted; a larger Order wins (ControllerTrust:2).
        SchemaBuilder.ObjectBuilder perm = schema.table("Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.")
                .access(TableAccess.ADD_DELETE).functionalKey("Order").alias().enableParam("Enable");
        perm.param("Enable", ValueType.bool()).writable().defaultValue("false");
        perm.param("Order", ValueType.unsignedInt()).writable().defaultValue("0");
        perm.param("Targets", ValueType.string().list()).writable().defaultValue("");
        perm.param("Param", ValueType.string().length(4, 4)).writable().defaultValue("----");
        perm.param("Obj", ValueType.string().length(4, 4)).writable().defaultValue("----");
        perm.param("InstantiatedObj", ValueType.string().length(4, 4)).writable().defaultValue("----");
        perm.param("CommandEvent", ValueType.string().length(4, 4)).writable().defaultValue("----");
    }
}
