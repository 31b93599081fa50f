package io.uspbridge.message;

import io.uspbridge.proto.UspMsg;
import io.uspbridge.wire.OutgoingMsg;
import java.util.concurrent.CompletionStage;

/**
 * Handles one request type (one class per message, like obuspa's handler files). Runs on the agent loop. Completes
 * with the Response, or with null when none is to be sent (Operate with send_resp=false), or exceptionally with
 * {@link UspErrorException} (or a model error) for an Error message.
 */
@FunctionalInterface
public interface RequestHandler {
    CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext context);

    /**
     * The response Msg to send, as the dispatcher asks for it: {@link #handle}'s Response in a Msg. A handler whose
     * answers are large encodes them itself instead (Get).
     */
    default CompletionStage<OutgoingMsg> answer(UspMsg.Request request, RequestContext context) {
        return handle(request, context)
                .thenApply(r -> r == null ? null : OutgoingMsg.of(Messages.response(context.msgId(), r)));
    }
}
