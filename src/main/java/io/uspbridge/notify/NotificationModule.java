package io.uspbridge.notify;

import io.uspbridge.agent.AgentContext;
import io.uspbridge.agent.AgentModule;
import io.uspbridge.model.SchemaBuilder;

/**
 * The notification layer as an {@link AgentModule}: declares its behaviour on the standard objects
 * ({@link NotifySchema}), then starts a {@link NotificationService} on the running agent — before the MTPs, so that
 * Boot! and everything raised while no link is up waits for the first one. One instance per run of the agent.
 */
public final class NotificationModule implements AgentModule {
    private final NotifySettings settings;
    private final NotifySchema schema = new NotifySchema();
    private NotificationService service;

    public NotificationModule(NotifySettings settings) {
        this.settings = settings;
    }

    public NotificationModule() {
        this(NotifySettings.defaults());
    }

    @Override
    public void contribute(SchemaBuilder builder) {
        schema.contribute(builder);
    }

    @Override
    public void start(AgentContext context) {
        service = new NotificationService(schema, context.model(), context.loop(), context.records(),
                context.access(), context.store(), context.lifecycle(), settings);
        service.register(context.dispatcher());
        service.start();
    }

    /** The running service (null before {@link #start}); for diagnostics and tests. */
    public NotificationService service() {
        return service;
    }

    @Override
    public void stop() {
        if (service != null) {
            service.close();
        }
    }
}
