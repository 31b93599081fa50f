package io.uspbridge.adapter.virtual;

import io.uspbridge.adapter.AdapterThread;
import io.uspbridge.proxy.spi.Adapter;
import io.uspbridge.proxy.spi.AdapterCommandSpec;
import io.uspbridge.proxy.spi.AdapterCommandSpec.Argument;
import io.uspbridge.proxy.spi.AdapterCommandSpec.Kind;
import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.AdapterSink;
import io.uspbridge.proxy.spi.AdapterStatus;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Simulated devices for demos and tests: dimmable lights, temperature/humidity sensors, metering plugs,
 * thermostats and eight-capability multisensors ({@link VirtualSettings}), as many as wanted, so that a thousand
 * devices can be proxied on a hub with no radio. Sensors report on a timer; a write is acknowledged the way a real device does it, by a report of
 * the new state after {@link VirtualSettings#ackDelay()}. With a seed, every device's readings are a fixed
 * sequence. All device state lives on one thread, "virtual-devices".
 */
public final class VirtualAdapter implements Adapter {

    private static final Logger LOG = Logger.getLogger(VirtualAdapter.class.getName());
    static final String KEY_PREFIX = "virtual:";
    public static final String ADD_DEVICE = "AddDevice";
    public static final String REMOVE_DEVICE = "RemoveDevice";
    public static final String SET_ONLINE = "SetOnline";
    private static final List<String> KINDS = List.of("Light", "ClimateSensor", "Plug", "Thermostat",
            "MultiSensor");

    private final VirtualSettings settings;
    private final Clock clock;
    private final AdapterThread thread;
    private final long seed;

    // Thread-owned state.
    private final Map<String, VirtualDevice> devices = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private AdapterSink sink;
    private Instant lastTick;

    public VirtualAdapter(VirtualSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public VirtualAdapter(VirtualSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.seed = settings.seed() != null ? settings.seed() : ThreadLocalRandom.current().nextLong();
        this.thread = new AdapterThread("virtual-devices");
    }

    @Override
    public String id() {
        return "virtual";
    }

    @Override
    public String proxyProtocol() {
        return settings.proxyProtocol();
    }

    @Override
    public void start(AdapterSink sink) {
        thread.run(() -> {
            this.sink = sink;
            sink.statusChanged(new AdapterStatus(true, "", clock.instant()));
            for (int i = 0; i < settings.lights(); i++) {
                add("Light");
            }
            for (int i = 0; i < settings.climateSensors(); i++) {
                add("ClimateSensor");
            }
            for (int i = 0; i < settings.plugs(); i++) {
                add("Plug");
            }
            for (int i = 0; i < settings.thermostats(); i++) {
                add("Thermostat");
            }
            for (int i = 0; i < settings.multiSensors(); i++) {
                add("MultiSensor");
            }
            sink.inventoryComplete(java.util.Set.copyOf(devices.keySet()));
            LOG.info("Virtual adapter: " + devices.size() + " simulated devices (seed " + seed + ")");
            lastTick = clock.instant();
            Duration every = settings.reportInterval();
            if (!every.isZero()) {
                thread.executor().scheduleAtFixedRate(this::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * One report round now, as if the report interval had passed (for tests and demos with no timer); returns when
     * every reading has been reported.
     */
    public void tick() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.run(() -> {
            report();
            done.complete(null);
        });
        done.join();
    }

    private void report() {
        if (thread.stopped() || sink == null) {
            return;
        }
        Instant now = clock.instant();
        Duration elapsed = lastTick == null ? settings.reportInterval() : Duration.between(lastTick, now);
        if (elapsed.isNegative() || elapsed.isZero()) {
            // A manual tick with a fixed clock still moves the simulation by one interval.
            elapsed = settings.reportInterval().isZero() ? Duration.ofSeconds(10) : settings.reportInterval();
        }
        lastTick = now;
        for (VirtualDevice d : devices.values()) {
            List<String> changed = d.tick(elapsed);
            if (d.online) {
                for (String key : changed) {
                    sink.valueChanged(d.key, null, key, d.value(key), now);
                }
            }
        }
    }

    @Override
    public CompletionStage<Void> write(String deviceKey, String nodeKey, String capabilityKey,
            CapabilityValue value) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.request(f, () -> {
            VirtualDevice d = device(deviceKey);
            if (!d.online) {
                throw new AdapterException(AdapterException.Reason.TIMEOUT, d.name + " is offline and does not answer");
            }
            List<String> changed = d.write(capabilityKey, value);
            // Like a real device: the new state is reported a moment later, and that report is the acknowledgement.
            thread.executor().schedule(() -> {
                if (thread.stopped() || devices.get(d.key) != d) {
                    f.completeExceptionally(new AdapterException(AdapterException.Reason.UNKNOWN_DEVICE,
                            d.name + " is gone"));
                    return;
                }
                Instant now = clock.instant();
                for (String key : changed) {
                    sink.valueChanged(d.key, null, key, d.value(key), now);
                }
                f.complete(null);
            }, settings.ackDelay().toMillis(), TimeUnit.MILLISECONDS);
        });
        return f;
    }

    @Override
    public CompletionStage<Void> refresh(String deviceKey, String nodeKey, String capabilityKey) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.request(f, () -> {
            VirtualDevice d = device(deviceKey);
            CapabilityValue v = d.value(capabilityKey);
            if (d.online) {
                sink.valueChanged(d.key, null, capabilityKey, v, clock.instant());
            }
            f.complete(null);
        });
        return f;
    }

    @Override
    public List<AdapterCommandSpec> commands() {
        return List.of(
                new AdapterCommandSpec(ADD_DEVICE, "Adds a simulated device (as if it had been paired)", List.of(
                        new Argument("Kind", Kind.STRING, true, "", "one of " + String.join(", ", KINDS))),
                        List.of("Device"), false),
                new AdapterCommandSpec(REMOVE_DEVICE, "Removes a simulated device (as if it had left)", List.of(
                        new Argument("Device", Kind.DEVICE, true, "", "the device to remove")), List.of(), false),
                new AdapterCommandSpec(SET_ONLINE, "Makes a simulated device reachable or unreachable", List.of(
                        new Argument("Device", Kind.DEVICE, true, "", "the device"),
                        new Argument("Online", Kind.BOOLEAN, true, "", "whether it answers")), List.of(), false));
    }

    @Override
    public CompletionStage<Map<String, String>> runCommand(String name, Map<String, String> inputs) {
        CompletableFuture<Map<String, String>> f = new CompletableFuture<>();
        thread.request(f, () -> {
            switch (name) {
                case ADD_DEVICE -> {
                    String kind = KINDS.stream().filter(k -> k.equalsIgnoreCase(inputs.getOrDefault("Kind", "")))
                            .findFirst().orElseThrow(() -> new AdapterException(AdapterException.Reason.INVALID_VALUE,
                                    "Kind must be one of " + KINDS));
                    f.complete(Map.of("Device", add(kind).key));
                }
                case REMOVE_DEVICE -> {
                    VirtualDevice d = device(inputs.get("Device"));
                    devices.remove(d.key);
                    sink.deviceRemoved(d.key);
                    f.complete(Map.of());
                }
                case SET_ONLINE -> {
                    VirtualDevice d = device(inputs.get("Device"));
                    String online = inputs.getOrDefault("Online", "").toLowerCase(Locale.ROOT);
                    boolean now = switch (online) {
                        case "true", "1" -> true;
                        case "false", "0" -> false;
                        default -> throw new AdapterException(AdapterException.Reason.INVALID_VALUE,
                                "Online must be true or false");
                    };
                    if (d.online != now) {
                        d.online = now;
                        sink.availabilityChanged(d.key, now, clock.instant());
                    }
                    f.complete(Map.of());
                }
                default -> throw new AdapterException(AdapterException.Reason.NOT_SUPPORTED,
                        name + " is not a virtual adapter command");
            }
        });
        return f;
    }

    @Override
    public void stop() {
        thread.stop(() -> { });
    }

    private VirtualDevice add(String kind) {
        int n = counters.merge(kind, 1, Integer::sum);
        String slug = kind.toLowerCase(Locale.ROOT);
        String key = KEY_PREFIX + slug + "-" + n;
        // Each device's own random source: its readings depend on the seed and its key only.
        SplittableRandom random = new SplittableRandom(seed ^ (key.hashCode() * 0x9E3779B97F4A7C15L));
        String name = switch (kind) {
            case "Light" -> "Virtual light " + n;
            case "ClimateSensor" -> "Virtual climate sensor " + n;
            case "Plug" -> "Virtual plug " + n;
            case "Thermostat" -> "Virtual thermostat " + n;
            default -> "Virtual multisensor " + n;
        };
        VirtualDevice d = switch (kind) {
            case "Light" -> new VirtualLight(key, name, random);
            case "ClimateSensor" -> new VirtualClimateSensor(key, name, random);
            case "Plug" -> new VirtualPlug(key, name, random);
            case "Thermostat" -> new VirtualThermostat(key, name, random);
            default -> new VirtualMultiSensor(key, name, random);
        };
        devices.put(key, d);
        sink.deviceAppeared(d.description("Simulated " + d.model.toLowerCase(Locale.ROOT)
                .replace("virtual ", "") + " (USP Bridge virtual adapter)"));
        return d;
    }

    private VirtualDevice device(String key) {
        VirtualDevice d = key == null ? null : devices.get(key);
        if (d == null) {
            throw new AdapterException(AdapterException.Reason.UNKNOWN_DEVICE, "no virtual device " + key);
        }
        return d;
    }

}
