package io.uspbridge.proxy.spi;

import java.time.Instant;
import java.util.Set;

/**
 * How an adapter tells the core what happens on its side. Thread-safe: call it from any thread (the adapter's own
 * I/O thread); the core moves the work onto the agent loop. Calls for one device must be made in the order they
 * happened.
 */
public interface AdapterSink {

    /**
     * A device exists (discovered, joined, interviewed, or re-described after a rename or a firmware change). Calling
     * it again for the same key updates the description; the device keeps its row and instance numbers.
     */
    void deviceAppeared(DeviceDescription device);

    /** The device left the network or was removed; its rows go. A transient loss is {@link #availabilityChanged}. */
    void deviceRemoved(String deviceKey);

    /**
     * A reported value.
     *
     * @param nodeKey       null for a capability of the device itself
     * @param capabilityKey the key from the device's description
     */
    void valueChanged(String deviceKey, String nodeKey, String capabilityKey, CapabilityValue value, Instant at);

    /** The device became reachable or unreachable; its rows stay (PRX guidance: don't delete on transient loss). */
    void availabilityChanged(String deviceKey, boolean online, Instant at);

    /** The adapter's own link changed (connected to its broker or stick, or an error). */
    void statusChanged(AdapterStatus status);

    /**
     * The adapter has just reported its complete device list (e.g. Zigbee2MQTT's retained {@code bridge/devices}):
     * {@code deviceKeys} are all the devices it knows now, each already announced by {@link #deviceAppeared}. A
     * device of this adapter that the core still holds (for instance restored from storage after a restart) but
     * that is not in the set was removed while nobody watched, and its rows can go. Adapters without a complete
     * list never call it; calling it again with the same set changes nothing.
     */
    default void inventoryComplete(Set<String> deviceKeys) {
    }
}
