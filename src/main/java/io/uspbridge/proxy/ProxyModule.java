package io.uspbridge.proxy;

import io.uspbridge.agent.AgentContext;
import io.uspbridge.agent.AgentModule;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.proxy.spi.Adapter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The proxy as an {@link AgentModule}: declares what it adds to the IoT objects ({@link ProxySchema}: control values
 * bound to the devices, the vendor adapter table with the adapters' commands), then, on the running agent, creates
 * the adapters' rows, puts back the devices the store remembers and starts the adapters. Started before the MTPs, so
 * that a controller's first Get already sees the devices. One instance per run of the agent: its adapters are new
 * for each run and stopped with it.
 */
public final class ProxyModule implements AgentModule {
    private final List<Adapter> adapters;
    private final Duration writeTimeout;
    private final Clock clock;
    private DeviceRegistry registry;

    public ProxyModule(List<Adapter> adapters, Duration writeTimeout) {
        this(adapters, writeTimeout, Clock.systemUTC());
    }

    public ProxyModule(List<Adapter> adapters, Duration writeTimeout, Clock clock) {
        this.adapters = List.copyOf(adapters);
        Set<String> ids = this.adapters.stream().map(Adapter::id).collect(Collectors.toSet());
        if (ids.size() != this.adapters.size()) {
            throw new IllegalArgumentException("two adapters with the same id");
        }
        if (writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("the write timeout must be positive: " + writeTimeout);
        }
        this.writeTimeout = writeTimeout;
        this.clock = clock;
    }

    public List<Adapter> adapters() {
        return adapters;
    }

    @Override
    public void contribute(SchemaBuilder schema) {
        new ProxySchema(adapters).contribute(schema);
    }

    @Override
    public void start(AgentContext context) {
        registry = new DeviceRegistry(context.model(), context.loop(), Timers.of(context.loop(), clock),
                new DeviceRecords(context.store()), writeTimeout);
        registry.start(adapters);
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.stop();
        } else {
            adapters.forEach(a -> {
                try {
                    a.stop();
                } catch (RuntimeException e) {
                    // never started: nothing held
                }
            });
        }
    }
}
