package io.uspbridge.record;

import io.uspbridge.proto.UspMsg;
import io.uspbridge.wire.OutgoingMsg;
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

    /**
     * {@link #onMessage} as the record layer asks for it: the answer as bytes to write into a Record. A sink that
     * encodes its answers itself (the dispatcher: a Get's answer is never a protobuf Msg) overrides this.
     */
    default CompletionStage<OutgoingMsg> answer(UspMsg.Msg msg, String fromEndpoint) {
        return onMessage(msg, fromEndpoint).thenApply(OutgoingMsg::of);
    }
}
