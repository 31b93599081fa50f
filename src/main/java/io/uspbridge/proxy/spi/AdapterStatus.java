package io.uspbridge.proxy.spi;

import java.time.Instant;

/**
 * The health of an adapter's link to its technology (the Zigbee2MQTT broker, a serial stick, an OPC UA server).
 *
 * @param connected whether the adapter can reach its devices now
 * @param lastError the last error in plain words, or empty
 * @param since     when this status began
 */
public record AdapterStatus(boolean connected, String lastError, Instant since) {
    public AdapterStatus {
        lastError = lastError == null ? "" : lastError;
    }
}
