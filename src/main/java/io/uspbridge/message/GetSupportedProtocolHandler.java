package io.uspbridge.message;

import io.uspbridge.proto.UspMsg;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GetSupportedProtocol (6.4): the USP versions the agent speaks, "major.minor" comma-separated. The controller's own
 * list needs no answer of ours: every version we list stays usable whatever it supports.
 */
final class GetSupportedProtocolHandler implements RequestHandler {
    private final UspMsg.Response response;

    GetSupportedProtocolHandler(MessageSettings settings) {
        this.response = UspMsg.Response.newBuilder().setGetSupportedProtocolResp(
                UspMsg.GetSupportedProtocolResp.newBuilder()
                        .setAgentSupportedProtocolVersions(settings.supportedProtocols())).build();
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        return CompletableFuture.completedFuture(response);
    }
}
