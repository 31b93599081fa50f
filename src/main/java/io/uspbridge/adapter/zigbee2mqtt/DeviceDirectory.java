package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uspbridge.proxy.spi.AdapterSink;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import io.uspbridge.proxy.spi.DeviceDescription;
import io.uspbridge.proxy.spi.NodeDescription;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Zigbee2MQTT devices the adapter knows, by IEEE address (the stable key) and by friendly name (the topic),
 * and everything it tells the core about them: discovery from {@code bridge/devices} and {@code bridge/event},
 * state reports, availability. Loop-thread only.
 *
 * <p>A device is online when the broker link is up, the bridge says {@code online}, and its own availability topic
 * (if Zigbee2MQTT publishes one) does not say {@code offline}.
 */
final class DeviceDirectory {

    private static final Logger LOG = Logger.getLogger(DeviceDirectory.class.getName());
    static final String KEY_PREFIX = "zigbee:";
    /** State of friendly names not (yet) known — a device before its bridge/devices entry, or a group. */
    private static final int MAX_ORPHANS = 256;

    /** One known device. */
    static final class Known {
        final String ieee;
        String name;
        ExposeMapper.MappedDevice mapped;
        /** The description without initial values and with online=false: changes only when the device does. */
        DeviceDescription shape;
        ObjectNode lastState = JsonNodeFactory.instance.objectNode();
        Boolean available;
        boolean online;

        Known(String ieee) {
            this.ieee = ieee;
        }

        String key() {
            return KEY_PREFIX + ieee;
        }
    }

    private final ExposeMapper mapper;
    private final Clock clock;
    private final Consumer<String> onRemoved;
    private AdapterSink sink;

    private final Map<String, Known> byIeee = new LinkedHashMap<>();
    private final Map<String, String> ieeeByName = new HashMap<>();
    private final Map<String, Boolean> availabilityByName = new HashMap<>();
    private final Map<String, JsonNode> orphanStates = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
            return size() > MAX_ORPHANS;
        }
    };
    /** bridge/devices entries still being interviewed, so that a device_interview event can complete them. */
    private final Map<String, JsonNode> interviewing = new HashMap<>();
    private final Set<String> logged = new HashSet<>();
    /** Device key → capability keys with a native toggle; read by the core's thread (see Adapter.invoke). */
    private final Map<String, Set<String>> togglable = new ConcurrentHashMap<>();
    private boolean reachable;

    /** @param onRemoved told the IEEE address of a device that left, so its pending writes can fail */
    DeviceDirectory(ExposeMapper mapper, Clock clock, Consumer<String> onRemoved) {
        this.mapper = mapper;
        this.clock = clock;
        this.onRemoved = onRemoved;
    }

    void sink(AdapterSink sink) {
        this.sink = sink;
    }

    Known byKey(String deviceKey) {
        if (deviceKey == null) {
            return null;
        }
        return byIeee.get(deviceKey.startsWith(KEY_PREFIX) ? deviceKey.substring(KEY_PREFIX.length()) : deviceKey);
    }

    /** A device by key, IEEE address or friendly name (for adapter commands typed by people). */
    Known resolve(String idOrName) {
        Known k = byKey(idOrName);
        if (k == null && idOrName != null) {
            String ieee = ieeeByName.get(idOrName);
            k = ieee == null ? null : byIeee.get(ieee);
        }
        return k;
    }

    Known byName(String name) {
        String ieee = ieeeByName.get(name);
        return ieee == null ? null : byIeee.get(ieee);
    }

    /** Whether a capability has Zigbee2MQTT's native toggle; safe from any thread. */
    boolean togglable(String deviceKey, String capabilityKey) {
        return togglable.getOrDefault(deviceKey, Set.of()).contains(capabilityKey);
    }

    // ---- discovery ------------------------------------------------------------------------------------------

    /** The retained {@code bridge/devices} list: add, update and remove so that the core matches it. */
    void onDevices(JsonNode list) {
        if (!list.isArray()) {
            logOnce("devices-not-array", Level.WARNING, "Zigbee2MQTT bridge/devices is not a JSON array; ignored");
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        boolean wellFormed = true;
        for (JsonNode entry : list) {
            String ieee = entry.isObject() ? ExposeMapper.text(entry, "ieee_address") : null;
            if (ieee == null) {
                logOnce("entry-without-ieee", Level.WARNING, "Zigbee2MQTT bridge/devices has an entry without "
                        + "ieee_address; ignored, and no device is removed on account of this list");
                wellFormed = false;
                continue;
            }
            if ("Coordinator".equals(ExposeMapper.text(entry, "type"))) {
                continue;
            }
            String name = ExposeMapper.text(entry, "friendly_name");
            if (name == null || name.isEmpty()) {
                name = ieee;
            }
            if (entry.path("disabled").asBoolean(false)) {
                logOnce("disabled|" + ieee, Level.INFO, "Zigbee device " + ieee + " (" + name + ") is disabled in "
                        + "Zigbee2MQTT; not represented");
                continue;
            }
            if (!describable(entry)) {
                if (interviewPending(entry)) {
                    interviewing.put(ieee, entry);
                    if (byIeee.containsKey(ieee)) {
                        seen.add(ieee); // re-interviewing a known device: keep it as it is
                    }
                    logOnce("interview|" + ieee, Level.FINE, "Zigbee device " + ieee + " (" + name
                            + ") is being interviewed");
                } else {
                    logOnce("unsupported|" + ieee, Level.INFO, "Zigbee device " + ieee + " (" + name + ") has no "
                            + "Zigbee2MQTT definition (unsupported or interview failed); not represented");
                }
                continue;
            }
            interviewing.remove(ieee);
            seen.add(ieee);
            describe(ieee, name, entry);
        }
        // A list Zigbee2MQTT could not have written proves nothing about absent devices: never remove on it.
        for (Iterator<Known> it = byIeee.values().iterator(); wellFormed && it.hasNext();) {
            Known k = it.next();
            if (!seen.contains(k.ieee)) {
                it.remove();
                ieeeByName.remove(k.name);
                gone(k, "is no longer in Zigbee2MQTT's device list");
            }
        }
        if (wellFormed) {
            Set<String> keys = new LinkedHashSet<>();
            byIeee.values().forEach(k -> keys.add(k.key()));
            sink.inventoryComplete(keys);
        }
    }

    private static boolean describable(JsonNode entry) {
        JsonNode def = entry.path("definition");
        return def.isObject() && def.path("exposes").isArray() && !interviewPending(entry);
    }

    private static boolean interviewPending(JsonNode entry) {
        String state = ExposeMapper.text(entry, "interview_state");
        if (state != null) {
            return state.equals("PENDING") || state.equals("IN_PROGRESS");
        }
        return entry.path("interviewing").asBoolean(false) || !entry.path("interview_completed").asBoolean(true);
    }

    /** {@code bridge/event}: joins, interviews, announces and leaves. */
    void onEvent(JsonNode event) {
        String type = event.path("type").asText("");
        JsonNode data = event.path("data");
        String ieee = ExposeMapper.text(data, "ieee_address");
        String name = ExposeMapper.text(data, "friendly_name");
        if (ieee == null) {
            return;
        }
        switch (type) {
            case "device_joined" -> LOG.info("Zigbee device joined: " + ieee + " (" + name + ")");
            case "device_interview" -> interview(ieee, name, data);
            case "device_announce" -> {
                Known k = byIeee.get(ieee);
                if (k != null) {
                    LOG.fine("Zigbee device announced itself: " + ieee + " (" + k.name + ")");
                    // A device that announces itself is on the network, whatever an older availability said.
                    k.available = Boolean.TRUE;
                    updateOnline(k);
                }
            }
            case "device_leave" -> {
                interviewing.remove(ieee);
                Known k = byIeee.remove(ieee);
                if (k != null) {
                    ieeeByName.remove(k.name);
                    gone(k, "left the network");
                }
            }
            default -> LOG.fine("Zigbee2MQTT event " + type + " ignored");
        }
    }

    private void interview(String ieee, String name, JsonNode data) {
        String status = data.path("status").asText("");
        switch (status) {
            case "started" -> LOG.info("Zigbee device " + ieee + " (" + name + "): interview started");
            case "failed" -> LOG.warning("Zigbee device " + ieee + " (" + name + "): interview failed; it stays "
                    + "unrepresented until a new interview succeeds");
            case "successful" -> {
                LOG.info("Zigbee device " + ieee + " (" + name + "): interview successful");
                JsonNode entry = interviewing.remove(ieee);
                if (entry != null && data.path("definition").isObject() && data.path("supported").asBoolean(true)) {
                    // Don't wait for the next bridge/devices: the event carries the definition.
                    ObjectNode complete = entry.deepCopy();
                    complete.set("definition", data.get("definition"));
                    complete.put("interview_completed", true);
                    complete.put("interviewing", false);
                    complete.put("interview_state", "SUCCESSFUL");
                    if (name != null) {
                        complete.put("friendly_name", name);
                    }
                    describe(ieee, name != null ? name : ieee, complete);
                }
            }
            default -> LOG.fine("Zigbee device " + ieee + ": interview " + status);
        }
    }

    private void describe(String ieee, String name, JsonNode entry) {
        ExposeMapper.MappedDevice mapped = mapper.map(entry);
        for (ExposeMapper.Note n : mapped.notes()) {
            logOnce("note|" + ieee + "|" + n.feature() + "|" + n.reason(), n.quiet() ? Level.FINE : Level.INFO,
                    "Zigbee device " + name + " (" + ieee + "): feature " + n.feature() + " not mapped: " + n.reason());
        }
        Known k = byIeee.get(ieee);
        boolean added = k == null;
        if (added) {
            k = new Known(ieee);
            byIeee.put(ieee, k);
            JsonNode orphan = orphanStates.remove(name);
            if (orphan != null && orphan.isObject()) {
                k.lastState.setAll((ObjectNode) orphan);
            }
            k.available = availabilityByName.get(name);
        } else if (!k.name.equals(name)) {
            LOG.info("Zigbee device " + ieee + " renamed: " + k.name + " → " + name);
            ieeeByName.remove(k.name);
            Boolean a = availabilityByName.get(name);
            if (a != null) {
                k.available = a;
            }
        }
        k.name = name;
        ieeeByName.put(name, ieee);
        DeviceDescription shape = description(k, entry, mapped, false);
        if (shape.equals(k.shape)) {
            return;
        }
        k.shape = shape;
        k.mapped = mapped;
        Set<String> toggles = new HashSet<>();
        mapped.bindings().values().stream().filter(b -> b.toggleValue() != null).forEach(b -> toggles.add(b.key()));
        togglable.put(k.key(), Set.copyOf(toggles));
        k.online = online(k);
        if (added) {
            LOG.info("Zigbee device " + name + " (" + ieee + ", " + shape.manufacturer() + " " + shape.model()
                    + ") represented as " + shape.type() + " with " + mapped.bindings().size() + " capabilities");
        }
        sink.deviceAppeared(description(k, entry, mapped, true));
    }

    private DeviceDescription description(Known k, JsonNode entry, ExposeMapper.MappedDevice mapped, boolean full) {
        JsonNode def = entry.path("definition");
        String description = ExposeMapper.text(entry, "description");
        if (description == null || description.isEmpty()) {
            description = ExposeMapper.text(def, "description");
        }
        String vendor = ExposeMapper.text(def, "vendor");
        if (vendor == null) {
            vendor = ExposeMapper.text(entry, "manufacturer");
        }
        String model = ExposeMapper.text(def, "model");
        if (model == null) {
            model = ExposeMapper.text(entry, "model_id");
        }
        List<NodeDescription> nodes = new ArrayList<>();
        for (ExposeMapper.MappedNode n : mapped.nodes()) {
            nodes.add(new NodeDescription(n.key(), n.type(), n.key(), n.description(), capabilities(k, n.bindings(), full)));
        }
        return new DeviceDescription(k.key(), mapped.type(), k.name, truncate(description, 256), vendor, model,
                ExposeMapper.text(entry, "software_build_id"), k.ieee, full && k.online,
                capabilities(k, mapped.topLevel(), full), nodes);
    }

    private static List<CapabilityDescription> capabilities(Known k, List<FeatureBinding> bindings, boolean full) {
        List<CapabilityDescription> out = new ArrayList<>(bindings.size());
        for (FeatureBinding b : bindings) {
            CapabilityDescription c = b.capability();
            CapabilityValue initial = full ? b.read(k.lastState) : null;
            out.add(initial == null ? c : new CapabilityDescription(c.key(), c.capabilityClass(), c.type(), c.name(),
                    c.description(), c.unit(), c.min(), c.max(), c.step(), c.validValues(), c.valueNames(), initial));
        }
        return out;
    }

    private void gone(Known k, String why) {
        LOG.info("Zigbee device " + k.name + " (" + k.ieee + ") " + why + "; its rows are removed");
        orphanStates.remove(k.name);
        togglable.remove(k.key());
        onRemoved.accept(k.ieee);
        sink.deviceRemoved(k.key());
    }

    /** Removes a device that Zigbee2MQTT confirmed removed, without waiting for the next device list. */
    void removed(String ieee) {
        Known k = byIeee.remove(ieee);
        if (k != null) {
            ieeeByName.remove(k.name);
            gone(k, "was removed from Zigbee2MQTT");
        }
    }

    // ---- state and availability -----------------------------------------------------------------------------

    /** A state report on {@code <friendly_name>}. */
    void onState(String name, JsonNode state) {
        Known k = byName(name);
        if (k == null) {
            if (state.isObject()) {
                orphanStates.put(name, state);
            }
            return;
        }
        if (!state.isObject()) {
            logOnce("state-not-object|" + k.ieee, Level.WARNING, "Zigbee device " + name + " published a state that "
                    + "is not a JSON object; ignored");
            return;
        }
        // Zigbee2MQTT sends the whole cached state each time; merging also keeps values a partial report lacks.
        k.lastState.setAll((ObjectNode) state);
        Instant at = clock.instant();
        for (FeatureBinding b : k.mapped.bindings().values()) {
            JsonNode raw = b.find(state);
            if (raw == null) {
                continue;
            }
            CapabilityValue v = b.codec().decode(raw);
            if (v == null) {
                logOnce("value|" + k.ieee + "|" + b.key() + "|" + raw, Level.INFO, "Zigbee device " + name
                        + " reported " + b.key() + " = " + raw + ", which does not fit " + b.capability()
                        .capabilityClass().modelName() + "; ignored");
                continue;
            }
            sink.valueChanged(k.key(), b.nodeKey(), b.key(), v, at);
        }
    }

    /** {@code <friendly_name>/availability}; null when the retained message was cleared (after a rename). */
    void onAvailability(String name, Boolean available) {
        if (available == null) {
            availabilityByName.remove(name);
            return;
        }
        availabilityByName.put(name, available);
        Known k = byName(name);
        if (k != null) {
            k.available = available;
            updateOnline(k);
        }
    }

    /** Whether the broker link is up and the bridge online; every device follows. */
    void reachable(boolean now) {
        if (reachable == now) {
            return;
        }
        reachable = now;
        byIeee.values().forEach(this::updateOnline);
    }

    private boolean online(Known k) {
        return reachable && !Boolean.FALSE.equals(k.available);
    }

    private void updateOnline(Known k) {
        boolean now = online(k);
        if (k.mapped != null && now != k.online) {
            k.online = now;
            sink.availabilityChanged(k.key(), now, clock.instant());
        }
    }

    private void logOnce(String key, Level level, String message) {
        if (logged.size() < 10_000 && logged.add(key)) {
            LOG.log(level, message);
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
