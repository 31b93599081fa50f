package io.uspbridge.proxy.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AdapterSink} that records every call, for adapter tests; safe from any thread. */
public final class RecordingSink implements AdapterSink {

    public record Value(String deviceKey, String nodeKey, String capabilityKey, CapabilityValue value, Instant at) {
    }

    public record Availability(String deviceKey, boolean online, Instant at) {
    }

    public final List<DeviceDescription> appeared = new CopyOnWriteArrayList<>();
    public final List<String> removed = new CopyOnWriteArrayList<>();
    public final List<Value> values = new CopyOnWriteArrayList<>();
    public final List<Availability> availability = new CopyOnWriteArrayList<>();
    public final List<AdapterStatus> statuses = new CopyOnWriteArrayList<>();
    public final List<Set<String>> inventories = new CopyOnWriteArrayList<>();
    private final Map<String, DeviceDescription> devices = new ConcurrentHashMap<>();
    private final Map<String, Boolean> online = new ConcurrentHashMap<>();

    @Override
    public void deviceAppeared(DeviceDescription device) {
        appeared.add(device);
        devices.put(device.key(), device);
        online.put(device.key(), device.online());
    }

    @Override
    public void deviceRemoved(String deviceKey) {
        removed.add(deviceKey);
        devices.remove(deviceKey);
        online.remove(deviceKey);
    }

    @Override
    public void valueChanged(String deviceKey, String nodeKey, String capabilityKey, CapabilityValue value,
            Instant at) {
        values.add(new Value(deviceKey, nodeKey, capabilityKey, value, at));
    }

    @Override
    public void availabilityChanged(String deviceKey, boolean isOnline, Instant at) {
        availability.add(new Availability(deviceKey, isOnline, at));
        online.put(deviceKey, isOnline);
    }

    @Override
    public void statusChanged(AdapterStatus status) {
        statuses.add(status);
    }

    @Override
    public void inventoryComplete(Set<String> deviceKeys) {
        inventories.add(Set.copyOf(deviceKeys));
    }

    /** The current description of a device, as the core would hold it. */
    public Optional<DeviceDescription> device(String key) {
        return Optional.ofNullable(devices.get(key));
    }

    public Map<String, DeviceDescription> devices() {
        return Map.copyOf(devices);
    }

    /** Whether the device is online now: its description's flag, then every availability change. */
    public boolean online(String key) {
        return online.getOrDefault(key, false);
    }

    /** The last value reported for a capability, if any. */
    public Optional<CapabilityValue> lastValue(String deviceKey, String capabilityKey) {
        for (int i = values.size() - 1; i >= 0; i--) {
            Value v = values.get(i);
            if (v.deviceKey().equals(deviceKey) && v.capabilityKey().equals(capabilityKey)) {
                return Optional.of(v.value());
            }
        }
        return Optional.empty();
    }

    public List<Value> values(String deviceKey, String capabilityKey) {
        List<Value> out = new ArrayList<>();
        for (Value v : values) {
            if (v.deviceKey().equals(deviceKey) && v.capabilityKey().equals(capabilityKey)) {
                out.add(v);
            }
        }
        return out;
    }

    public Optional<AdapterStatus> lastStatus() {
        return statuses.isEmpty() ? Optional.empty() : Optional.of(statuses.get(statuses.size() - 1));
    }
}
