package io.uspbridge.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uspbridge.json.JsonTrees;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.DeviceDescription;
import io.uspbridge.proxy.spi.NodeDescription;
import io.uspbridge.store.StateStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The proxy's memory in the store's key-value area: one JSON document per device in namespace
 * {@value #DEVICES} (key = device key), and the instance number of each adapter's row in {@value #ADAPTERS}.
 * One entry per device means a change to one device rewrites one small entry. A document that cannot be read (an
 * older or damaged one) is skipped with one log line; its device is then new to the agent.
 */
final class DeviceRecords {
    private static final Logger LOG = Logger.getLogger(DeviceRecords.class.getName());
    static final String DEVICES = "proxy.devices";
    static final String ADAPTERS = "proxy.adapters";
    private static final int FORMAT = 1;

    private final StateStore store;
    private final Map<String, DeviceRecord> records = new HashMap<>();
    private int maxInstance;

    DeviceRecords(StateStore store) {
        this.store = store;
        store.entries(DEVICES).forEach((key, json) -> {
            try {
                DeviceRecord r = decode(key, JsonTrees.read(json));
                records.put(key, r);
                maxInstance = Math.max(maxInstance, r.instance);
            } catch (RuntimeException e) {
                LOG.warning("proxy: the stored record of device " + key + " cannot be read and is ignored: " + e);
            }
        });
    }

    DeviceRecord get(String key) {
        return records.get(key);
    }

    Collection<DeviceRecord> all() {
        return records.values();
    }

    /** A new record with the next free ProxiedDevice number ({@code tableNext}: the table's own next number). */
    DeviceRecord create(String key, String adapter, int tableNext) {
        int n = Math.max(tableNext, maxInstance + 1);
        DeviceRecord r = new DeviceRecord(key, adapter, n);
        records.put(key, r);
        maxInstance = n;
        return r;
    }

    /** The highest ProxiedDevice number ever given (0 when none). */
    int maxInstance() {
        return maxInstance;
    }

    /** Writes the record (the store writes only when the text differs from what it holds). */
    void save(DeviceRecord r) {
        store.put(DEVICES, r.key, JsonTrees.write(encode(r)));
    }

    /** The adapter row's instance number, the same across restarts. */
    int adapterInstance(String adapterId) {
        var all = store.entries(ADAPTERS);
        String known = all.get(adapterId);
        if (known != null) {
            try {
                return Integer.parseInt(known);
            } catch (NumberFormatException e) {
                LOG.warning("proxy: the stored instance of adapter " + adapterId + " is not a number: " + known);
            }
        }
        int max = 0;
        for (String v : all.values()) {
            try {
                max = Math.max(max, Integer.parseInt(v));
            } catch (NumberFormatException e) {
                // skipped above
            }
        }
        store.put(ADAPTERS, adapterId, Integer.toString(max + 1));
        return max + 1;
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    static ObjectNode encode(DeviceRecord r) {
        ObjectNode o = JsonTrees.object();
        o.put("format", FORMAT);
        o.put("adapter", r.adapter);
        o.put("instance", r.instance);
        if (r.adapterName != null) {
            o.put("adapterName", r.adapterName);
        }
        ObjectNode nodes = o.putObject("nodes");
        r.nodes.forEach(nodes::put);
        o.put("nextNode", r.nextNode);
        ObjectNode caps = o.putObject("capabilities");
        r.capabilities.forEach((table, m) -> {
            ObjectNode t = caps.putObject(table);
            m.forEach(t::put);
        });
        ObjectNode next = o.putObject("nextCapability");
        r.nextCapability.forEach(next::put);
        ObjectNode values = o.putObject("values");
        r.values.forEach(values::put);
        if (r.description != null) {
            o.set("description", encode(r.description));
        }
        return o;
    }

    static DeviceRecord decode(String key, JsonNode o) {
        if (o.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("unknown format " + o.path("format"));
        }
        DeviceRecord r = new DeviceRecord(key, required(o, "adapter"), o.path("instance").asInt());
        if (r.instance <= 0) {
            throw new IllegalArgumentException("no instance number");
        }
        r.adapterName = o.hasNonNull("adapterName") ? o.get("adapterName").asText() : null;
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("nodes").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            r.nodes.put(e.getKey(), e.getValue().asInt());
            r.nextNode = Math.max(r.nextNode, e.getValue().asInt() + 1);
        }
        r.nextNode = Math.max(r.nextNode, o.path("nextNode").asInt(1));
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("capabilities").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> t = it.next();
            int max = 0;
            for (Iterator<Map.Entry<String, JsonNode>> c = t.getValue().fields(); c.hasNext();) {
                Map.Entry<String, JsonNode> e = c.next();
                int n = e.getValue().asInt();
                r.capabilities.computeIfAbsent(t.getKey(), k -> new java.util.TreeMap<>()).put(e.getKey(), n);
                max = Math.max(max, n);
            }
            int stored = o.path("nextCapability").path(t.getKey()).asInt(1);
            r.nextCapability.put(t.getKey(), Math.max(stored, max + 1));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("values").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            r.values.put(e.getKey(), e.getValue().asText());
        }
        if (o.hasNonNull("description")) {
            r.description = decodeDevice(key, o.get("description"));
        }
        return r;
    }

    /** A description without values (values are never stored); the device counts as offline until it reports. */
    private static ObjectNode encode(DeviceDescription d) {
        ObjectNode o = JsonTrees.object();
        o.put("type", d.type());
        o.put("name", d.name());
        o.put("description", d.description());
        o.put("manufacturer", d.manufacturer());
        o.put("model", d.model());
        o.put("firmware", d.firmware());
        o.put("serialNumber", d.serialNumber());
        o.set("capabilities", encode(d.capabilities()));
        ArrayNode nodes = o.putArray("nodes");
        for (NodeDescription n : d.nodes()) {
            ObjectNode j = nodes.addObject();
            j.put("key", n.key());
            j.put("type", n.type());
            j.put("name", n.name());
            j.put("description", n.description());
            j.set("capabilities", encode(n.capabilities()));
        }
        return o;
    }

    private static ArrayNode encode(List<CapabilityDescription> caps) {
        ArrayNode a = JsonTrees.array();
        for (CapabilityDescription c : caps) {
            ObjectNode j = a.addObject();
            j.put("key", c.key());
            j.put("class", c.capabilityClass().name());
            j.put("type", c.type());
            j.put("name", c.name());
            j.put("description", c.description());
            j.put("unit", c.unit());
            putDecimal(j, "min", c.min());
            putDecimal(j, "max", c.max());
            putDecimal(j, "step", c.step());
            ArrayNode valid = j.putArray("validValues");
            c.validValues().forEach(valid::add);
            ArrayNode names = j.putArray("valueNames");
            c.valueNames().forEach(names::add);
        }
        return a;
    }

    private static void putDecimal(ObjectNode j, String field, BigDecimal v) {
        if (v != null) {
            j.put(field, v.toPlainString());
        }
    }

    private static DeviceDescription decodeDevice(String key, JsonNode o) {
        List<NodeDescription> nodes = new ArrayList<>();
        for (JsonNode n : o.path("nodes")) {
            nodes.add(new NodeDescription(required(n, "key"), text(n, "type"), text(n, "name"), text(n, "description"),
                    decodeCapabilities(n.path("capabilities"))));
        }
        return new DeviceDescription(key, text(o, "type"), text(o, "name"), text(o, "description"),
                text(o, "manufacturer"), text(o, "model"), text(o, "firmware"), text(o, "serialNumber"), false,
                decodeCapabilities(o.path("capabilities")), nodes);
    }

    private static List<CapabilityDescription> decodeCapabilities(JsonNode a) {
        List<CapabilityDescription> out = new ArrayList<>();
        for (JsonNode c : a) {
            List<String> valid = new ArrayList<>();
            c.path("validValues").forEach(v -> valid.add(v.asText()));
            List<String> names = new ArrayList<>();
            c.path("valueNames").forEach(v -> names.add(v.asText()));
            out.add(new CapabilityDescription(required(c, "key"), CapabilityClass.valueOf(required(c, "class")),
                    text(c, "type"), text(c, "name"), text(c, "description"), text(c, "unit"), decimal(c, "min"),
                    decimal(c, "max"), decimal(c, "step"), valid, names, null));
        }
        return out;
    }

    private static BigDecimal decimal(JsonNode o, String field) {
        return o.hasNonNull(field) ? new BigDecimal(o.get(field).asText()) : null;
    }

    /** A field that may be absent or null (an empty text then). */
    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String required(JsonNode o, String field) {
        String v = text(o, field);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("no " + field);
        }
        return v;
    }
}
