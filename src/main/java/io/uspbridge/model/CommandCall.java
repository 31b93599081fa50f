package io.uspbridge.model;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One invocation of a command: the object it runs on, its validated input arguments (defaults applied), the
 * controller's command key, who asked, and a signal that completes when {@code Request.{i}.Cancel()} is called for an
 * asynchronous invocation (OPR-7). A handler that cannot be cancelled ignores the signal.
 */
public record CommandCall(ObjectNode object, CommandDef command, Map<String, String> inputArgs, String commandKey,
        String originator, CompletableFuture<Void> cancellation) {

    public String arg(String name) {
        return inputArgs.get(name);
    }

    public boolean isCancelled() {
        return cancellation.isDone();
    }
}
