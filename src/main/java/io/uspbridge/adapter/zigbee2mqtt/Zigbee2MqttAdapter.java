package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uspbridge.adapter.AdapterThread;
import io.uspbridge.proxy.spi.Adapter;
import io.uspbridge.proxy.spi.AdapterCommandSpec;
import io.uspbridge.proxy.spi.AdapterCommandSpec.Argument;
import io.uspbridge.proxy.spi.AdapterCommandSpec.Kind;
import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.AdapterSink;
import io.uspbridge.proxy.spi.AdapterStatus;
import io.uspbridge.proxy.spi.CapabilityCommand;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zigbee devices through <a href="https://www.zigbee2mqtt.io">Zigbee2MQTT</a>: the adapter holds its own MQTT
 * connection to Zigbee2MQTT's broker, learns the devices from the retained {@code bridge/devices} and from
 * {@code bridge/event}, maps their {@code exposes} to IoT capabilities with the {@link MappingProfiles}, reports
 * state and availability, and turns writes into {@code <name>/set}. It knows nothing of USP.
 *
 * <pre>
 *   Zigbee2MQTT ──MQTT──▶ MqttLink ──▶ loop thread "zigbee2mqtt" ──▶ DeviceDirectory ──▶ AdapterSink (core)
 *                                          │  bridge/state, info, devices, event, response, logging
 *   core ──write/invoke/refresh/runCommand─▶ loop ──▶ PendingWrites / BridgeRequests ──▶ MqttLink publish
 * </pre>
 *
 * All state lives on the one loop thread; the core's calls are posted to it and answered with futures.
 */
public final class Zigbee2MqttAdapter implements Adapter {

    private static final Logger LOG = Logger.getLogger(Zigbee2MqttAdapter.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Zigbee2MQTT's log line for a failed /set or /get (lib/extension/publish.ts). */
    private static final Pattern PUBLISH_FAILED = Pattern.compile("^Publish '(set|get)' '([^']+)' to '(.+)' failed: (.*)$",
            Pattern.DOTALL);
    private static final int MAX_PERMIT_JOIN = 254;

    public static final String PERMIT_JOIN = "PermitJoin";
    public static final String REMOVE_DEVICE = "RemoveDevice";
    public static final String RENAME_DEVICE = "RenameDevice";

    private final Zigbee2MqttSettings settings;
    private final Clock clock;
    private final String base;
    private final AdapterThread thread;
    private final MqttLink link;
    private final DeviceDirectory directory;
    private final PendingWrites writes;
    private final BridgeRequests requests;
    private final List<String> profileFiles;

    // Loop-thread state.
    private AdapterSink sink;
    private boolean bridgeOnline;
    private AdapterStatus status;
    private String bridgeVersion;
    private boolean permitJoin;
    private final Set<String> badTopics = new HashSet<>();

    public Zigbee2MqttAdapter(Zigbee2MqttSettings settings) {
        this(settings, MappingProfiles.load(Optional.ofNullable(settings.profileFolder())), Clock.systemUTC());
    }

    public Zigbee2MqttAdapter(Zigbee2MqttSettings settings, MappingProfiles profiles, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.base = settings.baseTopic();
        this.thread = new AdapterThread("zigbee2mqtt");
        ScheduledExecutorService loop = thread.executor();
        this.writes = new PendingWrites(loop);
        this.directory = new DeviceDirectory(new ExposeMapper(profiles), clock,
                ieee -> writes.fail(ieee, AdapterException.Reason.UNKNOWN_DEVICE, "the device left the network"));
        this.link = new MqttLink(settings, loop, new LinkEvents(), List.of(base + "/#"));
        this.requests = new BridgeRequests(loop, base, (topic, payload) -> link.publish(topic, payload, 1, false));
        this.profileFiles = profiles.files();
    }

    @Override
    public String id() {
        return "zigbee2mqtt";
    }

    @Override
    public String proxyProtocol() {
        return "ZigBee";
    }

    @Override
    public void start(AdapterSink sink) {
        thread.run(() -> {
            this.sink = sink;
            directory.sink(sink);
            LOG.info("Zigbee2MQTT adapter starting: broker " + settings.brokerUrl() + ", base topic " + base
                    + ", mapping profiles " + profileFiles);
            publishStatus(false, "connecting to " + settings.brokerUrl());
            link.start();
        });
    }

    @Override
    public void stop() {
        thread.stop(() -> {
            link.stop();
            writes.fail(null, AdapterException.Reason.DISCONNECTED, "the Zigbee2MQTT adapter stopped");
            requests.failAll(AdapterException.Reason.DISCONNECTED, "the Zigbee2MQTT adapter stopped");
        });
    }

    // ---- core → adapter -------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> write(String deviceKey, String nodeKey, String capabilityKey,
            CapabilityValue value) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.request(f, () -> {
            DeviceDirectory.Known k = device(deviceKey);
            FeatureBinding b = binding(k, capabilityKey);
            if (!b.feature().writable() || !b.capability().writable()) {
                throw new AdapterException(AdapterException.Reason.NOT_SUPPORTED, b.key() + " of " + k.name
                        + " cannot be written");
            }
            requireReachable();
            JsonNode sent = b.codec().encode(value);
            send(k, b, sent, sent, f, "write");
        });
        return f;
    }

    @Override
    public CompletionStage<Void> invoke(String deviceKey, String nodeKey, String capabilityKey,
            CapabilityCommand command) {
        if (command != CapabilityCommand.TOGGLE) {
            return null;
        }
        // The SPI wants the answer "native or not" now, on the caller's thread, without waiting for ours.
        if (!directory.togglable(deviceKey, capabilityKey)) {
            return null;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.request(f, () -> {
            DeviceDirectory.Known k = device(deviceKey);
            FeatureBinding current = binding(k, capabilityKey);
            requireReachable();
            JsonNode toggle = JSON.getNodeFactory().textNode(current.toggleValue());
            // Expect the opposite of the last reported value; without one, any report of the feature confirms.
            JsonNode last = current.find(k.lastState);
            JsonNode expected = null;
            if (last != null && current.codec().decode(last) instanceof CapabilityValue.Binary was) {
                expected = current.codec().encode(new CapabilityValue.Binary(!was.value()));
            }
            send(k, current, toggle, expected, f, "toggle");
        });
        return f;
    }

    @Override
    public CompletionStage<Void> refresh(String deviceKey, String nodeKey, String capabilityKey) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.request(f, () -> {
            DeviceDirectory.Known k = device(deviceKey);
            FeatureBinding b = binding(k, capabilityKey);
            if (!b.feature().gettable()) {
                // Zigbee2MQTT cannot read it on demand (no GET access bit): the last report is all there is.
                f.complete(null);
                return;
            }
            requireReachable();
            ObjectNode payload = JSON.createObjectNode();
            payload.put(b.feature().path().get(0), "");
            writes.await(k.ieee, k.name, b, null, settings.writeTimeout(), f, "refresh");
            link.publish(base + "/" + k.name + "/get", payload.toString(), 1, false)
                    .whenComplete((ok, e) -> published(f, e));
        });
        return f;
    }

    /** Publishes {@code <name>/set} and waits for the state report that confirms {@code expected}. */
    private void send(DeviceDirectory.Known k, FeatureBinding b, JsonNode value, JsonNode expected,
            CompletableFuture<Void> f, String what) {
        ObjectNode payload = JSON.createObjectNode();
        ObjectNode at = payload;
        List<String> path = b.feature().path();
        for (int i = 0; i < path.size() - 1; i++) {
            at = at.putObject(path.get(i));
        }
        at.set(path.get(path.size() - 1), value);
        boolean reported = b.feature().readable();
        if (reported) {
            writes.await(k.ieee, k.name, b, expected, settings.writeTimeout(), f, what);
        }
        link.publish(base + "/" + k.name + "/set", payload.toString(), 1, false).whenComplete((ok, e) -> {
            if (e == null && !reported) {
                // A set-only feature is never reported: the broker's acknowledgement is all we get.
                f.complete(null);
            } else {
                published(f, e);
            }
        });
    }

    private void published(CompletableFuture<Void> f, Throwable e) {
        if (e == null) {
            return;
        }
        thread.run(() -> {
            writes.cancel(f);
            f.completeExceptionally(e instanceof AdapterException ? e
                    : new AdapterException(AdapterException.Reason.DISCONNECTED, e.getMessage()));
        });
    }

    @Override
    public List<AdapterCommandSpec> commands() {
        return List.of(
                new AdapterCommandSpec(PERMIT_JOIN, "Lets new Zigbee devices join the network for Duration seconds "
                        + "(0 closes it)", List.of(new Argument("Duration", Kind.UNSIGNED_INT, false,
                                String.valueOf(MAX_PERMIT_JOIN), "seconds, 0 to " + MAX_PERMIT_JOIN)),
                        List.of("Duration"), false),
                new AdapterCommandSpec(REMOVE_DEVICE, "Removes a device from the Zigbee network", List.of(
                        new Argument("Device", Kind.DEVICE, true, "", "the device to remove"),
                        new Argument("Force", Kind.BOOLEAN, false, "false",
                                "remove it from Zigbee2MQTT's database even if it does not answer")),
                        List.of(), false),
                new AdapterCommandSpec(RENAME_DEVICE, "Renames a device in Zigbee2MQTT (its friendly name)", List.of(
                        new Argument("Device", Kind.DEVICE, true, "", "the device to rename"),
                        new Argument("NewName", Kind.STRING, true, "", "the new friendly name")),
                        List.of("Name"), false));
    }

    @Override
    public CompletionStage<Map<String, String>> runCommand(String name, Map<String, String> inputs) {
        CompletableFuture<Map<String, String>> f = new CompletableFuture<>();
        thread.request(f, () -> {
            requireReachable();
            Duration timeout = settings.requestTimeout();
            switch (name) {
                case PERMIT_JOIN -> {
                    int seconds = integer(inputs.getOrDefault("Duration", String.valueOf(MAX_PERMIT_JOIN)), "Duration");
                    if (seconds > MAX_PERMIT_JOIN) {
                        throw new AdapterException(AdapterException.Reason.INVALID_VALUE,
                                "Duration must be 0.." + MAX_PERMIT_JOIN + " seconds");
                    }
                    ObjectNode p = JSON.createObjectNode().put("time", seconds);
                    forward(requests.send("permit_join", p, timeout), f, data -> {
                        LOG.info(seconds == 0 ? "Zigbee permit join closed" : "Zigbee permit join open for "
                                + seconds + " s");
                        f.complete(Map.of("Duration", data.path("time").asText(String.valueOf(seconds))));
                    });
                }
                case REMOVE_DEVICE -> {
                    DeviceDirectory.Known k = argumentDevice(inputs);
                    boolean force = bool(inputs.getOrDefault("Force", "false"), "Force");
                    ObjectNode p = JSON.createObjectNode().put("id", k.ieee).put("force", force);
                    forward(requests.send("device/remove", p, timeout), f, data -> {
                        directory.removed(k.ieee);
                        f.complete(Map.of());
                    });
                }
                case RENAME_DEVICE -> {
                    DeviceDirectory.Known k = argumentDevice(inputs);
                    String to = inputs.get("NewName");
                    if (to == null || to.isBlank() || to.contains("+") || to.contains("#") || to.endsWith("/")
                            || to.startsWith("/")) {
                        throw new AdapterException(AdapterException.Reason.INVALID_VALUE,
                                "NewName must be a non-empty MQTT topic level without + or #");
                    }
                    ObjectNode p = JSON.createObjectNode().put("from", k.name).put("to", to);
                    // The device keeps its key (the IEEE address); the next bridge/devices re-describes it with the
                    // new name.
                    forward(requests.send("device/rename", p, timeout), f, data -> f.complete(Map.of("Name", to)));
                }
                default -> throw new AdapterException(AdapterException.Reason.NOT_SUPPORTED,
                        name + " is not a Zigbee2MQTT adapter command");
            }
        });
        return f;
    }

    private static <T> void forward(CompletableFuture<JsonNode> request, CompletableFuture<T> f,
            Consumer<JsonNode> onOk) {
        request.whenComplete((data, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                onOk.accept(data);
            }
        });
    }

    private DeviceDirectory.Known argumentDevice(Map<String, String> inputs) {
        String id = inputs.get("Device");
        if (id == null || id.isBlank()) {
            throw new AdapterException(AdapterException.Reason.INVALID_VALUE, "Device is required");
        }
        DeviceDirectory.Known k = directory.resolve(id);
        if (k == null) {
            throw new AdapterException(AdapterException.Reason.UNKNOWN_DEVICE, "no Zigbee device " + id);
        }
        return k;
    }

    private static int integer(String s, String arg) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AdapterException(AdapterException.Reason.INVALID_VALUE, arg + " must be a whole number >= 0");
        }
    }

    private static boolean bool(String s, String arg) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new AdapterException(AdapterException.Reason.INVALID_VALUE, arg + " must be true or false");
        };
    }

    private DeviceDirectory.Known device(String deviceKey) {
        DeviceDirectory.Known k = directory.byKey(deviceKey);
        if (k == null) {
            throw new AdapterException(AdapterException.Reason.UNKNOWN_DEVICE, "no Zigbee device " + deviceKey);
        }
        return k;
    }

    private static FeatureBinding binding(DeviceDirectory.Known k, String capabilityKey) {
        FeatureBinding b = k.mapped.bindings().get(capabilityKey);
        if (b == null) {
            throw new AdapterException(AdapterException.Reason.UNKNOWN_DEVICE, k.name + " has no capability "
                    + capabilityKey);
        }
        return b;
    }

    private void requireReachable() {
        if (!link.up()) {
            throw new AdapterException(AdapterException.Reason.DISCONNECTED, "not connected to the Zigbee2MQTT broker "
                    + settings.brokerUrl());
        }
        if (!bridgeOnline) {
            throw new AdapterException(AdapterException.Reason.DISCONNECTED, "Zigbee2MQTT is offline");
        }
    }

    // ---- adapter side ---------------------------------------------------------------------------------------

    /** What the MQTT link reports, on the loop thread. */
    private final class LinkEvents implements MqttLink.Listener {
        @Override
        public void connected() {
            if (bridgeOnline) {
                // The retained bridge/state overtook the subscription's acknowledgement.
                publishStatus(true, "");
                directory.reachable(true);
            } else {
                // Retained bridge/state, bridge/info, bridge/devices and availability follow the subscription.
                publishStatus(false, "connected; waiting for Zigbee2MQTT's bridge/state");
            }
        }

        @Override
        public void message(String topic, byte[] payload, boolean retained) {
            if (!thread.stopped()) {
                route(topic, payload);
            }
        }

        @Override
        public void down(String reason, Duration retryIn) {
            boolean wasUp = bridgeOnline || status == null || status.connected();
            bridgeOnline = false;
            directory.reachable(false);
            writes.fail(null, AdapterException.Reason.DISCONNECTED, reason);
            requests.failAll(AdapterException.Reason.DISCONNECTED, reason);
            String line = reason + "; retrying in " + (retryIn.toMillis() < 10_000 ? retryIn.toMillis() + " ms"
                    : retryIn.toSeconds() + " s");
            if (wasUp || !reason.equals(status.lastError())) {
                LOG.warning("Zigbee2MQTT adapter: " + line);
            } else {
                LOG.fine("Zigbee2MQTT adapter: " + line);
            }
            publishStatus(false, reason);
        }
    }

    private void route(String topic, byte[] payload) {
        if (!topic.startsWith(base + "/")) {
            return;
        }
        String rest = topic.substring(base.length() + 1);
        if (rest.startsWith("bridge/")) {
            bridge(rest.substring("bridge/".length()), payload);
        } else if (directory.byName(rest) != null) {
            JsonNode state = parse(topic, payload);
            if (state != null) {
                directory.onState(rest, state);
                DeviceDirectory.Known k = directory.byName(rest);
                if (k != null) {
                    writes.onState(k.ieee, state);
                }
            }
        } else if (rest.endsWith("/availability")) {
            directory.onAvailability(rest.substring(0, rest.length() - "/availability".length()),
                    availability(payload));
        } else if (rest.endsWith("/set") || rest.endsWith("/get") || rest.contains("/set/") || rest.contains("/get/")) {
            // another client's command (Home Assistant, the frontend): not ours to read
        } else if (payload.length > 0 && payload[0] == '{') {
            // A device not known yet (its state may come before bridge/devices), or a group: kept for later.
            JsonNode state = parse(topic, payload);
            if (state != null) {
                directory.onState(rest, state);
            }
        }
        // Anything else under the base topic (legacy <name>/action strings, extensions) is not for us.
    }

    private void bridge(String what, byte[] payload) {
        if (what.startsWith("response/")) {
            JsonNode r = parse(base + "/bridge/" + what, payload);
            if (r != null) {
                requests.onResponse(what.substring("response/".length()), r);
            }
            return;
        }
        switch (what) {
            case "state" -> bridgeState(payload);
            case "info" -> {
                JsonNode info = parse(base + "/bridge/info", payload);
                if (info != null) {
                    bridgeInfo(info);
                }
            }
            case "devices" -> {
                JsonNode list = parse(base + "/bridge/devices", payload);
                if (list != null) {
                    directory.onDevices(list);
                }
            }
            case "event" -> {
                JsonNode event = parse(base + "/bridge/event", payload);
                if (event != null) {
                    directory.onEvent(event);
                }
            }
            case "logging" -> {
                JsonNode log = parse(base + "/bridge/logging", payload);
                if (log != null && "error".equals(log.path("level").asText())) {
                    publishFailed(log.path("message").asText(""));
                }
            }
            default -> {
                // groups, definitions, extensions, converters, requests of other clients
            }
        }
    }

    private void bridgeState(byte[] payload) {
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8).trim();
        String state = text;
        if (text.startsWith("{")) {
            JsonNode json = parse(base + "/bridge/state", payload);
            state = json == null ? "" : json.path("state").asText("");
        }
        boolean online = "online".equals(state);
        if (!online && !"offline".equals(state)) {
            if (!text.isEmpty()) {
                LOG.warning("Zigbee2MQTT bridge/state '" + abbreviate(text) + "' is neither online nor offline");
            }
            return;
        }
        if (online == bridgeOnline) {
            return;
        }
        bridgeOnline = online;
        if (online) {
            LOG.info("Zigbee2MQTT is online" + (bridgeVersion == null ? "" : " (" + bridgeVersion + ")"));
            publishStatus(true, "");
        } else {
            LOG.warning("Zigbee2MQTT is offline: every Zigbee device is unreachable until it returns");
            writes.fail(null, AdapterException.Reason.DISCONNECTED, "Zigbee2MQTT went offline");
            requests.failAll(AdapterException.Reason.DISCONNECTED, "Zigbee2MQTT went offline");
            publishStatus(false, "Zigbee2MQTT is offline");
        }
        directory.reachable(online && link.up());
    }

    private void bridgeInfo(JsonNode info) {
        String version = info.path("version").asText(null);
        if (version != null && !version.equals(bridgeVersion)) {
            bridgeVersion = version;
            LOG.info("Zigbee2MQTT " + version + ", coordinator " + info.path("coordinator").path("type").asText("?")
                    + ", channel " + info.path("network").path("channel").asText("?"));
        }
        boolean join = info.path("permit_join").asBoolean(false);
        if (join != permitJoin) {
            permitJoin = join;
            LOG.info("Zigbee permit join is " + (join ? "open" : "closed"));
        }
    }

    /** {@code Publish 'set' 'state' to 'light' failed: '...'}: fail the matching pending write early. */
    private void publishFailed(String message) {
        Matcher m = PUBLISH_FAILED.matcher(message);
        if (m.matches()) {
            DeviceDirectory.Known k = directory.byName(m.group(3));
            if (k != null) {
                writes.onPublishFailed(k.ieee, m.group(2), message);
            }
        }
    }

    /** {@code {"state":"online"}}, or the legacy plain {@code online}; null for an empty (cleared) message. */
    private static Boolean availability(byte[] payload) {
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return null;
        }
        String state = text;
        if (text.startsWith("{")) {
            try {
                state = JSON.readTree(text).path("state").asText("");
            } catch (IOException e) {
                state = "";
            }
        }
        return switch (state) {
            case "online" -> Boolean.TRUE;
            case "offline" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The JSON of a message, or null (logged once per topic) when it is not JSON. */
    private JsonNode parse(String topic, byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(payload);
            if (json == null || json.isMissingNode()) {
                throw new IOException("empty document");
            }
            badTopics.remove(topic);
            return json;
        } catch (IOException e) {
            if (badTopics.size() < 1000 && badTopics.add(topic)) {
                LOG.warning("Zigbee2MQTT message on " + topic + " is not valid JSON and was ignored: "
                        + abbreviate(new String(payload, java.nio.charset.StandardCharsets.UTF_8)));
            }
            return null;
        }
    }

    private void publishStatus(boolean connected, String error) {
        if (status != null && status.connected() == connected && status.lastError().equals(error)) {
            return;
        }
        status = new AdapterStatus(connected, error, clock.instant());
        if (sink != null) {
            sink.statusChanged(status);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
