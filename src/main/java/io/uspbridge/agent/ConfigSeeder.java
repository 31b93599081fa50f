package io.uspbridge.agent;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Table;
import io.uspbridge.model.Transaction;
import io.uspbridge.security.DefaultRoles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Puts the configured factory defaults into the data model: the shipped roles, the untrusted role, the MQTT client
 * and the agent's MQTT MTP, and the configured controllers with their MQTT routes.
 *
 * <p>Configuration seeds rows; controllers may then change or delete them, and the store keeps what they did. So
 * each configured item is applied once, and a {@link Ledger} remembers which row it became and a fingerprint of the
 * configuration it came from:
 * <ul>
 * <li>a new item (first boot, or added to the configuration later) creates its rows;</li>
 * <li>an unchanged item is left alone — including when a controller deleted its row;</li>
 * <li>an item whose configuration changed is re-applied to its row (an operator's edit of the configuration is
 * deliberate and wins), re-creating the row if it was deleted.</li>
 * </ul>
 * {@code FactoryReset()} empties the store, so everything is seeded again.
 */
public final class ConfigSeeder {
    private static final Logger LOG = Logger.getLogger(ConfigSeeder.class.getName());
    static final String TRUST = "Device.LocalAgent.ControllerTrust.";

    /** Remembers, per configured item, the row it became and the configuration it came from. */
    public interface Ledger {
        /** The value recorded for {@code key} ("path fingerprint"), or null. */
        String get(String key);

        void put(String key, String value);
    }

    /** The agent's MQTT connection as configured. */
    public record MqttSeed(String brokerAddress, int brokerPort, boolean tls, String clientId, String username,
            String password, int keepAlive, String agentTopic, int publishQos, int connectRetryTime,
            int connectRetryIntervalMultiplier, int connectRetryMaxInterval) {
    }

    /** A configured controller. */
    public record ControllerSeed(String name, String endpointId, String mqttTopic, String role) {
    }

    private final DataModel model;
    private final Ledger ledger;

    public ConfigSeeder(DataModel model, Ledger ledger) {
        this.model = model;
        this.ledger = ledger;
    }

    /** Seeds everything; {@code mqtt} may be null when the MQTT MTP is disabled. Runs on the agent loop. */
    public void seed(List<DefaultRoles.RoleSpec> roles, String untrustedRole, MqttSeed mqtt,
            List<ControllerSeed> controllers) {
        for (DefaultRoles.RoleSpec r : roles) {
            apply("role:" + r.name(), r.toString(), existing -> role(r, existing));
        }
        apply("trust:untrusted-role", untrustedRole, existing -> {
            ObjectNode role = roleByName(untrustedRole);
            model.set(model.find(TRUST), "UntrustedRole", role == null ? "" : role.referencePath());
            return model.find(TRUST);
        });
        String agentMtp = null;
        if (mqtt != null) {
            ObjectNode mtp = apply("mqtt", mqtt.toString(), existing -> mqtt(mqtt, existing));
            agentMtp = mtp == null ? null : mtp.referencePath();
        }
        for (ControllerSeed c : controllers) {
            String mtpRef = agentMtp;
            apply("controller:" + c.name(), c.toString(), existing -> controller(c, existing, mtpRef));
        }
    }

    /**
     * Seeds writable values of a static object (e.g. DeviceInfo.FriendlyName) with the same policy: applied when
     * new or when their configuration changed, never over a controller's later change otherwise.
     */
    public void seedValues(String key, String objectPath, Map<String, String> values) {
        apply(key, new java.util.TreeMap<>(values).toString(), existing -> {
            ObjectNode node = model.find(objectPath);
            model.update(tx -> set(tx, node, values));
            return node;
        });
    }

    /** Applies one item per the policy in the class comment; returns its row (existing or new), or null. */
    private ObjectNode apply(String key, String fingerprint, java.util.function.Function<ObjectNode, ObjectNode> create) {
        String recorded = ledger.get(key);
        String fp = Integer.toHexString(fingerprint.hashCode());
        ObjectNode existing = null;
        if (recorded != null) {
            int space = recorded.indexOf(' ');
            existing = model.find(recorded.substring(0, space));
            if (recorded.substring(space + 1).equals(fp)) {
                return existing; // unchanged configuration: whatever controllers did stands
            }
            LOG.info(() -> "configuration of " + key + " changed: applying it again");
        }
        ObjectNode row = create.apply(existing);
        if (row != null) {
            ledger.put(key, row.path() + " " + fp);
        }
        return row;
    }

    private ObjectNode role(DefaultRoles.RoleSpec spec, ObjectNode existing) {
        ObjectNode trust = model.find(TRUST);
        ObjectNode[] row = {existing != null ? existing : roleByName(spec.name())};
        model.update(tx -> {
            if (row[0] == null) {
                row[0] = tx.addRow(trust.table("Role"), 0);
            }
            tx.set(row[0], "Name", spec.name());
            tx.set(row[0], "Enable", "true");
            for (ObjectNode p : new ArrayList<>(row[0].rows("Permission"))) {
                tx.delete(p);
            }
            for (DefaultRoles.PermissionSpec p : spec.permissions()) {
                ObjectNode perm = tx.addRow(row[0].table("Permission"), 0);
                set(tx, perm, Map.of("Enable", "true", "Order", Long.toString(p.order()),
                        "Targets", String.join(",", p.targets()), "Param", p.param(), "Obj", p.obj(),
                        "InstantiatedObj", p.instantiatedObj(), "CommandEvent", p.commandEvent()));
            }
        });
        return row[0];
    }

    private ObjectNode mqtt(MqttSeed m, ObjectNode existingMtp) {
        ObjectNode[] mtp = {existingMtp};
        model.update(tx -> {
            ObjectNode client = null;
            if (mtp[0] != null) {
                client = model.find(mtp[0].child("MQTT").value("Reference"));
            }
            if (client == null) {
                client = tx.addRow(model.findTable("Device.MQTT.Client."), 0);
                tx.set(client, "Name", "usp-agent");
            }
            set(tx, client, Map.ofEntries(
                    Map.entry("Enable", "true"),
                    Map.entry("BrokerAddress", m.brokerAddress()),
                    Map.entry("BrokerPort", Integer.toString(m.brokerPort())),
                    Map.entry("TransportProtocol", m.tls() ? "TLS" : "TCP/IP"),
                    Map.entry("ProtocolVersion", "5.0"),
                    Map.entry("ClientID", m.clientId()),
                    Map.entry("Username", m.username()),
                    Map.entry("Password", m.password()),
                    Map.entry("KeepAliveTime", Integer.toString(m.keepAlive())),
                    Map.entry("RequestResponseInfo", "true"),
                    Map.entry("ConnectRetryTime", Integer.toString(m.connectRetryTime())),
                    Map.entry("ConnectRetryIntervalMultiplier", Integer.toString(m.connectRetryIntervalMultiplier())),
                    Map.entry("ConnectRetryMaxInterval", Integer.toString(m.connectRetryMaxInterval()))));
            // MQTT-5 (R-MQTT.16): without a subscribe-topic from the broker the agent only subscribes to its
            // Subscription rows, so the agent's own topic is one.
            ObjectNode sub = null;
            for (ObjectNode s : client.rows("Subscription")) {
                if (s.value("Topic").equals(m.agentTopic())) {
                    sub = s;
                }
            }
            if (sub == null) {
                sub = tx.addRow(client.table("Subscription"), 0);
            }
            set(tx, sub, Map.of("Enable", "true", "Topic", m.agentTopic(), "QoS", "1"));
            if (mtp[0] == null) {
                mtp[0] = tx.addRow(model.findTable("Device.LocalAgent.MTP."), 0);
            }
            set(tx, mtp[0], Map.of("Enable", "true", "Protocol", "MQTT"));
            ObjectNode mq = mtp[0].child("MQTT");
            set(tx, mq, Map.of("Reference", client.referencePath(), "ResponseTopicConfigured", m.agentTopic(),
                    "PublishQoS", Integer.toString(m.publishQos())));
        });
        return mtp[0];
    }

    private ObjectNode controller(ControllerSeed c, ObjectNode existing, String agentMtp) {
        ObjectNode role = roleByName(c.role());
        if (role == null) {
            LOG.warning("controller '" + c.name() + "' names role '" + c.role()
                    + "', which does not exist: it gets no role (configure one of the ControllerTrust.Role names)");
        }
        ObjectNode[] row = {existing};
        model.update(tx -> {
            if (row[0] == null) {
                row[0] = tx.addRow(model.findTable("Device.LocalAgent.Controller."), 0);
            }
            set(tx, row[0], Map.of("EndpointID", c.endpointId(), "Enable", "true",
                    "AssignedRole", role == null ? "" : role.referencePath()));
            if (c.mqttTopic() != null && !c.mqttTopic().isEmpty() && agentMtp != null) {
                ObjectNode mtp = null;
                for (ObjectNode m : row[0].rows("MTP")) {
                    if ("MQTT".equals(m.value("Protocol"))) {
                        mtp = m;
                    }
                }
                if (mtp == null) {
                    mtp = tx.addRow(row[0].table("MTP"), 0);
                }
                set(tx, mtp, Map.of("Enable", "true", "Protocol", "MQTT", "Order", "1"));
                set(tx, mtp.child("MQTT"), Map.of("Topic", c.mqttTopic(), "AgentMTPReference", agentMtp));
            }
        });
        return row[0];
    }

    private ObjectNode roleByName(String name) {
        Table roles = model.findTable(TRUST + "Role.");
        if (roles == null) {
            return null;
        }
        for (ObjectNode r : roles.rows()) {
            if (name.equals(r.value("Name"))) {
                return r;
            }
        }
        return null;
    }

    private static void set(Transaction tx, ObjectNode node, Map<String, String> values) {
        values.forEach((k, v) -> tx.set(node, k, v == null ? "" : v));
    }
}
