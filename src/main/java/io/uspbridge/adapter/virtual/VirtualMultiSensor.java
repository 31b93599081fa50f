package io.uspbridge.adapter.virtual;

import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A building-automation multisensor with eight capabilities, the kind mounted in every room of an office: six
 * LevelSensors (temperature, humidity, illuminance, CO2, air pressure, battery) and two BinarySensors (occupancy,
 * window contact). Levels wander at every report; occupancy and the window change now and then and are reported
 * only when they change, as a Zigbee sensor does.
 */
final class VirtualMultiSensor extends VirtualDevice {

    private static final List<CapabilityDescription> CAPS = List.of(
            sensor("temperature", CapabilityClass.LEVEL_SENSOR, "Temperature", "Temperature", "degC", List.of()),
            sensor("humidity", CapabilityClass.LEVEL_SENSOR, "Humidity", "Relative humidity", "%", List.of()),
            sensor("illuminance", CapabilityClass.LEVEL_SENSOR, "Luminance", "Illuminance", "lx", List.of()),
            sensor("co2", CapabilityClass.LEVEL_SENSOR, "Concentration", "CO2", "ppm", List.of()),
            // IoTUnitType has no hPa: Pa, as the Zigbee2MQTT mapping does.
            sensor("pressure", CapabilityClass.LEVEL_SENSOR, "Pressure", "Air pressure", "Pa", List.of()),
            sensor("battery", CapabilityClass.LEVEL_SENSOR, "Battery", "Battery", "%", List.of()),
            sensor("occupancy", CapabilityClass.BINARY_SENSOR, "MotionDetected", "Occupancy", "", List.of()),
            sensor("window", CapabilityClass.BINARY_SENSOR, "WindowOpen", "Window open", "", List.of()));
    private static final List<String> LEVELS = List.of("temperature", "humidity", "illuminance", "co2", "pressure",
            "battery");

    private double temperature;
    private double humidity;
    private double illuminance;
    private double co2;
    private double pressure;
    private double battery;
    private boolean occupied;
    private boolean windowOpen;

    VirtualMultiSensor(String key, String name, SplittableRandom random) {
        super(key, name, random, "Sensor", "Virtual multisensor", CAPS);
        temperature = 19 + random.nextDouble() * 5;
        humidity = 30 + random.nextDouble() * 30;
        illuminance = 100 + random.nextDouble() * 600;
        co2 = 420 + random.nextDouble() * 600;
        pressure = 99_000 + random.nextDouble() * 4_000;
        battery = 50 + random.nextDouble() * 50;
        occupied = random.nextBoolean();
        windowOpen = random.nextDouble() < 0.1;
    }

    @Override
    CapabilityValue value(String capabilityKey) {
        return switch (capabilityKey) {
            case "temperature" -> rounded(temperature, 1);
            case "humidity" -> rounded(humidity, 1);
            case "illuminance" -> rounded(illuminance, 0);
            case "co2" -> rounded(co2, 0);
            case "pressure" -> rounded(pressure, 0);
            case "battery" -> rounded(battery, 0);
            case "occupancy" -> new CapabilityValue.Binary(occupied);
            case "window" -> new CapabilityValue.Binary(windowOpen);
            default -> throw unknown(name, capabilityKey);
        };
    }

    @Override
    List<String> write(String capabilityKey, CapabilityValue value) {
        value(capabilityKey); // unknown capability → UNKNOWN_DEVICE
        throw readOnly(name, capabilityKey);
    }

    @Override
    List<String> tick(Duration elapsed) {
        List<String> changed = new ArrayList<>(LEVELS);
        // An occupied room gets stuffier; an open window airs it.
        boolean nowOccupied = random.nextDouble() < (occupied ? 0.9 : 0.1);
        boolean nowOpen = random.nextDouble() < (windowOpen ? 0.8 : 0.02);
        double co2Drift = (nowOccupied ? 15 : -5) + (nowOpen ? -40 : 0);
        temperature = walk(temperature, 0.2, -10, 45);
        humidity = walk(humidity, 1.0, 5, 95);
        illuminance = walk(illuminance, 40, 0, 2_000);
        co2 = walk(co2 + co2Drift, 10, 400, 5_000);
        pressure = walk(pressure, 20, 95_000, 105_000);
        // About one percent a day at a 10 s report interval.
        battery = Math.max(0, battery - elapsed.toMillis() / 8_640_000.0);
        if (nowOccupied != occupied) {
            occupied = nowOccupied;
            changed.add("occupancy");
        }
        if (nowOpen != windowOpen) {
            windowOpen = nowOpen;
            changed.add("window");
        }
        return changed;
    }
}
