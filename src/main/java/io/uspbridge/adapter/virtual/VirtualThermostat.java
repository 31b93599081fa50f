package io.uspbridge.adapter.virtual;

import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A thermostat, after TR-369's example: EnumControl ThermostatMode, LevelControl target temperature, LevelSensor
 * room temperature and EnumSensor OperatingState. The room warms or cools towards the setpoint while the
 * thermostat heats or cools, and drifts towards 18 °C otherwise.
 */
final class VirtualThermostat extends VirtualDevice {

    static final List<String> MODES = List.of("Off", "Heat", "Cool", "Auto");
    static final List<String> STATES = List.of("Idle", "Heating", "Cooling");
    private static final CapabilityDescription MODE = control("mode", CapabilityClass.ENUM_CONTROL, "ThermostatMode",
            "Thermostat mode", "", null, null, null, MODES);
    private static final CapabilityDescription SETPOINT = control("setpoint", CapabilityClass.LEVEL_CONTROL,
            "Temperature", "TargetHeatTemperature", "degC", "5", "30", "0.5", List.of());
    private static final List<CapabilityDescription> CAPS = List.of(MODE, SETPOINT,
            sensor("temperature", CapabilityClass.LEVEL_SENSOR, "Temperature", "Room temperature", "degC", List.of()),
            sensor("operatingState", CapabilityClass.ENUM_SENSOR, "OperatingState", "Operating state", "", STATES));
    private static final double AMBIENT = 18;

    private String mode = "Heat";
    private double setpoint = 21;
    private double temperature;
    private String operatingState = "Idle";

    VirtualThermostat(String key, String name, SplittableRandom random) {
        super(key, name, random, "Thermostat", "Virtual thermostat", CAPS);
        temperature = 17 + random.nextDouble() * 5;
        operatingState = decide();
    }

    @Override
    CapabilityValue value(String capabilityKey) {
        return switch (capabilityKey) {
            case "mode" -> new CapabilityValue.Enumerated(mode);
            case "setpoint" -> rounded(setpoint, 1);
            case "temperature" -> rounded(temperature, 1);
            case "operatingState" -> new CapabilityValue.Enumerated(operatingState);
            default -> throw unknown(name, capabilityKey);
        };
    }

    @Override
    List<String> write(String capabilityKey, CapabilityValue value) {
        switch (capabilityKey) {
            case "mode" -> mode = enumerated(value, MODES);
            case "setpoint" -> setpoint = level(value, SETPOINT).doubleValue();
            case "temperature", "operatingState" -> throw readOnly(name, capabilityKey);
            default -> throw unknown(name, capabilityKey);
        }
        String before = operatingState;
        operatingState = decide();
        return before.equals(operatingState) ? List.of(capabilityKey) : List.of(capabilityKey, "operatingState");
    }

    @Override
    List<String> tick(Duration elapsed) {
        double minutes = elapsed.toMillis() / 60_000.0;
        double rate = Math.min(1, 0.5 * minutes); // up to half a degree a minute
        switch (operatingState) {
            case "Heating" -> temperature = Math.min(setpoint + 0.5, temperature + rate);
            case "Cooling" -> temperature = Math.max(setpoint - 0.5, temperature - rate);
            default -> temperature += (AMBIENT - temperature) * Math.min(1, 0.05 * minutes);
        }
        temperature = walk(temperature, 0.05, -10, 45);
        operatingState = decide();
        return List.of("temperature", "operatingState");
    }

    /** Heats below the setpoint, cools above it, with 0.2 °C of hysteresis around it. */
    private String decide() {
        boolean heat = mode.equals("Heat") || mode.equals("Auto");
        boolean cool = mode.equals("Cool") || mode.equals("Auto");
        if (heat && temperature < setpoint - 0.2) {
            return "Heating";
        }
        if (cool && temperature > setpoint + 0.2) {
            return "Cooling";
        }
        if (operatingState.equals("Heating") && heat && temperature < setpoint + 0.2) {
            return "Heating";
        }
        if (operatingState.equals("Cooling") && cool && temperature > setpoint - 0.2) {
            return "Cooling";
        }
        return "Idle";
    }
}
