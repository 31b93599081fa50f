package io.uspbridge.adapter.virtual;

import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import io.uspbridge.proxy.spi.DeviceDescription;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated device: its capabilities, its current values, what a write does to them, and how its readings
 * drift as time passes. Owned by the virtual adapter's thread. Each device has its own random source, seeded from
 * the adapter's seed and the device's key, so its readings are the same sequence whatever else happens.
 */
abstract sealed class VirtualDevice permits VirtualLight, VirtualClimateSensor, VirtualPlug, VirtualThermostat,
        VirtualMultiSensor {

    final String key;
    final String name;
    final SplittableRandom random;
    /** The IoTDeviceType. */
    final String type;
    final String model;
    /** The capabilities, without values. */
    final List<CapabilityDescription> capabilities;
    boolean online = true;

    VirtualDevice(String key, String name, SplittableRandom random, String type, String model,
            List<CapabilityDescription> capabilities) {
        this.key = key;
        this.name = name;
        this.random = random;
        this.type = type;
        this.model = model;
        this.capabilities = List.copyOf(capabilities);
    }

    abstract CapabilityValue value(String capabilityKey);

    /**
     * Applies a write; returns the keys of every capability whose value it changed (the report that follows).
     *
     * @throws AdapterException UNKNOWN_DEVICE for an unknown capability, NOT_SUPPORTED for a sensor,
     *                          INVALID_VALUE for a value the capability does not take
     */
    abstract List<String> write(String capabilityKey, CapabilityValue value);

    /** Lets {@code elapsed} pass; returns the keys of the readings to report. */
    abstract List<String> tick(Duration elapsed);

    DeviceDescription description(String proxyDescription) {
        List<CapabilityDescription> caps = new ArrayList<>();
        for (CapabilityDescription c : capabilities) {
            caps.add(new CapabilityDescription(c.key(), c.capabilityClass(), c.type(), c.name(), c.description(),
                    c.unit(), c.min(), c.max(), c.step(), c.validValues(), c.valueNames(), value(c.key())));
        }
        return new DeviceDescription(key, type, name, proxyDescription, "USP Bridge", model, "1.0",
                key.substring(key.indexOf(':') + 1), online, caps, List.of());
    }

    // ---- helpers for the kinds -----------------------------------------------------------------------------

    static CapabilityDescription control(String key, CapabilityClass cls, String type, String name, String unit,
            String min, String max, String step, List<String> validValues) {
        return new CapabilityDescription(key, cls, type, name, name, unit, min == null ? null : new BigDecimal(min),
                max == null ? null : new BigDecimal(max), step == null ? null : new BigDecimal(step), validValues,
                List.of(), null);
    }

    static CapabilityDescription sensor(String key, CapabilityClass cls, String type, String name, String unit,
            List<String> validValues) {
        return new CapabilityDescription(key, cls, type, name, name, unit, null, null, null, validValues, List.of(),
                null);
    }

    static AdapterException unknown(String device, String capability) {
        return new AdapterException(AdapterException.Reason.UNKNOWN_DEVICE, device + " has no capability " + capability);
    }

    static AdapterException readOnly(String device, String capability) {
        return new AdapterException(AdapterException.Reason.NOT_SUPPORTED, capability + " of " + device
                + " is a sensor and cannot be written");
    }

    static boolean binary(CapabilityValue v) {
        if (v instanceof CapabilityValue.Binary b) {
            return b.value();
        }
        throw new AdapterException(AdapterException.Reason.INVALID_VALUE, "a boolean is needed, not " + v);
    }

    static BigDecimal level(CapabilityValue v, CapabilityDescription c) {
        if (!(v instanceof CapabilityValue.Level l)) {
            throw new AdapterException(AdapterException.Reason.INVALID_VALUE, "a number is needed, not " + v);
        }
        if (l.value().compareTo(c.min()) < 0 || l.value().compareTo(c.max()) > 0) {
            throw new AdapterException(AdapterException.Reason.INVALID_VALUE, l.value().toPlainString()
                    + " is outside " + c.min().toPlainString() + ".." + c.max().toPlainString());
        }
        return l.value();
    }

    static String enumerated(CapabilityValue v, List<String> valid) {
        if (v instanceof CapabilityValue.Enumerated e && valid.contains(e.value())) {
            return e.value();
        }
        throw new AdapterException(AdapterException.Reason.INVALID_VALUE, "one of " + valid + " is needed, not " + v);
    }

    static CapabilityValue.Level rounded(double v, int decimals) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        return new CapabilityValue.Level(d.scale() < 0 ? d.setScale(0) : d);
    }

    /** A step of a bounded random walk. */
    double walk(double value, double maxStep, double min, double max) {
        double next = value + (random.nextDouble() * 2 - 1) * maxStep;
        return Math.max(min, Math.min(max, next));
    }
}
