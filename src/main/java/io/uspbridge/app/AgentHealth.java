package io.uspbridge.app;

import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.store.StoreStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready}: up when the agent runs, every MTP is connected to its broker, and the store writes to
 * its file (a degraded, in-memory store is reported down with its reason: the agent works, but forgets on
 * restart).
 */
@Readiness
@ApplicationScoped
public class AgentHealth implements HealthCheck {

    @Inject
    AgentService service;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("usp-agent");
        AgentRuntime r = service.runtime();
        if (r == null || r.model() == null) {
            return b.down().withData("agent", "starting").build();
        }
        boolean up = true;
        b.withData("endpointId", r.endpointId());
        for (MtpChannel c : r.channels()) {
            b.withData(c.reference(), c.isUp() ? "Up" : "Down");
            up &= c.isUp();
        }
        if (r.channels().isEmpty()) {
            b.withData("mtp", "none");
        }
        StoreStatus s = r.store().status();
        b.withData("store", s.isOk() ? "OK" : "DEGRADED: " + s.detail());
        up &= s.isOk();
        return b.status(up).build();
    }
}
