package io.uspbridge.agent;

import io.uspbridge.config.AgentConfig;
import io.uspbridge.message.MessageDispatcher;
import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.mtp.ChannelRegistry;
import io.uspbridge.record.RecordLayer;
import io.uspbridge.security.AccessControl;
import io.uspbridge.store.StateStore;

/** What a started {@link AgentModule} may use: the running agent's parts. */
public record AgentContext(AgentConfig config, String endpointId, AgentLoop loop, DataModel model, StateStore store,
        AccessControl access, MessageDispatcher dispatcher, RecordLayer records, ChannelRegistry channels,
        AgentLifecycle lifecycle) {
}
