package io.uspbridge.record;

import java.util.List;
import java.util.Set;

/**
 * A controller directory for tests above the record layer: the given controllers are trusted, everyone else is
 * unknown and refused; answers go to the reply address the request came with.
 */
public final class TrustedControllers implements ControllerDirectory {
    private final Set<String> trusted;

    public TrustedControllers(String... endpointIds) {
        this.trusted = Set.of(endpointIds);
    }

    @Override
    public Standing standing(String endpointId) {
        return trusted.contains(endpointId) ? Standing.TRUSTED : Standing.UNKNOWN;
    }

    @Override
    public boolean acceptsUnknownControllers() {
        return false;
    }

    @Override
    public List<Route> routes(String endpointId) {
        return List.of();
    }

    @Override
    public List<String> controllersReachableVia(String mtpReference) {
        return List.of();
    }

    @Override
    public void learnedAddress(String endpointId, String mtpReference, String address) {
    }

    @Override
    public String learnedAddress(String endpointId, String mtpReference) {
        return null;
    }
}
