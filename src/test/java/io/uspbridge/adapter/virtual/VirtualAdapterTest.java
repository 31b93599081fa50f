package io.uspbridge.adapter.virtual;

import static io.uspbridge.proxy.spi.Stages.done;
import static io.uspbridge.proxy.spi.Stages.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import io.uspbridge.proxy.spi.DeviceDescription;
import io.uspbridge.proxy.spi.RecordingSink;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtualAdapterTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final RecordingSink sink = new RecordingSink();
    private VirtualAdapter adapter;

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.stop();
        }
    }

    private VirtualAdapter start(VirtualSettings settings, Clock clock) {
        adapter = new VirtualAdapter(settings, clock);
        adapter.start(sink);
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.devices().size() == settings.total());
        return adapter;
    }

    private static VirtualSettings manual() {
        return VirtualSettings.demo().withReportInterval(Duration.ZERO).withAckDelay(Duration.ofMillis(20));
    }

    private static CapabilityDescription cap(DeviceDescription d, String key) {
        return d.capabilities().stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
    }



    @Test
    void theDemoDevicesAppearWithTheirCapabilities() {
        start(manual(), Clock.systemUTC());
        assertThat(sink.devices()).containsOnlyKeys("virtual:light-1", "virtual:climatesensor-1", "virtual:plug-1",
                "virtual:thermostat-1");
        DeviceDescription light = sink.device("virtual:light-1").orElseThrow();
        assertThat(light.type()).isEqualTo("Light");
        assertThat(light.online()).isTrue();
        assertThat(cap(light, "switch").capabilityClass()).isEqualTo(CapabilityClass.BINARY_CONTROL);
        assertThat(cap(light, "switch").type()).isEqualTo("Switch");
        CapabilityDescription brightness = cap(light, "brightness");
        assertThat(brightness.capabilityClass()).isEqualTo(CapabilityClass.LEVEL_CONTROL);
        assertThat(brightness.type()).isEqualTo("Brightness");
        assertThat(brightness.unit()).isEqualTo("%");
        assertThat(brightness.min()).isEqualByComparingTo("0");
        assertThat(brightness.max()).isEqualByComparingTo("100");
        assertThat(brightness.initial()).isNotNull();

        DeviceDescription sensor = sink.device("virtual:climatesensor-1").orElseThrow();
        assertThat(sensor.capabilities()).extracting(CapabilityDescription::type, CapabilityDescription::unit)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Temperature", "degC"),
                        org.assertj.core.groups.Tuple.tuple("Humidity", "%"),
                        org.assertj.core.groups.Tuple.tuple("Battery", "%"));
        assertThat(sensor.capabilities()).allMatch(c -> c.capabilityClass() == CapabilityClass.LEVEL_SENSOR);

        DeviceDescription plug = sink.device("virtual:plug-1").orElseThrow();
        assertThat(plug.capabilities()).extracting(CapabilityDescription::key, CapabilityDescription::unit)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("switch", ""),
                        org.assertj.core.groups.Tuple.tuple("power", "W"),
                        org.assertj.core.groups.Tuple.tuple("energy", "kWh"));

        DeviceDescription thermostat = sink.device("virtual:thermostat-1").orElseThrow();
        assertThat(thermostat.type()).isEqualTo("Thermostat");
        assertThat(cap(thermostat, "mode").capabilityClass()).isEqualTo(CapabilityClass.ENUM_CONTROL);
        assertThat(cap(thermostat, "mode").type()).isEqualTo("ThermostatMode");
        assertThat(cap(thermostat, "mode").validValues()).containsExactly("Off", "Heat", "Cool", "Auto");
        assertThat(cap(thermostat, "setpoint").step()).isEqualByComparingTo("0.5");
        assertThat(cap(thermostat, "operatingState").capabilityClass()).isEqualTo(CapabilityClass.ENUM_SENSOR);
        assertThat(cap(thermostat, "operatingState").type()).isEqualTo("OperatingState");

        assertThat(sink.inventories).hasSize(1);
        assertThat(sink.lastStatus().orElseThrow().connected()).isTrue();
        assertThat(adapter.proxyProtocol()).startsWith("X_");
    }

    @Test
    void aWriteIsAcknowledgedByTheReportThatFollowsIt() throws Exception {
        start(manual(), Clock.systemUTC());
        int before = sink.values.size();
        done(adapter.write("virtual:light-1", null, "brightness", CapabilityValue.Level.of(40)));
        // The report is there when the write completes: it is the acknowledgement.
        assertThat(sink.values.subList(before, sink.values.size())).anySatisfy(v -> {
            assertThat(v.capabilityKey()).isEqualTo("brightness");
            assertThat(v.value()).isEqualTo(new CapabilityValue.Level(BigDecimal.valueOf(40)));
        });
        // Setting a brightness switches the light on (reported only if it was off).
        assertThat(current("virtual:light-1", "switch")).isEqualTo(new CapabilityValue.Binary(true));

        done(adapter.write("virtual:plug-1", null, "switch", new CapabilityValue.Binary(false)));
        assertThat(sink.lastValue("virtual:plug-1", "switch")).contains(new CapabilityValue.Binary(false));
        assertThat(sink.lastValue("virtual:plug-1", "power")).contains(new CapabilityValue.Level(BigDecimal.ZERO));

        done(adapter.write("virtual:thermostat-1", null, "mode", new CapabilityValue.Enumerated("Off")));
        assertThat(sink.lastValue("virtual:thermostat-1", "mode")).contains(new CapabilityValue.Enumerated("Off"));
        assertThat(current("virtual:thermostat-1", "operatingState")).isEqualTo(new CapabilityValue.Enumerated("Idle"));
    }

    @Test
    void badWritesFailWithTheRightReason() {
        start(manual(), Clock.systemUTC());
        assertThat(failure(adapter.write("virtual:light-1", null, "brightness", CapabilityValue.Level.of(150))))
                .isEqualTo(AdapterException.Reason.INVALID_VALUE);
        assertThat(failure(adapter.write("virtual:light-1", null, "switch", CapabilityValue.Level.of(1))))
                .isEqualTo(AdapterException.Reason.INVALID_VALUE);
        assertThat(failure(adapter.write("virtual:thermostat-1", null, "mode", new CapabilityValue.Enumerated("Eco"))))
                .isEqualTo(AdapterException.Reason.INVALID_VALUE);
        assertThat(failure(adapter.write("virtual:climatesensor-1", null, "temperature", CapabilityValue.Level.of(20))))
                .isEqualTo(AdapterException.Reason.NOT_SUPPORTED);
        assertThat(failure(adapter.write("virtual:light-9", null, "switch", new CapabilityValue.Binary(true))))
                .isEqualTo(AdapterException.Reason.UNKNOWN_DEVICE);
        assertThat(failure(adapter.write("virtual:light-1", null, "colour", new CapabilityValue.Binary(true))))
                .isEqualTo(AdapterException.Reason.UNKNOWN_DEVICE);
    }

    @Test
    void readingsChangeOverTimeAndEnergyAccumulates() {
        start(VirtualSettings.demo().withReportInterval(Duration.ofMillis(50)).withSeed(42), Clock.systemUTC());
        await().atMost(10, TimeUnit.SECONDS).until(() -> sink.values("virtual:climatesensor-1", "temperature").size() >= 5
                && sink.values("virtual:plug-1", "energy").size() >= 5);
        List<BigDecimal> temperatures = levels("virtual:climatesensor-1", "temperature");
        assertThat(temperatures.stream().distinct().count()).isGreaterThan(1);
        List<BigDecimal> energy = levels("virtual:plug-1", "energy");
        for (int i = 1; i < energy.size(); i++) {
            assertThat(energy.get(i)).isGreaterThanOrEqualTo(energy.get(i - 1));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            List<BigDecimal> e = levels("virtual:plug-1", "energy");
            return e.get(e.size() - 1).compareTo(e.get(0)) > 0;
        });
    }

    @Test
    void aSeedMakesTheReadingsRepeatable() {
        List<List<BigDecimal>> runs = new java.util.ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            RecordingSink s = new RecordingSink();
            VirtualAdapter a = new VirtualAdapter(manual().withSeed(seed), FIXED);
            try {
                a.start(s);
                for (int i = 0; i < 5; i++) {
                    a.tick();
                }
                runs.add(s.values("virtual:climatesensor-1", "temperature").stream()
                        .map(v -> ((CapabilityValue.Level) v.value()).value()).collect(Collectors.toList()));
            } finally {
                a.stop();
            }
        }
        assertThat(runs.get(0)).hasSize(5).isEqualTo(runs.get(1));
        assertThat(runs.get(2)).isNotEqualTo(runs.get(0));
    }

    @Test
    void aHeatingThermostatWarmsTheRoom() throws Exception {
        start(manual().withSeed(1), FIXED);
        done(adapter.write("virtual:thermostat-1", null, "mode", new CapabilityValue.Enumerated("Heat")));
        done(adapter.write("virtual:thermostat-1", null, "setpoint", CapabilityValue.Level.of(28)));
        assertThat(current("virtual:thermostat-1", "operatingState")).isEqualTo(new CapabilityValue.Enumerated("Heating"));
        for (int i = 0; i < 10; i++) {
            adapter.tick();
        }
        List<BigDecimal> t = levels("virtual:thermostat-1", "temperature");
        assertThat(t.get(t.size() - 1)).isGreaterThan(t.get(0));
    }

    @Test
    void devicesCanBeAddedTakenOfflineAndRemoved() throws Exception {
        start(manual(), Clock.systemUTC());
        Map<String, String> out = done(adapter.runCommand(VirtualAdapter.ADD_DEVICE, Map.of("Kind", "plug")));
        assertThat(out).containsEntry("Device", "virtual:plug-2");
        assertThat(sink.device("virtual:plug-2")).isPresent();

        done(adapter.runCommand(VirtualAdapter.SET_ONLINE, Map.of("Device", "virtual:plug-2", "Online", "false")));
        assertThat(sink.online("virtual:plug-2")).isFalse();
        assertThat(failure(adapter.write("virtual:plug-2", null, "switch", new CapabilityValue.Binary(false))))
                .isEqualTo(AdapterException.Reason.TIMEOUT);
        done(adapter.runCommand(VirtualAdapter.SET_ONLINE, Map.of("Device", "virtual:plug-2", "Online", "true")));
        assertThat(sink.online("virtual:plug-2")).isTrue();

        done(adapter.runCommand(VirtualAdapter.REMOVE_DEVICE, Map.of("Device", "virtual:plug-2")));
        assertThat(sink.removed).containsExactly("virtual:plug-2");
        assertThat(failure(adapter.runCommand(VirtualAdapter.ADD_DEVICE, Map.of("Kind", "toaster"))))
                .isEqualTo(AdapterException.Reason.INVALID_VALUE);
        assertThat(failure(adapter.runCommand("Reboot", Map.of()))).isEqualTo(AdapterException.Reason.NOT_SUPPORTED);
    }

    @Test
    void aThousandDevicesForScaleTests() {
        start(VirtualSettings.ofEach(250).withReportInterval(Duration.ZERO).withSeed(3), FIXED);
        assertThat(sink.devices()).hasSize(1000);
        int before = sink.values.size();
        adapter.tick();
        // Every sensor reading of every device, in one round: 3 per climate sensor, 2 per plug and thermostat.
        assertThat(sink.values.size() - before).isEqualTo(250 * 3 + 250 * 2 + 250 * 2);
    }

    @Test
    void aMultiSensorHasEightCapabilitiesAndReportsItsReadings() throws Exception {
        start(VirtualSettings.ofMultiSensors(2).withReportInterval(Duration.ZERO).withSeed(5), FIXED);
        assertThat(sink.devices()).containsOnlyKeys("virtual:multisensor-1", "virtual:multisensor-2");
        DeviceDescription d = sink.device("virtual:multisensor-1").orElseThrow();
        assertThat(d.type()).isEqualTo("Sensor");
        assertThat(d.capabilities()).extracting(CapabilityDescription::key, CapabilityDescription::capabilityClass,
                CapabilityDescription::type, CapabilityDescription::unit).containsExactly(
                tuple("temperature", CapabilityClass.LEVEL_SENSOR, "Temperature", "degC"),
                tuple("humidity", CapabilityClass.LEVEL_SENSOR, "Humidity", "%"),
                tuple("illuminance", CapabilityClass.LEVEL_SENSOR, "Luminance", "lx"),
                tuple("co2", CapabilityClass.LEVEL_SENSOR, "Concentration", "ppm"),
                tuple("pressure", CapabilityClass.LEVEL_SENSOR, "Pressure", "Pa"),
                tuple("battery", CapabilityClass.LEVEL_SENSOR, "Battery", "%"),
                tuple("occupancy", CapabilityClass.BINARY_SENSOR, "MotionDetected", ""),
                tuple("window", CapabilityClass.BINARY_SENSOR, "WindowOpen", ""));
        assertThat(d.capabilities()).allSatisfy(c -> assertThat(c.initial()).isNotNull());
        assertThat(((CapabilityValue.Level) cap(d, "co2").initial()).value())
                .isBetween(BigDecimal.valueOf(400), BigDecimal.valueOf(5000));
        assertThat(((CapabilityValue.Level) cap(d, "pressure").initial()).value())
                .isBetween(BigDecimal.valueOf(95_000), BigDecimal.valueOf(105_000));

        // Every level reading is reported at each round; the binary sensors only when they change.
        for (int i = 0; i < 20; i++) {
            adapter.tick();
        }
        assertThat(sink.values("virtual:multisensor-1", "temperature")).hasSize(20);
        assertThat(sink.values("virtual:multisensor-1", "co2")).hasSize(20);
        List<CapabilityValue> occupancy = sink.values("virtual:multisensor-1", "occupancy").stream()
                .map(v -> v.value()).collect(Collectors.toList());
        assertThat(occupancy).isNotEmpty();
        for (int i = 1; i < occupancy.size(); i++) {
            assertThat(occupancy.get(i)).isNotEqualTo(occupancy.get(i - 1));
        }
        assertThat(levels("virtual:multisensor-1", "illuminance").stream().distinct().count()).isGreaterThan(1);
        assertThat(failure(adapter.write("virtual:multisensor-1", null, "window", new CapabilityValue.Binary(true))))
                .isEqualTo(AdapterException.Reason.NOT_SUPPORTED);
        assertThat(failure(adapter.write("virtual:multisensor-1", null, "noise", CapabilityValue.Level.of(1))))
                .isEqualTo(AdapterException.Reason.UNKNOWN_DEVICE);

        Map<String, String> out = done(adapter.runCommand(VirtualAdapter.ADD_DEVICE, Map.of("Kind", "multisensor")));
        assertThat(out).containsEntry("Device", "virtual:multisensor-3");
    }

    /** The value the core holds now: the last report, or else the value at discovery. */
    private CapabilityValue current(String device, String capability) {
        return sink.lastValue(device, capability)
                .orElseGet(() -> cap(sink.device(device).orElseThrow(), capability).initial());
    }

    private List<BigDecimal> levels(String device, String capability) {
        return sink.values(device, capability).stream().map(v -> ((CapabilityValue.Level) v.value()).value())
                .collect(Collectors.toList());
    }
}
