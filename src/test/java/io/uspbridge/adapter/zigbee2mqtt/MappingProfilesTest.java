package io.uspbridge.adapter.zigbee2mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiles are data: packaged from adapters/zigbee2mqtt/, and a user folder adds or replaces them. */
class MappingProfilesTest {

    @TempDir
    Path userFolder;

    @Test
    void theIndexListsEveryProfileOfTheFolder() throws IOException {
        // The jar has no directory listing, so index.json is the list; a profile missing from it would be
        // silently ignored.
        try (Stream<Path> files = Files.list(Path.of("adapters", "zigbee2mqtt"))) {
            List<String> onDisk = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals("index.json")).sorted().collect(Collectors.toList());
            assertThat(MappingProfiles.builtInNames()).containsExactlyInAnyOrderElementsOf(onDisk);
        }
        assertThat(MappingProfiles.builtIn().files()).hasSize(onDiskCount());
    }

    private static int onDiskCount() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("adapters", "zigbee2mqtt"))) {
            return (int) files.filter(p -> p.toString().endsWith(".json") && !p.endsWith("index.json")).count();
        }
    }

    @Test
    void aUserFileWithTheNameOfABuiltInOneReplacesIt() throws IOException {
        Files.writeString(userFolder.resolve("lights.json"), """
                {"priority": 100, "rules": [
                  {"match": {"parent": "light", "name": "state"},
                   "capability": {"class": "BinaryControl", "type": "Switch", "name": "Power"}},
                  {"match": {"parent": "light", "name": "brightness"},
                   "capability": {"class": "LevelControl", "type": "Brightness", "unit": "-"}}
                ]}
                """);
        MappingProfiles profiles = MappingProfiles.load(Optional.of(userFolder));
        assertThat(profiles.files()).contains("user:lights.json").doesNotContain("lights.json");
        ExposeMapper.MappedDevice light = new ExposeMapper(profiles).map(
                Zigbee2MqttSimulator.resource("device-light-LED1545G12.json"));
        CapabilityDescription brightness = light.bindings().get("brightness").capability();
        assertThat(brightness.unit()).isEqualTo("-");
        assertThat(brightness.max()).isEqualByComparingTo("254");
        assertThat(light.bindings().get("state").capability().name()).isEqualTo("Power");
        // The replaced file's other rules are gone: color_temp now falls to the generic rules (config category
        // absent, writable, with range) and becomes a LevelControl typed by its unit (mired → K has none).
        assertThat(light.bindings()).doesNotContainKey("color_temp");
        // The other built-in files still apply.
        ExposeMapper.MappedDevice sensor = new ExposeMapper(profiles).map(
                Zigbee2MqttSimulator.resource("device-th-sensor-SNZB-02.json"));
        assertThat(sensor.bindings()).containsKeys("temperature", "humidity", "battery");
    }

    @Test
    void aUserFileAddsModelSpecificRulesAndUnits() throws IOException {
        Files.writeString(userFolder.resolve("my-sonoff.json"), """
                {"priority": 200,
                 "units": {"furlongs": {"unit": "m", "scale": 201.168, "levelType": "Distance"}},
                 "rules": [
                   {"match": {"model": "SNZB-02", "name": "voltage"}, "skip": "not wanted here", "quiet": true},
                   {"match": {"model": "SNZB-02", "name": "temperature"},
                    "capability": {"class": "LevelSensor", "type": "Temperature", "description": "Cellar"}}
                 ]}
                """);
        MappingProfiles profiles = MappingProfiles.load(Optional.of(userFolder));
        ExposeMapper mapper = new ExposeMapper(profiles);
        ExposeMapper.MappedDevice sensor = mapper.map(Zigbee2MqttSimulator.resource("device-th-sensor-SNZB-02.json"));
        assertThat(sensor.bindings()).doesNotContainKey("voltage");
        assertThat(sensor.bindings().get("temperature").capability().description()).isEqualTo("Cellar");
        // Other models keep the built-in mapping.
        ExposeMapper.MappedDevice plug = mapper.map(Zigbee2MqttSimulator.resource("device-plug-SP120.json"));
        assertThat(plug.bindings()).containsKey("voltage");
        // The new unit makes an unknown reading usable.
        JsonNodeDevices odd = new JsonNodeDevices();
        CapabilityDescription distance = mapper.map(odd.get("odd_sensor")).bindings().get("target_distance").capability();
        assertThat(distance.capabilityClass()).isEqualTo(CapabilityClass.LEVEL_SENSOR);
        assertThat(distance.type()).isEqualTo("Distance");
        assertThat(distance.unit()).isEqualTo("m");
    }

    @Test
    void aBrokenUserFileIsLeftOutAndTheRestKeepsWorking() throws IOException {
        Files.writeString(userFolder.resolve("broken.json"), "{ this is not json");
        Files.writeString(userFolder.resolve("typo.json"), """
                {"rules": [{"match": {"nmae": "state"}, "skip": "typo in the match"}]}
                """);
        Files.writeString(userFolder.resolve("badclass.json"), """
                {"rules": [{"match": {"name": "state"}, "capability": {"class": "Dimmer", "type": "Switch"}}]}
                """);
        Files.writeString(userFolder.resolve("neither.json"), """
                {"rules": [{"match": {"name": "state"}}]}
                """);
        // A broken replacement of a built-in profile leaves the built-in one in effect.
        Files.writeString(userFolder.resolve("sensors.json"), """
                {"rules": [{"match": {"name": "temperature"}, "capability": {"class": "LevelSensor"}}]}
                """);
        MappingProfiles profiles = MappingProfiles.load(Optional.of(userFolder));
        assertThat(profiles.files()).noneMatch(f -> f.startsWith("user:"));
        ExposeMapper.MappedDevice light = new ExposeMapper(profiles).map(
                Zigbee2MqttSimulator.resource("device-light-LED1545G12.json"));
        assertThat(light.bindings()).containsKeys("state", "brightness", "color_temp");
        assertThat(profiles.files()).contains("sensors.json");
        ExposeMapper.MappedDevice sensor = new ExposeMapper(profiles).map(
                Zigbee2MqttSimulator.resource("device-th-sensor-SNZB-02.json"));
        assertThat(sensor.bindings().get("temperature").capability().type()).isEqualTo("Temperature");
    }

    @Test
    void aMissingUserFolderMeansTheBuiltInProfiles() {
        MappingProfiles profiles = MappingProfiles.load(Optional.of(userFolder.resolve("nope")));
        assertThat(profiles.files()).noneMatch(f -> f.startsWith("user:"));
        assertThat(profiles.unit("°C").unit()).isEqualTo("degC");
        assertThat(profiles.unit("hPa").conversion()).isEqualTo(new NumberConversion.Linear(
                new java.math.BigDecimal("100"), java.math.BigDecimal.ZERO));
    }

    /** The synthetic devices by friendly name. */
    private static final class JsonNodeDevices {
        com.fasterxml.jackson.databind.JsonNode get(String name) {
            for (com.fasterxml.jackson.databind.JsonNode d : Zigbee2MqttSimulator.resource("synthetic-devices.json")
                    .get("devices")) {
                if (d.path("friendly_name").asText().equals(name)) {
                    return d;
                }
            }
            throw new AssertionError(name);
        }
    }
}
