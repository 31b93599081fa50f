package io.uspbridge.proxy;

import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Transaction;
import io.uspbridge.model.ValueType;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;

/**
 * One {@code IoTCapability.{i}} row of a proxied device (or of one of its nodes) and what it does: its class
 * object's declarations from the adapter's description, its value from the device's reports (with
 * {@code LastChange} and {@code LastContactTime}), the LevelSensor indicators, the BinarySensor timing, and for a
 * control the {@link CapabilityOwner} that writes to the device and runs {@code Toggle()}/{@code StepUp()}/
 * {@code StepDown()}. Lives on the agent loop.
 */
final class Capability {
    final ProxiedDevice device;
    /** Null for a capability of the device itself. */
    final String nodeKey;
    final String key;
    final ObjectNode row;
    private CapabilityDescription description;
    private ObjectNode classObject;
    private BinarySensorTiming timing;
    private Future<?> timer;
    /** Whether the device reported a value since the row exists (the indicators wait for one). */
    private boolean reported;

    Capability(ProxiedDevice device, String nodeKey, String key, ObjectNode row) {
        this.device = device;
        this.nodeKey = nodeKey;
        this.key = key;
        this.row = row;
    }

    CapabilityDescription description() {
        return description;
    }

    CapabilityClass capabilityClass() {
        return description.capabilityClass();
    }

    ObjectNode classObject() {
        return classObject;
    }

    /** The capability's name in log lines: {@code light/state}, {@code strip/l2/state}. */
    String label() {
        return device.key + (nodeKey == null ? "" : "/" + nodeKey) + "/" + key;
    }

    /**
     * Applies the adapter's description: on a new row its Name (a non-functional key, fixed once the row exists,
     * R-KEY.1) and Class; on any row the class object's declarations. A class that changed replaces the class
     * object (the model's union, MSG-8).
     */
    void describe(Transaction tx, CapabilityDescription d, String uniqueName) {
        DeviceRegistry r = device.registry;
        boolean classChanged = description == null || description.capabilityClass() != d.capabilityClass();
        description = d;
        if (uniqueName != null) {
            r.set(tx, row, "Name", uniqueName, label());
        }
        if (classChanged) {
            cancelTimer();
            reported = false;
            tx.set(row, "Class", d.capabilityClass().modelName());
            classObject = row.child(d.capabilityClass().modelName());
            timing = d.capabilityClass() == CapabilityClass.BINARY_SENSOR ? new BinarySensorTiming() : null;
            if (d.capabilityClass().isControl()) {
                tx.model().setOwner(classObject, new CapabilityOwner(this));
            }
            if (timing != null) {
                r.set(tx, classObject, "Sensitivity", "100", label());
            }
            r.capabilityCreated(this);
        }
        String label = label();
        r.set(tx, classObject, "Type", d.type(), label);
        r.set(tx, classObject, "Description", Texts.cut(d.description(), 256), label);
        switch (d.capabilityClass()) {
            case LEVEL_CONTROL -> {
                r.set(tx, classObject, "Unit", d.unit(), label);
                r.set(tx, classObject, "MinValue", decimal(d.min()), label);
                r.set(tx, classObject, "MaxValue", decimal(d.max()), label);
                if (!device.hasControllerValue(classObject, "StepValue")) {
                    r.set(tx, classObject, "StepValue", decimal(d.step()), label);
                }
            }
            case ENUM_CONTROL, ENUM_SENSOR -> r.set(tx, classObject, "ValidValues",
                    String.join(",", d.validValues()), label);
            case LEVEL_SENSOR -> r.set(tx, classObject, "Unit", d.unit(), label);
            case MULTI_LEVEL_SENSOR -> {
                r.set(tx, classObject, "Unit", d.unit(), label);
                if (d.valueNames().size() >= 2) {
                    r.set(tx, classObject, "ValueNames", String.join(",", d.valueNames()), label);
                }
            }
            default -> {
            }
        }
    }

    /**
     * A value the device reported at {@code at}: the class object's value, {@code LastChange} when it changed,
     * {@code LastContactTime}, and what follows from it (indicators, BinarySensor timing).
     */
    void report(Transaction tx, CapabilityValue v, Instant at) {
        CapabilityClass c = capabilityClass();
        String text;
        try {
            text = CapabilityValues.toModel(c, v);
        } catch (IllegalArgumentException e) {
            device.registry.warnOnce(label() + "/form", "proxy: " + label() + ": " + e.getMessage() + "; ignored");
            return;
        }
        String time = Texts.dateTime(at);
        if (c == CapabilityClass.BINARY_SENSOR) {
            timing.report("true".equals(text));
            tx.set(classObject, "LastContactTime", time);
            reported = true;
            evaluateTiming(tx, at);
            return;
        }
        String param = CapabilityValues.valueParam(c);
        String before = classObject.value(param);
        try {
            tx.set(classObject, param, text);
        } catch (ModelException e) {
            device.registry.warnOnce(label() + "/value", "proxy: " + label() + " reported '" + Texts.cut(text, 64)
                    + "', which its " + c.modelName() + " cannot hold (" + e.getMessage() + "); ignored");
            return;
        }
        reported = true;
        if (hasLastChange(c)) {
            if (!classObject.value(param).equals(before)) {
                tx.set(classObject, "LastChange", time);
            }
            tx.set(classObject, "LastContactTime", time);
        }
        if (c == CapabilityClass.LEVEL_SENSOR) {
            indicators(tx);
        }
    }

    private static boolean hasLastChange(CapabilityClass c) {
        return !c.isControl();
    }

    /**
     * LevelSensor: {@code LowLevel} is true while Value ≤ LowLevelThreshold, {@code HighLevel} while Value ≥
     * HighLevelThreshold. A threshold counts once a controller has set it (its default 0 would otherwise make
     * every positive temperature "high"), and the indicators wait for the device's first report.
     */
    void indicators(Transaction tx) {
        BigDecimal v = reported ? CapabilityValues.decimal(classObject.value("Value")) : null;
        tx.set(classObject, "LowLevel", Boolean.toString(v != null && device.hasControllerValue(classObject,
                "LowLevelThreshold") && v.compareTo(threshold("LowLevelThreshold")) <= 0));
        tx.set(classObject, "HighLevel", Boolean.toString(v != null && device.hasControllerValue(classObject,
                "HighLevelThreshold") && v.compareTo(threshold("HighLevelThreshold")) >= 0));
    }

    private BigDecimal threshold(String param) {
        return CapabilityValues.decimal(classObject.value(param));
    }

    /** A controller changed one of this capability's settings (thresholds, Sensitivity, HoldTime, RestTime). */
    void settingChanged() {
        if (!row.isLive()) {
            return;
        }
        switch (capabilityClass()) {
            case LEVEL_SENSOR -> device.registry.update(this::indicators);
            case BINARY_SENSOR -> device.registry.update(tx -> evaluateTiming(tx, device.registry.timers.now()));
            default -> {
            }
        }
    }

    private void evaluateTiming(Transaction tx, Instant now) {
        BinarySensorTiming.Settings s = new BinarySensorTiming.Settings(longValue("Sensitivity"),
                Duration.ofMillis(longValue("HoldTime")), Duration.ofMillis(longValue("RestTime")));
        if (timing.evaluate(now, s)) {
            tx.set(classObject, "Value", Boolean.toString(timing.value()));
            tx.set(classObject, "LastChange", Texts.dateTime(now));
        }
        cancelTimer();
        Instant next = timing.nextDeadline(now, s);
        if (next != null) {
            Duration wait = Duration.between(device.registry.timers.now(), next);
            timer = device.registry.timers.after(wait.isNegative() ? Duration.ZERO : wait, () -> {
                timer = null;
                if (row.isLive() && capabilityClass() == CapabilityClass.BINARY_SENSOR) {
                    device.registry.update(t -> evaluateTiming(t, device.registry.timers.now()));
                }
            });
        }
    }

    private long longValue(String param) {
        String v = classObject.value(param);
        try {
            return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The row is gone (device left, capability dropped): stop timers. */
    void close() {
        cancelTimer();
    }

    private static String decimal(BigDecimal d) {
        return d == null ? "0" : ValueType.formatDecimal(d);
    }
}
