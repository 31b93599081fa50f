package io.uspbridge.app;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.uspbridge.record.RecordMetrics;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Prometheus metrics ({@code /q/metrics}, served by {@link ManagementServer}): Records in and out, rejected Records
 * by reason, the time from a request's arrival to its response leaving for the MTP, and the JVM's and process's own
 * figures ({@code process_resident_memory_bytes}, {@code jvm_memory_used_bytes}, …) that a hub's operator watches.
 */
@ApplicationScoped
public class AgentMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RecordMetrics recordMetrics;

    public AgentMetrics() {
        Counter in = Counter.builder().name("usp_records_received_total")
                .help("USP Records received from the MTPs").register(registry);
        Counter out = Counter.builder().name("usp_records_sent_total")
                .help("USP Records handed to the MTPs").register(registry);
        Counter rejected = Counter.builder().name("usp_records_rejected_total")
                .help("Received Records that were not processed, by reason").labelNames("reason")
                .register(registry);
        Summary latency = Summary.builder().name("usp_request_duration_seconds").unit(Unit.SECONDS)
                .help("Time from a request Record's arrival to its response being handed to the MTP")
                .quantile(0.5, 0.01).quantile(0.99, 0.001).register(registry);
        ProcessMetrics.builder().register(registry);
        recordMetrics = new RecordMetrics() {
            @Override
            public void recordReceived() {
                in.inc();
            }

            @Override
            public void recordSent() {
                out.inc();
            }

            @Override
            public void recordRejected(String reason) {
                rejected.labelValues(reason).inc();
            }

            @Override
            public void requestCompleted(long nanos) {
                latency.observe(Unit.nanosToSeconds(nanos));
            }
        };
    }

    RecordMetrics recordMetrics() {
        return recordMetrics;
    }

    PrometheusRegistry registry() {
        return registry;
    }
}
