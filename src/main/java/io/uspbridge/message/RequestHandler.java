package io.uspbridge.message;

import io.uspbridge.proto.UspMsg;
import java.util.concurrent.CompletionStage;

/**
 * Handles one request type (one class per message, like obuspa's handler files). Runs on the agent loop. Completes
 * with the Response, or with null when none is to be sent (Operate with send_resp=false), or exceptionally with
 * {@link UspErrorException} (or a model error) for an Error message.
 */
@FunctionalInterface
public interface RequestHandler {
    CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext context);
}
