package io.uspbridge.mtp;

import java.util.concurrent.CompletionStage;

/**
 * One way of sending Records: an MTP instance of the agent ({@code Device.LocalAgent.MTP.{i}}). It knows bytes and
 * addresses (for MQTT: topics), nothing of USP messages. {@link #send} must not block the caller (the agent loop).
 */
public interface MtpChannel {

    /** The data-model path of this MTP, e.g. {@code Device.LocalAgent.MTP.1}, for AgentMTPReference and logs. */
    String reference();

    /** The MTP protocol name as in {@code LocalAgent.SupportedProtocols}: {@code MQTT}. */
    String protocol();

    /** Whether Records can be sent now (for MQTT: connected and subscribed, R-MQTT.17). */
    boolean isUp();

    /** The address peers must use to reach the agent over this MTP (for MQTT: the agent's reply-to topic). */
    String agentAddress();

    /** Sends one Record to {@code address}; completes when handed to the transport, or fails fast. */
    CompletionStage<Void> send(byte[] record, String address, boolean retain);
}
