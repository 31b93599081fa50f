package io.uspbridge.config;

import io.quarkus.runtime.StartupEvent;
import io.uspbridge.store.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Warns, once per key at start-up, about {@code uspbridge.*} configuration this build does not know. Strict
 * validation is off ({@code smallrye.config.mapping.validate-unknown=false}) so such keys never stop the agent.
 */
@ApplicationScoped
public class ConfigKeysCheck {
    private static final Logger LOG = Logger.getLogger(ConfigKeysCheck.class.getName());

    /** Every configuration mapping of this build under {@code uspbridge}; features add theirs here. */
    public interface Mappings {
        List<Class<?>> mappings();
    }

    @Inject
    Config config;

    @Inject
    Instance<Mappings> more;

    void onStart(@Observes StartupEvent event) {
        List<Class<?>> mappings = new ArrayList<>(List.of(AgentConfig.class, StoreConfig.class));
        more.forEach(m -> mappings.addAll(m.mappings()));
        for (String key : new UnknownKeys(mappings).unknown(config.getPropertyNames(), "uspbridge.")) {
            LOG.warning("configuration key '" + key + "' is not known to this build and is ignored");
        }
    }
}
