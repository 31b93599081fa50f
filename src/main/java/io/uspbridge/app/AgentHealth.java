package io.uspbridge.app;

import io.uspbridge.mtp.MtpChannel;
import io.uspbridge.store.StoreStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The agent's health as {@code /q/health} reports it ({@link ManagementServer}).
 * <ul>
 * <li><b>Readiness</b>: up when the agent runs, every MTP is connected to its broker, and the store writes to its file
 * (a degraded, in-memory store is reported down with its reason: the agent works, but forgets on restart).</li>
 * <li><b>Liveness</b>: the agent loop, which owns the data model, runs a task within {@code loopDeadline}. A loop
 * stuck in a task is the one failure a restart cures; a broker that is away is not (the agent reconnects).</li>
 * </ul>
 */
final class AgentHealth {
    /** One check's outcome, with the details an operator reads. */
    record Check(String name, boolean up, Map<String, String> data) {
    }

    private final Supplier<AgentRuntime> runtime;
    private final Duration loopDeadline;

    AgentHealth(Supplier<AgentRuntime> runtime, Duration loopDeadline) {
        this.runtime = runtime;
        this.loopDeadline = loopDeadline;
    }

    Check readiness() {
        Map<String, String> data = new LinkedHashMap<>();
        AgentRuntime r = runtime.get();
        if (r == null || r.model() == null) {
            data.put("agent", "starting");
            return new Check("usp-agent", false, data);
        }
        boolean up = true;
        data.put("endpointId", r.endpointId());
        for (MtpChannel c : r.channels()) {
            data.put(c.reference(), c.isUp() ? "Up" : "Down");
            up &= c.isUp();
        }
        if (r.channels().isEmpty()) {
            data.put("mtp", "none");
        }
        StoreStatus s = r.store().status();
        data.put("store", s.isOk() ? "OK" : "DEGRADED: " + s.detail());
        up &= s.isOk();
        return new Check("usp-agent", up, data);
    }

    Check liveness() {
        Map<String, String> data = new LinkedHashMap<>();
        AgentRuntime r = runtime.get();
        if (r == null || r.model() == null) {
            data.put("agent", "starting");      // not a reason to restart the process
            return new Check("usp-agent-loop", true, data);
        }
        long start = System.nanoTime();
        try {
            r.loop().submit(() -> null).get(loopDeadline.toMillis(), TimeUnit.MILLISECONDS);
            data.put("loop", "answered in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            return new Check("usp-agent-loop", true, data);
        } catch (TimeoutException e) {
            data.put("loop", "no answer within " + loopDeadline.toMillis() + " ms");
        } catch (ExecutionException | RuntimeException e) {
            // a loop being closed for a restart refuses tasks: reported, a restart is already under way
            data.put("loop", "refused a task: " + (e instanceof ExecutionException ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            data.put("loop", "interrupted");
        }
        return new Check("usp-agent-loop", false, data);
    }
}
