package io.uspbridge.agent;

import io.uspbridge.model.SchemaBuilder;

/**
 * A feature of the agent that the runtime starts and stops with the rest (notifications, the proxy and its
 * adapters, the MQTT MTP binding). A module declares its data-model behaviour first, then starts once the model is
 * built, restored and seeded, on the agent loop. Modules stop in reverse order.
 */
public interface AgentModule {

    /** Adds behaviour (handlers, computed values, lifecycles) to the schema before it is built. */
    default void contribute(SchemaBuilder schema) {
    }

    /** Starts the module; runs on the agent loop. */
    void start(AgentContext context);

    /** Stops the module and releases what it holds; runs on the agent loop. Must not throw. */
    default void stop() {
    }
}
