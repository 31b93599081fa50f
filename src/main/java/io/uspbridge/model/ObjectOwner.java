package io.uspbridge.model;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Whatever stands behind an object whose parameters are {@link ParamDef.Storage#BOUND} — for a proxied device's
 * capability, the proxy that talks to the adapter. The message layer sends controller writes of bound parameters
 * here and waits for the stage (journey 3 of ARCHITECTURE.md); the tree only changes when the device reports.
 */
public interface ObjectOwner {

    /**
     * Writes new values (canonical form) of bound parameters of {@code node}. Completes when the device acknowledged;
     * completes exceptionally with {@link ParamWriteException} naming the failed parameters, or with a
     * {@link ModelException} that applies to all of them.
     */
    CompletionStage<Void> write(ObjectNode node, Map<ParamDef, String> values);

    /** A handler for {@code command} on {@code node}, or null to use the one declared with the schema. */
    default CommandHandler commandHandler(ObjectNode node, CommandDef command) {
        return null;
    }
}
