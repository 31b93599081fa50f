package io.uspbridge.adapter.virtual;

import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A metering plug: BinaryControl Switch, LevelSensor Power in W (its load, when on), and LevelSensor Energy in kWh
 * that accumulates the power over time and never goes down.
 */
final class VirtualPlug extends VirtualDevice {

    private static final CapabilityDescription SWITCH = control("switch", CapabilityClass.BINARY_CONTROL, "Switch",
            "Outlet switch", "", null, null, null, List.of());
    private static final List<CapabilityDescription> CAPS = List.of(SWITCH,
            sensor("power", CapabilityClass.LEVEL_SENSOR, "Power", "Current power", "W", List.of()),
            sensor("energy", CapabilityClass.LEVEL_SENSOR, "Energy", "Energy consumed", "kWh", List.of()));

    private boolean on = true;
    private final double load;
    private double power;
    private double energyKwh;

    VirtualPlug(String key, String name, SplittableRandom random) {
        super(key, name, random, "PowerStrip", "Virtual metering plug", CAPS);
        load = 5 + random.nextDouble() * 1995;
        power = load;
        energyKwh = random.nextDouble() * 100;
    }

    @Override
    CapabilityValue value(String capabilityKey) {
        return switch (capabilityKey) {
            case "switch" -> new CapabilityValue.Binary(on);
            case "power" -> rounded(power, 1);
            case "energy" -> rounded(energyKwh, 6);
            default -> throw unknown(name, capabilityKey);
        };
    }

    @Override
    List<String> write(String capabilityKey, CapabilityValue value) {
        switch (capabilityKey) {
            case "switch" -> {
                on = binary(value);
                power = on ? load : 0;
                return List.of("switch", "power");
            }
            case "power", "energy" -> throw readOnly(name, capabilityKey);
            default -> throw unknown(name, capabilityKey);
        }
    }

    @Override
    List<String> tick(Duration elapsed) {
        // Energy first, with the power drawn during the interval that just ended.
        energyKwh += power * elapsed.toMillis() / 3_600_000_000.0;
        power = on ? Math.max(0, load * (1 + (random.nextDouble() * 2 - 1) * 0.05)) : 0;
        return List.of("power", "energy");
    }
}
