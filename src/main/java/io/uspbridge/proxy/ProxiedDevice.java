package io.uspbridge.proxy;

import io.uspbridge.model.ObjectNode;
import io.uspbridge.proxy.spi.AdapterException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One device behind the hub as the proxy holds it: its {@code Device.ProxiedDevice.{i}} row, the rows of its nodes
 * and capabilities by their adapter keys, its {@link DeviceRecord}, and the writes and commands waiting for it.
 * Lives on the agent loop.
 */
final class ProxiedDevice {
    final DeviceRegistry registry;
    final String key;
    final AdapterRow adapter;
    final DeviceRecord record;
    final ObjectNode row;
    final Map<String, ObjectNode> nodes = new LinkedHashMap<>();
    /** By {@link #capabilityId}. */
    final Map<String, Capability> capabilities = new LinkedHashMap<>();
    final Set<CompletableFuture<?>> pending = new LinkedHashSet<>();

    ProxiedDevice(DeviceRegistry registry, String key, AdapterRow adapter, DeviceRecord record, ObjectNode row) {
        this.registry = registry;
        this.key = key;
        this.adapter = adapter;
        this.record = record;
        this.row = row;
    }

    static String capabilityId(String nodeKey, String capabilityKey) {
        return (nodeKey == null ? DeviceRecord.DEVICE_TABLE : nodeKey) + "\u0000" + capabilityKey;
    }

    Capability capability(String nodeKey, String capabilityKey) {
        return capabilities.get(capabilityId(nodeKey, capabilityKey));
    }

    /** The path of a parameter relative to the device's row, as {@link DeviceRecord#values} keeps it. */
    String relative(ObjectNode node, String param) {
        return node.path().substring(row.path().length()) + param;
    }

    /** Whether a controller has written {@code param} of {@code node} (a value the agent keeps). */
    boolean hasControllerValue(ObjectNode node, String param) {
        return record.values.containsKey(relative(node, param));
    }

    /** The device is gone: every write and command waiting for it fails, timers stop. */
    void close(AdapterException why) {
        List<CompletableFuture<?>> waiting = new ArrayList<>(pending);
        pending.clear();
        waiting.forEach(f -> f.completeExceptionally(why));
        capabilities.values().forEach(Capability::close);
    }
}
