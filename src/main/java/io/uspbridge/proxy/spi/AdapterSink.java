package io.uspbridge.proxy.spi;

import java.time.Instant;

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
}
