package io.uspbridge.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.uspbridge.record.RecordMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics of the record layer ({@code /q/metrics}): Records in and out, rejected Records by reason, and
 * the time from a request's arrival to its response leaving for the MTP.
 */
@ApplicationScoped
public class AgentMetrics {

    @Inject
    MeterRegistry registry;

    private RecordMetrics recordMetrics;

    synchronized RecordMetrics recordMetrics() {
        if (recordMetrics == null) {
            Counter in = registry.counter("usp_records_received_total");
            Counter out = registry.counter("usp_records_sent_total");
            Timer latency = Timer.builder("usp_request_duration").description(
                    "Time from a request Record's arrival to its response being handed to the MTP")
                    .publishPercentiles(0.5, 0.99).register(registry);
            Map<String, Counter> rejected = new ConcurrentHashMap<>();
            recordMetrics = new RecordMetrics() {
                @Override
                public void recordReceived() {
                    in.increment();
                }

                @Override
                public void recordSent() {
                    out.increment();
                }

                @Override
                public void recordRejected(String reason) {
                    rejected.computeIfAbsent(reason,
                            r -> registry.counter("usp_records_rejected_total", "reason", r)).increment();
                }

                @Override
                public void requestCompleted(long nanos) {
                    latency.record(nanos, TimeUnit.NANOSECONDS);
                }
            };
        }
        return recordMetrics;
    }
}
