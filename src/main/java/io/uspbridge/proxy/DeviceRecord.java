package io.uspbridge.proxy;

import io.uspbridge.proxy.spi.DeviceDescription;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the proxy remembers of one device across restarts (ARCHITECTURE.md journey 4): the instance numbers of its
 * {@code ProxiedDevice} row, of its nodes and of its capabilities by their keys, and the next number of each of its
 * tables, so that a device keeps its numbers across restarts and re-joins and a number is never given to another
 * device, node or capability (ARC-5); what controllers wrote to its rows ({@code Name}, thresholds,
 * {@code Sensitivity} …, by path relative to the device's row); the name the adapter last gave it (to tell a rename
 * from a restart); and, while the device is present, its description, so that its rows are back (offline) as soon as
 * the agent starts. Values reported by devices are never stored: an SD card would wear for nothing.
 *
 * <p>Mutable, owned by the agent loop; {@link DeviceRecords} writes it to the store when it changed.
 */
final class DeviceRecord {
    /** The capability table of the device itself; a node's is named by the node's key. */
    static final String DEVICE_TABLE = "";

    final String key;
    String adapter;
    int instance;
    final Map<String, Integer> nodes = new TreeMap<>();
    int nextNode = 1;
    /** Capability instance numbers per table ({@link #DEVICE_TABLE} or a node key), by capability key. */
    final Map<String, Map<String, Integer>> capabilities = new TreeMap<>();
    final Map<String, Integer> nextCapability = new TreeMap<>();
    /** Controller-written values by path relative to the device's row, e.g. {@code IoTCapability.2.LevelSensor.LowLevelThreshold}. */
    final Map<String, String> values = new TreeMap<>();
    /** The adapter's name for the device when last described, or null. */
    String adapterName;
    /** The current description; null once the device left (its numbers stay reserved). */
    DeviceDescription description;

    DeviceRecord(String key, String adapter, int instance) {
        this.key = key;
        this.adapter = adapter;
        this.instance = instance;
    }

    /** The node's instance number: its own, or the next one of the device's node table. */
    int nodeInstance(String nodeKey) {
        Integer n = nodes.get(nodeKey);
        if (n == null) {
            n = nextNode++;
            nodes.put(nodeKey, n);
        }
        return n;
    }

    /** The capability's instance number within {@code table}: its own, or the table's next one. */
    int capabilityInstance(String table, String capabilityKey) {
        Map<String, Integer> t = capabilities.computeIfAbsent(table, k -> new TreeMap<>());
        Integer n = t.get(capabilityKey);
        if (n == null) {
            n = nextCapability.getOrDefault(table, 1);
            t.put(capabilityKey, n);
            nextCapability.put(table, n + 1);
        }
        return n;
    }
}
