package io.uspbridge.agent;

import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.ValueType;

/**
 * {@code Device.MQTT.} client side (TR-181 2.19): capabilities and the client connections the MQTT MTP uses
 * (profiles MQTTClientCon:1, MQTTClientSubscribe:1 and MQTTClientExtended:1, required by R-MQTT.4). The local
 * broker objects ({@code Broker.{i}}) are not declared: the agent runs no broker.
 */
public final class MqttSchema implements SchemaContributor {

    private static final String CAPABILITIES = "Device.MQTT.Capabilities.";

    @Override
    public void contribute(SchemaBuilder schema) {
        schema.object("Device.MQTT.");

        SchemaBuilder.ObjectBuilder caps = schema.object(CAPABILITIES);
        // USP needs 5.0 (R-MQTT.1); 3.1.1 is optional.
        caps.param("ProtocolVersionsSupported", ValueType.enumeration("3.1", "3.1.1", "5.0").list())
                .defaultValue("5.0");
        caps.param("TransportProtocolSupported",
                ValueType.enumeration("TCP/IP", "TLS", "WebSocket", "WebSocketTLS").list()).defaultValue("TCP/IP,TLS");
        caps.param("MaxNumberOfClientSubscriptions", ValueType.unsignedInt());

        client(schema);
    }

    private static void client(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder c = schema.table("Device.MQTT.Client.{i}.").access(TableAccess.ADD_DELETE)
                .alias().nonFunctionalKey("Name").enableParam("Enable");
        c.param("Name", ValueType.string(64)).writable();
        c.param("Enable", ValueType.bool()).writable();
        c.param("Status", ValueType.enumeration("Disabled", "Connecting", "Connected", "Error_Misconfigured",
                "Error_BrokerUnreachable", "Error")).defaultValue("Disabled"); // (impl)
        // (impl) MQTT 5.0, the version USP requires (R-MQTT.1).
        c.param("ProtocolVersion", ValueType.string().enumRef(CAPABILITIES + "ProtocolVersionsSupported")).writable()
                .defaultValue("5.0");
        c.param("BrokerAddress", ValueType.string(256)).writable();
        c.param("BrokerPort", ValueType.unsignedInt().range(1, 65535)).writable().defaultValue("1883");
        c.param("TransportProtocol", ValueType.string().enumRef(CAPABILITIES + "TransportProtocolSupported"))
                .writable().defaultValue("TCP/IP");
        c.param("CleanSession", ValueType.bool()).writable().defaultValue("true");
        c.param("CleanStart", ValueType.bool()).writable().defaultValue("true");
        c.param("WillEnable", ValueType.bool()).writable();
        c.param("WillQoS", ValueType.unsignedInt().range(0, 2)).writable();
        c.param("WillRetain", ValueType.bool()).writable();
        c.param("KeepAliveTime", ValueType.unsignedInt().range(null, 65535).unit("seconds")).writable()
                .defaultValue("60");
        c.param("SessionExpiryInterval", ValueType.unsignedInt().unit("seconds")).writable();
        c.param("ReceiveMaximum", ValueType.unsignedInt()).writable();
        c.param("MaximumPacketSize", ValueType.unsignedInt().unit("byte")).writable();
        c.param("TopicAliasMaximum", ValueType.unsignedInt().range(null, 65535)).writable();
        c.param("RequestResponseInfo", ValueType.bool()).writable();
        c.param("RequestProblemInfo", ValueType.bool()).writable();
        c.param("AuthenticationMethod", ValueType.string(256)).writable();
        c.param("ALPN", ValueType.string(256).list()).writable().defaultValue("");
        // May stay empty for 5.0: the agent then stores the CONNACK Assigned Client Identifier here.
        c.param("ClientID", ValueType.string(65535)).writable();
        c.param("WillDelayInterval", ValueType.unsignedInt().unit("seconds")).writable().defaultValue("5");
        c.param("WillMessageExpiryInterval", ValueType.unsignedInt().unit("seconds")).writable();
        c.param("WillContentType", ValueType.string(256)).writable();
        c.param("WillResponseTopic", ValueType.string(65535)).writable();
        c.param("WillTopic", ValueType.string(65535)).writable();
        c.param("WillValue", ValueType.string(65535)).writable();
        c.param("Username", ValueType.string(256)).writable();
        c.param("Password", ValueType.string(256)).writable().secured();
        c.param("PublishMessageExpiryInterval", ValueType.unsignedInt().unit("seconds")).writable();
        c.param("MessageRetryTime", ValueType.unsignedInt().range(1, null).unit("seconds")).writable()
                .defaultValue("5");
        c.param("ConnectRetryTime", ValueType.unsignedInt().range(1, null).unit("seconds")).writable()
                .defaultValue("5");
        c.param("ConnectRetryIntervalMultiplier", ValueType.unsignedInt().range(1000, 65535)).writable()
                .defaultValue("2000");
        c.param("ConnectRetryMaxInterval", ValueType.unsignedInt().range(1, null).unit("seconds")).writable()
                .defaultValue("30720");
        c.param("ResponseInformation", ValueType.string(65535));
        c.command("ForceReconnect()");

        SchemaBuilder.ObjectBuilder sub = schema.table("Device.MQTT.Client.{i}.Subscription.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("Topic").enableParam("Enable");
        sub.param("Enable", ValueType.bool()).writable();
        sub.param("Status", ValueType.enumeration("Unsubscribed", "Subscribed", "Subscribing", "Unsubscribing",
                "Error")).defaultValue("Unsubscribed"); // (impl)
        sub.param("Topic", ValueType.string(65535)).writable();
        sub.param("QoS", ValueType.unsignedInt().range(0, 2)).writable();

        SchemaBuilder.ObjectBuilder prop = schema.table("Device.MQTT.Client.{i}.UserProperty.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("Name").enableParam("Enable");
        prop.param("Enable", ValueType.bool()).writable();
        prop.param("Name", ValueType.string(65535)).writable();
        prop.param("Value", ValueType.string(65535)).writable();
        prop.param("PacketType", ValueType.enumeration("AUTH", "CONNECT", "DISCONNECT", "PUBLISH", "PUBACK", "PUBREC",
                "PUBREL", "PUBCOMP", "SUBSCRIBE", "UNSUBSCRIBE", "WILL").list()).writable();

        SchemaBuilder.ObjectBuilder stats = schema.object("Device.MQTT.Client.{i}.Stats.");
        stats.param("BrokerConnectionEstablished", ValueType.dateTime());
        stats.param("LastPublishMessageSent", ValueType.dateTime());
        stats.param("LastPublishMessageReceived", ValueType.dateTime());
        ValueType counter64 = ValueType.unsignedLong().named("StatsCounter64");
        ValueType counter32 = ValueType.unsignedInt().named("StatsCounter32");
        stats.param("PublishSent", counter64);
        stats.param("PublishReceived", counter64);
        stats.param("SubscribeSent", counter64);
        stats.param("UnSubscribeSent", counter64);
        stats.param("MQTTMessagesSent", counter64);
        stats.param("MQTTMessagesReceived", counter64);
        stats.param("ConnectionErrors", counter32);
        stats.param("PublishErrors", counter32);
    }
}
