package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Zigbee2MQTT 2.14 stand-in for tests: it publishes the captured real payloads ({@code bridge/devices},
 * {@code bridge/info}) into a real broker with the retained flags Zigbee2MQTT uses, and answers like Zigbee2MQTT
 * (lib/extension/publish.ts, bridge.ts, availability.ts):
 * <ul>
 *   <li>{@code <name>/set}: validates each property against the device's exposes, applies it and publishes the
 *       whole state (the "optimistic" state echo); an invalid value or a failing device is logged on
 *       {@code bridge/logging} as {@code Publish 'set' '<key>' to '<name>' failed: ...}; an unknown name as
 *       {@code Entity '<name>' is unknown};</li>
 *   <li>{@code <name>/get}: publishes the state;</li>
 *   <li>{@code bridge/request/permit_join}, {@code device/remove}, {@code device/rename}: answer on
 *       {@code bridge/response/...} with the request's {@code transaction}, and republish {@code bridge/devices}
 *       and {@code bridge/info} as Zigbee2MQTT does; a rename clears the old retained availability topic;</li>
 *   <li>joins, interviews and leaves as {@code bridge/event}; {@code bridge/state} online/offline (also the last
 *       will).</li>
 * </ul>
 * A device can be made silent (it never answers, like one out of range), and any payload can be injected raw.
 * On reconnecting after a broker restart it publishes {@code bridge/state} online again, and the publishes it
 * made while the broker was down are delivered then, like Zigbee2MQTT's MQTT client.
 */
public final class Zigbee2MqttSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A {@code /set} or {@code /get} the simulator received. */
    public record Received(String name, String kind, JsonNode payload) {
    }

    private final String brokerUrl;
    private final String base;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "z2m-simulator");
        t.setDaemon(true);
        return t;
    });
    private final ArrayNode devices;
    private final ObjectNode info;
    private final Map<String, ObjectNode> states = new LinkedHashMap<>();
    private final Set<String> silent = new HashSet<>();
    private final Set<String> failing = new HashSet<>();
    private boolean muteRequests;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private MqttAsyncClient client;
    private boolean online = true;

    /** @param base Zigbee2MQTT's base topic; tests sharing a broker use one each */
    public Zigbee2MqttSimulator(String brokerUrl, String base) {
        this.brokerUrl = brokerUrl;
        this.base = base;
        this.devices = (ArrayNode) resource("bridge-devices.json");
        this.info = (ObjectNode) resource("bridge-info.json");
        JsonNode initial = resource("simulator-states.json");
        for (JsonNode d : devices) {
            String name = d.path("friendly_name").asText();
            JsonNode s = initial.get(name);
            states.put(name, s == null ? JSON.createObjectNode() : ((ObjectNode) s).deepCopy());
        }
    }

    static JsonNode resource(String name) {
        try (InputStream in = Zigbee2MqttSimulator.class.getResourceAsStream("/zigbee2mqtt/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource zigbee2mqtt/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and publishes the bridge topics, the availability of every device and their states. */
    public Zigbee2MqttSimulator start() {
        call(() -> {
            client = new MqttAsyncClient(brokerUrl, "z2m-simulator-" + base, new MemoryPersistence());
            client.setCallback(new Callback());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setAutomaticReconnect(true);
            o.setAutomaticReconnectDelay(1, 2);
            o.setWill(topic("bridge/state"), new MqttMessage(bytes("{\"state\":\"offline\"}"), 1, true, null));
            client.connect(o).waitForCompletion(10_000);
            subscribe();
            publish("bridge/state", "{\"state\":\"online\"}", true);
            publish("bridge/info", info.toString(), true);
            publish("bridge/devices", devices.toString(), true);
            for (JsonNode d : devices) {
                if (!"Coordinator".equals(d.path("type").asText())) {
                    String name = d.path("friendly_name").asText();
                    publish(name + "/availability", "{\"state\":\"online\"}", true);
                    publish(name, states.get(name).toString(), false);
                }
            }
            return null;
        });
        return this;
    }

    private void subscribe() throws MqttException {
        client.subscribe(new String[] {base + "/+/set", base + "/+/get", base + "/+/+/set", base + "/bridge/request/#"},
                new int[] {1, 1, 1, 1}).waitForCompletion(10_000);
    }

    // ---- test controls ---------------------------------------------------------------------------------------

    /** Zigbee2MQTT stops (bridge/state offline, retained) or comes back. */
    public void bridgeOnline(boolean on) {
        call(() -> {
            online = on;
            publish("bridge/state", on ? "{\"state\":\"online\"}" : "{\"state\":\"offline\"}", true);
            return null;
        });
    }

    /** The device reports new values; Zigbee2MQTT publishes its whole cached state. */
    public void report(String name, String json) {
        call(() -> {
            ObjectNode s = states.get(name);
            s.setAll((ObjectNode) JSON.readTree(json));
            publish(name, s.toString(), false);
            return null;
        });
    }

    /** The device stops answering (/set and /get are dropped, as if it were out of range). */
    public void silence(String name) {
        call(() -> silent.add(name));
    }

    /** The device's next /set fails at the Zigbee level: Zigbee2MQTT logs the failure, publishes no state. */
    public void failNext(String name) {
        call(() -> failing.add(name));
    }

    /** Bridge requests are recorded but not answered (to test transaction matching with injected responses). */
    public void muteRequests(boolean mute) {
        call(() -> {
            muteRequests = mute;
            return null;
        });
    }

    /** Availability as Zigbee2MQTT publishes it: JSON, or the legacy plain {@code online}/{@code offline}. */
    public void availability(String name, boolean available, boolean legacy) {
        call(() -> {
            String state = available ? "online" : "offline";
            publish(name + "/availability", legacy ? state : "{\"state\":\"" + state + "\"}", true);
            return null;
        });
    }

    /** The device leaves the network: device_leave event, removed from the device list. */
    public void leave(String ieee) {
        call(() -> {
            ObjectNode d = find(ieee);
            String name = d.path("friendly_name").asText();
            publish("bridge/event", JSON.createObjectNode().put("type", "device_leave").set("data",
                    JSON.createObjectNode().put("ieee_address", ieee).put("friendly_name", name)).toString(), false);
            removeEntry(ieee);
            return null;
        });
    }

    /** Removes a device from the list (and publishes the list) without an event, e.g. while the broker is down. */
    public void forget(String ieee) {
        call(() -> {
            removeEntry(ieee);
            return null;
        });
    }

    /**
     * A new device joins and is interviewed, as Zigbee2MQTT reports it: device_joined, the list with the device
     * interviewing (no definition), device_interview started, device_interview successful with the definition,
     * and the final list.
     */
    public void join(JsonNode entry, String initialState) {
        call(() -> {
            String ieee = entry.path("ieee_address").asText();
            String name = entry.path("friendly_name").asText();
            ObjectNode data = JSON.createObjectNode().put("friendly_name", name).put("ieee_address", ieee);
            publish("bridge/event", JSON.createObjectNode().put("type", "device_joined").set("data", data).toString(),
                    false);
            ObjectNode interviewing = ((ObjectNode) entry).deepCopy();
            interviewing.putNull("definition");
            interviewing.put("interview_completed", false).put("interviewing", true).put("interview_state",
                    "IN_PROGRESS").put("supported", false);
            devices.add(interviewing);
            states.put(name, (ObjectNode) JSON.readTree(initialState));
            publish("bridge/devices", devices.toString(), true);
            publish("bridge/event", JSON.createObjectNode().put("type", "device_interview").set("data",
                    data.deepCopy().put("status", "started")).toString(), false);
            ObjectNode ok = data.deepCopy().put("status", "successful").put("supported", true);
            ok.set("definition", entry.get("definition"));
            publish("bridge/event", JSON.createObjectNode().put("type", "device_interview").set("data", ok).toString(),
                    false);
            devices.remove(devices.size() - 1);
            devices.add(entry.deepCopy());
            publish("bridge/devices", devices.toString(), true);
            publish(name + "/availability", "{\"state\":\"online\"}", true);
            publish(name, initialState, false);
            return null;
        });
    }

    /** Publishes any payload under the base topic. */
    public void raw(String topicSuffix, String payload, boolean retained) {
        call(() -> {
            publish(topicSuffix, payload, retained);
            return null;
        });
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public JsonNode state(String name) {
        return call(() -> states.get(name).deepCopy());
    }

    public boolean permitJoin() {
        return call(() -> info.path("permit_join").asBoolean());
    }

    /** The friendly name Zigbee2MQTT has for a device now. */
    public String name(String ieee) {
        return call(() -> find(ieee) == null ? null : find(ieee).path("friendly_name").asText());
    }

    @Override
    public void close() {
        call(() -> {
            if (client != null) {
                try {
                    client.disconnect(1000).waitForCompletion(2000);
                } catch (MqttException e) {
                    // the broker may be gone already
                }
                client.close(true);
            }
            return null;
        });
        worker.shutdownNow();
    }

    // ---- Zigbee2MQTT behaviour -------------------------------------------------------------------------------

    private void onMessage(String topic, String payload) throws Exception {
        String rest = topic.substring(base.length() + 1);
        if (rest.startsWith("bridge/request/")) {
            request(rest.substring("bridge/request/".length()), payload);
            return;
        }
        String[] parts = rest.split("/");
        String name = parts[0];
        String kind = parts[parts.length - 1];
        JsonNode message;
        try {
            message = JSON.readTree(payload);
        } catch (IOException e) {
            message = null;
        }
        received.add(new Received(name, kind, message));
        if (!online) {
            return; // Zigbee2MQTT is stopped: nobody reads the command
        }
        ObjectNode device = byName(name);
        if (device == null) {
            log("error", "Entity '" + name + "' is unknown");
            return;
        }
        if (message == null || !message.isObject()) {
            log("error", "Invalid message 'null', skipping...");
            return;
        }
        if (silent.contains(name)) {
            return;
        }
        ObjectNode state = states.get(name);
        if ("set".equals(kind) && failing.remove(name)) {
            String key = message.fieldNames().hasNext() ? message.fieldNames().next() : "?";
            log("error", "Publish 'set' '" + key.replaceFirst("_(l\\d+|left|right|center)$", "") + "' to '" + name
                    + "' failed: 'Error: ZCL command 0x000b57fffe1a2b01/1 genOnOff.on({}) failed (Timeout - 6657 - 1 - 5 - 6 - 11 after 10000ms)'");
            return;
        }
        if ("get".equals(kind)) {
            publish(name, state.toString(), false);
            return;
        }
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = message.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode feature = feature(device, e.getKey());
            String key = e.getKey().replaceFirst("_(l\\d+|left|right|center)$", "");
            if (feature == null) {
                log("error", "No converter available for '" + key + "' (" + e.getValue() + ")");
                continue;
            }
            String error = apply(feature, e.getKey(), e.getValue(), state);
            if (error != null) {
                log("error", "Publish 'set' '" + key + "' to '" + name + "' failed: 'Error: " + error + "'");
                continue;
            }
            changed = true;
        }
        if (changed) {
            publish(name, state.toString(), false);
        }
    }

    /** Validates and applies one property; returns an error text, or null. */
    private static String apply(JsonNode feature, String property, JsonNode value, ObjectNode state) {
        switch (feature.path("type").asText()) {
            case "binary" -> {
                JsonNode on = feature.get("value_on");
                JsonNode off = feature.get("value_off");
                JsonNode toggle = feature.get("value_toggle");
                if (toggle != null && value.isTextual() && value.asText().equalsIgnoreCase(toggle.asText())) {
                    state.set(property, on.equals(state.get(property)) ? off : on);
                } else if (value.equals(on) || value.equals(off)) {
                    state.set(property, value);
                } else {
                    return "State value '" + value.asText() + "' invalid, must be '" + on.asText() + "' or '"
                            + off.asText() + "'";
                }
            }
            case "numeric" -> {
                if (!value.isNumber()) {
                    return property + " must be a number";
                }
                if (feature.has("value_min") && value.decimalValue().compareTo(feature.get("value_min").decimalValue()) < 0
                        || feature.has("value_max")
                        && value.decimalValue().compareTo(feature.get("value_max").decimalValue()) > 0) {
                    return property + " " + value + " is out of range";
                }
                state.set(property, value);
                // zhc light_onoff_brightness: a brightness above 0 switches the light on.
                if (property.equals("brightness") && state.has("state")) {
                    state.put("state", value.asInt() > 0 ? "ON" : "OFF");
                }
            }
            case "enum" -> {
                boolean known = false;
                for (JsonNode v : feature.path("values")) {
                    known |= v.equals(value);
                }
                if (!known) {
                    return "Value '" + value.asText() + "' is not allowed, expected one of " + feature.path("values");
                }
                if ((feature.path("access").asInt() & 1) != 0) {
                    state.set(property, value);
                }
            }
            default -> {
                return "cannot set a " + feature.path("type").asText();
            }
        }
        return null;
    }

    /** The expose leaf with this property, searched through specific and composite exposes. */
    private static JsonNode feature(JsonNode device, String property) {
        return findFeature(device.path("definition").path("exposes"), property);
    }

    private static JsonNode findFeature(JsonNode list, String property) {
        for (JsonNode e : list) {
            if (property.equals(e.path("property").asText()) && !e.has("features")) {
                return e;
            }
            if (e.has("features") && !e.has("property")) {
                JsonNode f = findFeature(e.get("features"), property);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    private void request(String name, String payload) throws Exception {
        JsonNode req;
        try {
            req = JSON.readTree(payload);
        } catch (IOException e) {
            log("error", "Invalid request " + name);
            return;
        }
        requests.add(req);
        if (muteRequests) {
            return;
        }
        JsonNode transaction = req.get("transaction");
        ObjectNode response = JSON.createObjectNode();
        ObjectNode data = response.putObject("data");
        String error = null;
        switch (name) {
            case "permit_join" -> {
                if (!req.path("time").canConvertToInt()) {
                    error = "Invalid payload";
                } else {
                    int time = req.get("time").intValue();
                    data.put("time", time);
                    info.put("permit_join", time > 0);
                    if (time > 0) {
                        info.put("permit_join_end", System.currentTimeMillis() + time * 1000L);
                    } else {
                        info.remove("permit_join_end");
                    }
                    publish("bridge/info", info.toString(), true);
                }
            }
            case "device/remove" -> {
                String id = req.path("id").asText();
                ObjectNode d = find(id) != null ? find(id) : byName(id);
                if (d == null) {
                    error = "Device '" + id + "' does not exist";
                } else {
                    data.put("id", id).put("block", false).put("force", req.path("force").asBoolean(false));
                    removeEntry(d.path("ieee_address").asText());
                }
            }
            case "device/rename" -> {
                String from = req.path("from").asText();
                String to = req.path("to").asText();
                ObjectNode d = byName(from) != null ? byName(from) : find(from);
                if (d == null) {
                    error = "Device '" + from + "' does not exist";
                } else if (byName(to) != null) {
                    error = "friendly_name '" + to + "' is already in use";
                } else {
                    String old = d.path("friendly_name").asText();
                    d.put("friendly_name", to);
                    states.put(to, states.remove(old));
                    // Zigbee2MQTT clears the old retained topics and publishes the availability under the new name.
                    publish(old + "/availability", "", true);
                    publish(to + "/availability", "{\"state\":\"online\"}", true);
                    publish("bridge/devices", devices.toString(), true);
                    data.put("from", old).put("homeassistant_rename", false).put("to", to);
                }
            }
            default -> error = "Request '" + name + "' is not supported by the simulator";
        }
        if (error != null) {
            response.put("status", "error").put("error", error);
            response.set("data", JSON.createObjectNode());
        } else {
            response.put("status", "ok");
        }
        if (transaction != null) {
            response.set("transaction", transaction);
        }
        publish("bridge/response/" + name, response.toString(), false);
    }

    private void removeEntry(String ieee) throws MqttException {
        for (int i = 0; i < devices.size(); i++) {
            if (ieee.equals(devices.get(i).path("ieee_address").asText())) {
                String name = devices.get(i).path("friendly_name").asText();
                devices.remove(i);
                states.remove(name);
                publish(name + "/availability", "", true);
                break;
            }
        }
        publish("bridge/devices", devices.toString(), true);
    }

    private ObjectNode find(String ieee) {
        for (JsonNode d : devices) {
            if (ieee.equals(d.path("ieee_address").asText())) {
                return (ObjectNode) d;
            }
        }
        return null;
    }

    private ObjectNode byName(String name) {
        for (JsonNode d : devices) {
            if (name.equals(d.path("friendly_name").asText()) && !"Coordinator".equals(d.path("type").asText())) {
                return (ObjectNode) d;
            }
        }
        return null;
    }

    private void log(String level, String message) throws MqttException {
        publish("bridge/logging", JSON.createObjectNode().put("level", level).put("message", message)
                .put("namespace", "z2m").toString(), false);
    }

    private void publish(String suffix, String payload, boolean retained) throws MqttException {
        // Like mqtt.js, publishes made while the broker is away wait and go out after the reconnect.
        if (client.isConnected()) {
            try {
                // One at a time: the broker allows only a few QoS 1 publishes in flight.
                client.publish(topic(suffix), new MqttMessage(bytes(payload), 1, retained, null))
                        .waitForCompletion(5000);
                return;
            } catch (MqttException e) {
                // lost the broker just now: keep it for the reconnect
            }
        }
        pending.add(new String[] {suffix, payload, String.valueOf(retained)});
    }

    private final List<String[]> pending = new ArrayList<>();

    private String topic(String suffix) {
        return base + "/" + suffix;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <T> T call(Callable<T> task) {
        Future<T> f = worker.submit(task);
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("simulator: " + e, e);
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
            worker.execute(() -> {
                try {
                    onMessage(topic, payload);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                worker.execute(() -> {
                    try {
                        // Zigbee2MQTT subscribes and announces itself again after a reconnect, then flushes what
                        // waited.
                        subscribe();
                        publish("bridge/state", online ? "{\"state\":\"online\"}" : "{\"state\":\"offline\"}", true);
                        List<String[]> waiting = new ArrayList<>(pending);
                        pending.clear();
                        for (String[] p : waiting) {
                            publish(p[0], p[1], Boolean.parseBoolean(p[2]));
                        }
                    } catch (MqttException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
