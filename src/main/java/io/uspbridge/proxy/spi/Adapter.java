package io.uspbridge.proxy.spi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One device technology (Zigbee through Zigbee2MQTT, Z-Wave, BLE, OPC UA, the virtual demo devices). An adapter
 * speaks its device protocol and nothing of USP: it reports through the {@link AdapterSink} it is started with, and
 * the core calls it to write values and run commands. Every method returning a stage must not block the caller;
 * the stage completes when the device acknowledged, or exceptionally with {@link AdapterException}.
 */
public interface Adapter {

    /** A short stable id, e.g. {@code zigbee2mqtt}; also the name of its row in the vendor adapter table. */
    String id();

    /**
     * The value for {@code ProxiedDevice.{i}.ProxyProtocol}: {@code ZigBee}, {@code Z-Wave}, or a vendor value
     * {@code X_<VENDOR>_<Name>} for technologies TR-181 does not list (PRX-3).
     */
    String proxyProtocol();

    /** Begins work: connect, discover, and report every known device through {@code sink}. */
    void start(AdapterSink sink);

    /** Writes a control capability's new value to the device. */
    CompletionStage<Void> write(String deviceKey, String nodeKey, String capabilityKey, CapabilityValue value);

    /**
     * Runs Toggle/StepUp/StepDown natively when the device supports it. Return null to let the core compute the new
     * value and {@link #write} it instead (the default).
     */
    default CompletionStage<Void> invoke(String deviceKey, String nodeKey, String capabilityKey,
            CapabilityCommand command) {
        return null;
    }

    /** Asks the device to report a capability's current value now (e.g. Zigbee2MQTT {@code /get}). */
    default CompletionStage<Void> refresh(String deviceKey, String nodeKey, String capabilityKey) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** The adapter-level commands this adapter offers (permit join, remove, rename …). */
    default List<AdapterCommandSpec> commands() {
        return List.of();
    }

    /** Runs an adapter-level command; completes with its output arguments. */
    default CompletionStage<Map<String, String>> runCommand(String name, Map<String, String> inputs) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new AdapterException(AdapterException.Reason.NOT_SUPPORTED, name + " is not supported"));
    }

    /** Stops work and releases connections. */
    void stop();
}
