package io.uspbridge.model;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs a command on the agent loop. The returned stage completes with the output arguments (relative names), or
 * exceptionally with a {@link ModelException} whose code goes into {@code cmd_failure} (OPR-6). Work that waits
 * (a device, a timer) must not block: complete the stage later, on the loop.
 */
@FunctionalInterface
public interface CommandHandler {
    CompletionStage<Map<String, String>> invoke(CommandCall call);
}
