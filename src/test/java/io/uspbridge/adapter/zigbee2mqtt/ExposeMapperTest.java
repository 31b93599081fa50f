package io.uspbridge.adapter.zigbee2mqtt;

import static io.uspbridge.proxy.spi.CapabilityClass.BINARY_CONTROL;
import static io.uspbridge.proxy.spi.CapabilityClass.BINARY_SENSOR;
import static io.uspbridge.proxy.spi.CapabilityClass.BLOB_SENSOR;
import static io.uspbridge.proxy.spi.CapabilityClass.ENUM_CONTROL;
import static io.uspbridge.proxy.spi.CapabilityClass.ENUM_SENSOR;
import static io.uspbridge.proxy.spi.CapabilityClass.LEVEL_CONTROL;
import static io.uspbridge.proxy.spi.CapabilityClass.LEVEL_SENSOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every expose of the captured Zigbee2MQTT fixtures, and of synthetic devices for the specific types the fixtures
 * lack (lock, climate, cover, fan, endpoints, lists, odd exposes), mapped by the built-in profiles to the expected
 * capabilities: class, type, unit, range, step, valid values and node; and the value conversions both ways.
 */
class ExposeMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ExposeMapper mapper = new ExposeMapper(MappingProfiles.builtIn());

    /** One expected capability, written compactly. */
    private record Cap(String key, CapabilityClass cls, String type, String unit, String min, String max, String step,
            List<String> validValues) {
        static Cap of(String key, CapabilityClass cls, String type) {
            return new Cap(key, cls, type, "", null, null, null, List.of());
        }

        static Cap level(String key, CapabilityClass cls, String type, String unit, String min, String max,
                String step) {
            return new Cap(key, cls, type, unit, min, max, step, List.of());
        }

        static Cap enumerated(String key, CapabilityClass cls, String type, String... values) {
            return new Cap(key, cls, type, "", null, null, null, List.of(values));
        }

        static Cap from(CapabilityDescription c) {
            return new Cap(c.key(), c.capabilityClass(), c.type(), c.unit(), str(c.min()), str(c.max()),
                    str(c.step()), c.validValues());
        }

        private static String str(BigDecimal d) {
            return d == null ? null : d.toPlainString();
        }
    }

    private static JsonNode fixture(String name) {
        return Zigbee2MqttSimulator.resource(name);
    }

    private static JsonNode synthetic(String friendlyName) {
        for (JsonNode d : fixture("synthetic-devices.json").get("devices")) {
            if (d.path("friendly_name").asText().equals(friendlyName)) {
                return d;
            }
        }
        throw new AssertionError("no synthetic device " + friendlyName);
    }

    private static List<Cap> caps(List<FeatureBinding> bindings) {
        return bindings.stream().map(b -> Cap.from(b.capability())).collect(Collectors.toList());
    }

    private static List<String> loudNotes(ExposeMapper.MappedDevice d) {
        return d.notes().stream().filter(n -> !n.quiet()).map(ExposeMapper.Note::feature).collect(Collectors.toList());
    }

    @Test
    void theCapturedLightIsADimmableLightWithColourTemperature() {
        ExposeMapper.MappedDevice d = mapper.map(fixture("device-light-LED1545G12.json"));
        assertThat(d.type()).isEqualTo("Light");
        assertThat(d.nodes()).isEmpty();
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.of("state", BINARY_CONTROL, "Switch"),
                Cap.level("brightness", LEVEL_CONTROL, "Brightness", "%", "0", "100", "10"),
                // 454..250 mired is 2202.6..4000 K; the bounds are rounded inwards.
                Cap.level("color_temp", LEVEL_CONTROL, "Temperature", "K", "2203", "4000", null));
        // Everything else is configuration, diagnostics or a one-shot trigger: left out on purpose, quietly.
        assertThat(d.notes()).extracting(ExposeMapper.Note::feature).containsExactlyInAnyOrder(
                "light/color_temp_startup (numeric)",
                "light/level_config/level_config.execute_if_off (binary)",
                "light/level_config/level_config.current_level_startup (numeric)",
                "effect (enum)", "power_on_behavior (enum)", "color_options/color_options.execute_if_off (binary)",
                "identify (enum)", "linkquality (numeric)");
        assertThat(loudNotes(d)).isEmpty();
    }

    @Test
    void theCapturedTemperatureHumiditySensor() {
        ExposeMapper.MappedDevice d = mapper.map(fixture("device-th-sensor-SNZB-02.json"));
        assertThat(d.type()).isEqualTo("Sensor");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.level("battery", LEVEL_SENSOR, "Battery", "%", null, null, null),
                Cap.level("temperature", LEVEL_SENSOR, "Temperature", "degC", null, null, null),
                Cap.level("humidity", LEVEL_SENSOR, "Humidity", "%", null, null, null),
                // millivolts reported in volts
                Cap.level("voltage", LEVEL_SENSOR, "Battery", "V", null, null, null));
        assertThat(loudNotes(d)).isEmpty();
    }

    @Test
    void theCapturedMeteringPlug() {
        ExposeMapper.MappedDevice d = mapper.map(fixture("device-plug-SP120.json"));
        assertThat(d.type()).isEqualTo("PowerStrip");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.of("state", BINARY_CONTROL, "Switch"),
                Cap.level("power", LEVEL_SENSOR, "Power", "W", null, null, null),
                Cap.level("voltage", LEVEL_SENSOR, "Meter", "V", null, null, null),
                Cap.level("current", LEVEL_SENSOR, "Meter", "A", null, null, null),
                Cap.level("energy", LEVEL_SENSOR, "Energy", "kWh", null, null, null));
        assertThat(loudNotes(d)).isEmpty();
    }

    @Test
    void everyCapturedDeviceInTheBridgeListMaps() {
        for (JsonNode entry : fixture("bridge-devices.json")) {
            if (entry.path("definition").isObject()) {
                ExposeMapper.MappedDevice d = mapper.map(entry);
                assertThat(d.bindings()).as(entry.path("friendly_name").asText()).isNotEmpty();
                assertThat(loudNotes(d)).isEmpty();
            }
        }
    }

    @Test
    void aLockIsBinaryControlLockedWithItsLockState() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("front_door"));
        assertThat(d.type()).isEqualTo("Lock");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.of("state", BINARY_CONTROL, "Locked"),
                Cap.enumerated("lock_state", ENUM_SENSOR, "LockState", "NotFullyLocked", "Locked", "Unlocked"),
                Cap.level("battery", LEVEL_SENSOR, "Battery", "%", null, null, null),
                Cap.enumerated("action", ENUM_SENSOR, "OperatingState", "unknown", "lock", "unlock", "manual_lock"),
                Cap.enumerated("sound_volume", ENUM_CONTROL, "OperatingMode", "silent_mode", "low_volume",
                        "high_volume"));
        // A writable number without a range cannot be a LevelControl: left out, and said so.
        assertThat(loudNotes(d)).containsExactly("auto_relock_time (numeric)");
        FeatureBinding state = d.bindings().get("state");
        assertThat(state.codec().decode(JSON.getNodeFactory().textNode("LOCK")))
                .isEqualTo(new CapabilityValue.Binary(true));
        assertThat(state.codec().encode(new CapabilityValue.Binary(false)).asText()).isEqualTo("UNLOCK");
    }

    @Test
    void aThermostatFollowsTr369sThermostatExample() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("radiator"));
        assertThat(d.type()).isEqualTo("Thermostat");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.level("occupied_heating_setpoint", LEVEL_CONTROL, "Temperature", "degC", "5", "35", "0.5"),
                Cap.level("local_temperature", LEVEL_SENSOR, "Temperature", "degC", null, null, null),
                Cap.enumerated("system_mode", ENUM_CONTROL, "ThermostatMode", "Off", "Heat", "Auto"),
                Cap.enumerated("running_state", ENUM_SENSOR, "OperatingState", "Idle", "Heating"),
                Cap.level("pi_heating_demand", LEVEL_SENSOR, "Position", "%", null, null, null),
                Cap.of("child_lock", BINARY_CONTROL, "Locked"),
                Cap.level("battery", LEVEL_SENSOR, "Battery", "%", null, null, null));
        assertThat(d.bindings().get("occupied_heating_setpoint").capability().description())
                .isEqualTo("TargetHeatTemperature");
        FeatureBinding mode = d.bindings().get("system_mode");
        assertThat(mode.codec().encode(new CapabilityValue.Enumerated("Heat")).asText()).isEqualTo("heat");
        assertThat(mode.codec().decode(JSON.getNodeFactory().textNode("auto")))
                .isEqualTo(new CapabilityValue.Enumerated("Auto"));
        assertThatThrownBy(() -> mode.codec().encode(new CapabilityValue.Enumerated("Cool")))
                .isInstanceOf(AdapterException.class)
                .satisfies(e -> assertThat(((AdapterException) e).reason())
                        .isEqualTo(AdapterException.Reason.INVALID_VALUE));
        // Setpoints go to the device in its own 0.5 steps.
        FeatureBinding setpoint = d.bindings().get("occupied_heating_setpoint");
        assertThat(setpoint.codec().encode(CapabilityValue.Level.of(21.3)).decimalValue()).isEqualByComparingTo("21.5");
        assertThat(loudNotes(d)).isEmpty();
    }

    @Test
    void aCoverHasItsMotionAndPosition() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("blind"));
        assertThat(d.type()).isEqualTo("Motor");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.enumerated("state", ENUM_CONTROL, "OperatingMode", "Open", "Close", "Stop"),
                Cap.level("position", LEVEL_CONTROL, "Position", "%", "0", "100", "10"),
                Cap.level("tilt", LEVEL_CONTROL, "Position", "%", "0", "100", "10"),
                Cap.level("battery", LEVEL_SENSOR, "Battery", "%", null, null, null));
        assertThat(d.bindings().get("state").codec().encode(new CapabilityValue.Enumerated("Stop")).asText())
                .isEqualTo("STOP");
    }

    @Test
    void aCeilingFanWithLightHasBothSetsOfControls() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("ceiling_fan"));
        assertThat(d.type()).isEqualTo("Fan");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.of("state", BINARY_CONTROL, "Switch"),
                Cap.level("brightness", LEVEL_CONTROL, "Brightness", "%", "0", "100", "10"),
                Cap.of("fan_state", BINARY_CONTROL, "Switch"),
                Cap.enumerated("fan_mode", ENUM_CONTROL, "FanMode", "Off", "Low", "Medium", "High", "On", "Auto",
                        "Smart"));
        // Two "State" features: the second capability is named by its property, as Name is a unique key.
        assertThat(d.bindings().get("state").capability().name()).isEqualTo("State");
        assertThat(d.bindings().get("fan_state").capability().name()).isEqualTo("fan_state");
    }

    @Test
    void endpointsBecomeNodes() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("dual_relay"));
        assertThat(d.type()).isEqualTo("PowerStrip");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.level("power", LEVEL_SENSOR, "Power", "W", null, null, null),
                Cap.level("energy", LEVEL_SENSOR, "Energy", "kWh", null, null, null));
        assertThat(d.nodes()).extracting(ExposeMapper.MappedNode::key).containsExactly("l1", "l2");
        for (ExposeMapper.MappedNode n : d.nodes()) {
            assertThat(n.type()).isEqualTo("PowerStrip");
            assertThat(caps(n.bindings())).containsExactly(Cap.of("state_" + n.key(), BINARY_CONTROL, "Switch"));
            assertThat(n.bindings().get(0).nodeKey()).isEqualTo(n.key());
            assertThat(n.bindings().get(0).toggleValue()).isEqualTo("TOGGLE");
        }
    }

    @Test
    void genericTypesAndOddExposes() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("odd_sensor"));
        assertThat(d.type()).isEqualTo("Sensor");
        assertThat(caps(d.topLevel())).containsExactly(
                Cap.level("pressure", LEVEL_SENSOR, "Pressure", "Pa", null, null, null),
                Cap.level("illuminance", LEVEL_SENSOR, "Luminance", "lx", null, null, null),
                Cap.of("occupancy", BINARY_SENSOR, "MotionDetected"),
                Cap.of("contact", BINARY_SENSOR, "DoorOpen"),
                Cap.level("co2", LEVEL_SENSOR, "Concentration", "ppm", null, null, null),
                // µg/m³ has no IoTUnitType: reported as "-", the unit named in the description.
                Cap.level("pm25", LEVEL_SENSOR, "Concentration", "-", null, null, null),
                Cap.level("outdoor_temperature", LEVEL_SENSOR, "Temperature", "degC", null, null, null),
                Cap.of("schedule", BLOB_SENSOR, "json"),
                Cap.of("fw_note", BLOB_SENSOR, "utf-8"));
        assertThat(d.bindings().get("pm25").capability().description()).endsWith("[µg/m³]");
        assertThat(loudNotes(d)).containsExactlyInAnyOrder("tamper (binary)", "target_distance (numeric)",
                "aqi (numeric)", "lcd_message (text)", "mystery (hologram)", "noprop", "noaccess",
                "\"just a string\"", "light");

        // Conversions: hPa → Pa, °F → °C, contact "false" (value_on) means open.
        assertThat(read(d, "pressure", "1013.2")).isEqualTo(new CapabilityValue.Level(new BigDecimal("101320")));
        assertThat(read(d, "outdoor_temperature", "212")).isEqualTo(new CapabilityValue.Level(new BigDecimal("100")));
        assertThat(read(d, "contact", "false")).isEqualTo(new CapabilityValue.Binary(true));
        assertThat(read(d, "contact", "true")).isEqualTo(new CapabilityValue.Binary(false));
        assertThat(read(d, "schedule", "[{\"hour\":6,\"temperature\":21}]")).isEqualTo(
                new CapabilityValue.Blob("[{\"hour\":6,\"temperature\":21}]".getBytes(StandardCharsets.UTF_8)));
        assertThat(read(d, "fw_note", "\"ok\"")).isEqualTo(new CapabilityValue.Blob("ok".getBytes(StandardCharsets.UTF_8)));
        // A value that does not fit is not a value: ignored, never an exception.
        assertThat(read(d, "pressure", "\"high\"")).isNull();
        assertThat(read(d, "contact", "\"ajar\"")).isNull();
    }

    @Test
    void colourIsLeftOutAndSaidSo() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("colour_bulb"));
        assertThat(d.bindings()).containsOnlyKeys("state", "brightness");
        assertThat(loudNotes(d)).containsExactly("light/color_xy/color.x (numeric)", "light/color_xy/color.y (numeric)");
    }

    @Test
    void brightnessAndColourTemperatureConvertBothWays() {
        ExposeMapper.MappedDevice d = mapper.map(fixture("device-light-LED1545G12.json"));
        FeatureBinding brightness = d.bindings().get("brightness");
        assertThat(read(d, "brightness", "254")).isEqualTo(new CapabilityValue.Level(new BigDecimal("100")));
        assertThat(read(d, "brightness", "127")).isEqualTo(new CapabilityValue.Level(new BigDecimal("50")));
        assertThat(read(d, "brightness", "0")).isEqualTo(new CapabilityValue.Level(new BigDecimal("0")));
        assertThat(brightness.codec().encode(CapabilityValue.Level.of(50)).intValue()).isEqualTo(127);
        assertThat(brightness.codec().encode(CapabilityValue.Level.of(100)).intValue()).isEqualTo(254);
        assertThat(brightness.codec().encode(CapabilityValue.Level.of(0.1)).intValue()).isEqualTo(0);
        FeatureBinding ct = d.bindings().get("color_temp");
        assertThat(read(d, "color_temp", "250")).isEqualTo(new CapabilityValue.Level(new BigDecimal("4000")));
        assertThat(ct.codec().encode(CapabilityValue.Level.of(2700)).intValue()).isEqualTo(370);
        // The rounded-in bound still maps inside the device range.
        assertThat(ct.codec().encode(CapabilityValue.Level.of(2203)).intValue()).isEqualTo(454);
        // A write is confirmed by the echo of what was sent, within half a device step.
        JsonNode sent = brightness.codec().encode(CapabilityValue.Level.of(25));
        assertThat(brightness.codec().confirms(JSON.getNodeFactory().numberNode(64), sent)).isTrue();
        assertThat(brightness.codec().confirms(JSON.getNodeFactory().numberNode(128), sent)).isFalse();
        assertThat(d.bindings().get("state").codec().encode(new CapabilityValue.Binary(true)).asText()).isEqualTo("ON");
    }

    @Test
    void anUnsupportedDeviceWithoutDefinitionMapsToNothing() {
        ExposeMapper.MappedDevice d = mapper.map(synthetic("0x00124b0099990008"));
        assertThat(d.bindings()).isEmpty();
        assertThat(loudNotes(d)).containsExactly("exposes");
    }

    private static CapabilityValue read(ExposeMapper.MappedDevice d, String key, String rawJson) {
        try {
            return d.bindings().get(key).codec().decode(JSON.readTree(rawJson));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
