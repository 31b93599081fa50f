package io.uspbridge.app;

import io.uspbridge.agent.ConfigSeeder;
import io.uspbridge.store.StateStore;

/** The configuration seeder's memory, kept in the store's key-value area (emptied by a factory reset). */
record StoreLedger(StateStore store) implements ConfigSeeder.Ledger {
    @Override
    public String get(String key) {
        return store.get(AgentRuntime.SEED_NAMESPACE, key).orElse(null);
    }

    @Override
    public void put(String key, String value) {
        store.put(AgentRuntime.SEED_NAMESPACE, key, value);
    }
}
