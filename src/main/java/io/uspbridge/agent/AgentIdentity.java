package io.uspbridge.agent;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The hub's and the agent's identity in {@code Device.DeviceInfo.} and {@code Device.LocalAgent.}: values from
 * configuration and the host, written once at start-up, and the two up-times computed on every read (they change
 * every second, so GSDM reports them as VALUE_CHANGE_WILL_IGNORE and no ValueChange is sent for them).
 *
 * @param deviceInfo DeviceInfo parameter values by name (Manufacturer, SerialNumber, …)
 * @param endpointId the agent's Endpoint ID
 * @param agentVersion the version of USP Bridge (LocalAgent.SoftwareVersion)
 */
public record AgentIdentity(Map<String, String> deviceInfo, String endpointId, String agentVersion,
        LongSupplier agentStartMillis) implements SchemaContributor {

    public static final String ROOT_DATA_MODEL_VERSION = "2.19";
    /** The MTPs this build implements (LocalAgent.SupportedProtocols). */
    public static final String SUPPORTED_PROTOCOLS = "MQTT";
    /** The host's up-time is the same for every agent in the JVM. */
    private static final HostUpTime HOST_UP_TIME = new HostUpTime();

    public AgentIdentity {
        deviceInfo = Map.copyOf(new LinkedHashMap<>(deviceInfo));
    }

    @Override
    public void contribute(SchemaBuilder schema) {
        schema.object("Device.DeviceInfo.").param("UpTime", io.uspbridge.model.ValueType.unsignedInt())
                .computed(n -> Long.toString(hostUpTimeSeconds())).ignoreValueChange();
        schema.object("Device.LocalAgent.").param("UpTime", io.uspbridge.model.ValueType.unsignedInt())
                .computed(n -> Long.toString(agentUpTimeSeconds())).ignoreValueChange();
    }

    /** Writes the identity values into a fresh model (as the agent; these parameters are read-only). */
    public void apply(DataModel model) {
        model.update(tx -> {
            ObjectNode root = model.root();
            tx.set(root, "RootDataModelVersion", ROOT_DATA_MODEL_VERSION);
            ObjectNode info = model.find("Device.DeviceInfo.");
            // A value the operator did not configure stays as the schema's default (e.g. an OUI the vendor has
            // none of: it must be 6 hex digits when present, and an agent must not invent one).
            deviceInfo.forEach((name, value) -> {
                if (!value.isEmpty()) {
                    tx.set(info, name, value);
                }
            });
            ObjectNode agent = model.find("Device.LocalAgent.");
            tx.set(agent, "EndpointID", endpointId);
            tx.set(agent, "SoftwareVersion", agentVersion);
            tx.set(agent, "SupportedProtocols", SUPPORTED_PROTOCOLS);
        });
    }

    long agentUpTimeSeconds() {
        return Math.max(0, (System.currentTimeMillis() - agentStartMillis.getAsLong()) / 1000);
    }

    /** Seconds since the host booted (Linux /proc/uptime), else since the agent started. */
    long hostUpTimeSeconds() {
        return HOST_UP_TIME.seconds().orElseGet(this::agentUpTimeSeconds);
    }
}
