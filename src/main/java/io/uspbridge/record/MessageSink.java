package io.uspbridge.record;

import io.uspbridge.proto.UspMsg;
import java.util.concurrent.CompletionStage;

/**
 * Receives the Msgs that arrived in Records (the message layer's dispatcher implements it). Runs on the agent loop.
 */
@FunctionalInterface
public interface MessageSink {

    /**
     * Handles a Msg from {@code fromEndpoint}; completes with the response or Error Msg to send back, or with null
     * when nothing is to be sent (a NotifyResp, an Operate with send_resp=false).
     */
    CompletionStage<UspMsg.Msg> onMessage(UspMsg.Msg msg, String fromEndpoint);
}
