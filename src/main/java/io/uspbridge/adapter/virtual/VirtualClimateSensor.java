package io.uspbridge.adapter.virtual;

import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/** A battery temperature/humidity sensor whose readings wander a little at every report. */
final class VirtualClimateSensor extends VirtualDevice {

    private static final List<CapabilityDescription> CAPS = List.of(
            sensor("temperature", CapabilityClass.LEVEL_SENSOR, "Temperature", "Temperature", "degC", List.of()),
            sensor("humidity", CapabilityClass.LEVEL_SENSOR, "Humidity", "Relative humidity", "%", List.of()),
            sensor("battery", CapabilityClass.LEVEL_SENSOR, "Battery", "Battery", "%", List.of()));

    private double temperature;
    private double humidity;
    private double battery;

    VirtualClimateSensor(String key, String name, SplittableRandom random) {
        super(key, name, random, "Sensor", "Virtual temperature and humidity sensor", CAPS);
        temperature = 18 + random.nextDouble() * 6;
        humidity = 35 + random.nextDouble() * 25;
        battery = 60 + random.nextDouble() * 40;
    }

    @Override
    CapabilityValue value(String capabilityKey) {
        return switch (capabilityKey) {
            case "temperature" -> rounded(temperature, 1);
            case "humidity" -> rounded(humidity, 1);
            case "battery" -> rounded(battery, 0);
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
        temperature = walk(temperature, 0.3, -10, 45);
        humidity = walk(humidity, 1.5, 5, 95);
        // About one percent a day at a 10 s report interval.
        battery = Math.max(0, battery - elapsed.toMillis() / 8_640_000.0);
        return List.of("temperature", "humidity", "battery");
    }
}
