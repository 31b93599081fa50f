package io.uspbridge.mtp;

/**
 * Where a received Record came from and where its answer goes: the MTP it arrived on and the peer's reply address
 * (for MQTT 5 the PUBLISH's Response Topic, R-MQTT.26). {@code address} is null when the peer gave none.
 */
public record ReplyAddress(MtpChannel channel, String address) {
}
