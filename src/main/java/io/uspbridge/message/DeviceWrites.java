package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ObjectOwner;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.ParamWriteException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The writes of bound parameters that one Set sends to devices (journey 3 of ARCHITECTURE.md): grouped per object,
 * sent through the object's {@link ObjectOwner}, each bounded by a timeout, and their outcome handed back on the agent
 * loop. The loop never waits: other messages are served while devices answer.
 */
final class DeviceWrites {
    private static final Logger LOG = Logger.getLogger(DeviceWrites.class.getName());

    /** What became of the write of one bound parameter: null failure = the device acknowledged it. */
    record Outcome(ModelException failure) {
        static final Outcome DONE = new Outcome(null);
    }

    private final Map<ObjectNode, Map<ParamDef, String>> pending = new IdentityHashMap<>();

    /** Queues the write of canonical {@code value} to bound parameter {@code p} of {@code node}. */
    void add(ObjectNode node, ParamDef p, String value) {
        pending.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(p, value);
    }

    /** Adds everything {@code other} queued (an object whose update succeeded keeps its writes). */
    void addAll(DeviceWrites other) {
        other.pending.forEach((n, values) -> values.forEach((p, v) -> add(n, p, v)));
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * Sends every queued write and completes on {@code loop} with the outcome of each parameter, when all writes
     * completed, failed or timed out.
     */
    CompletionStage<Map<ObjectNode, Map<ParamDef, Outcome>>> send(Duration timeout, Executor loop) {
        List<ObjectNode> nodes = new ArrayList<>(pending.keySet());
        List<CompletableFuture<Void>> writes = new ArrayList<>(nodes.size());
        for (ObjectNode n : nodes) {
            writes.add(write(n, Map.copyOf(pending.get(n)), timeout));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).handleAsync((v, e) -> {
            Map<ObjectNode, Map<ParamDef, Outcome>> outcomes = new IdentityHashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                ObjectNode n = nodes.get(i);
                outcomes.put(n, outcomes(n, pending.get(n), writes.get(i), timeout));
            }
            return outcomes;
        }, loop);
    }

    private static CompletableFuture<Void> write(ObjectNode node, Map<ParamDef, String> values, Duration timeout) {
        ObjectOwner owner = node.owner();
        if (owner == null) {
            return CompletableFuture.failedFuture(new ModelException(ErrorCode.PARAMETER_ACTION_FAILED,
                    node.path() + " has no device behind it to write to"));
        }
        CompletableFuture<Void> ack;
        try {
            // A dependent copy: the timeout must not complete a stage that belongs to the owner.
            ack = owner.write(node, values).toCompletableFuture().thenApply(v -> v);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ack.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Map<ParamDef, Outcome> outcomes(ObjectNode node, Map<ParamDef, String> values,
            CompletableFuture<Void> write, Duration timeout) {
        Map<ParamDef, Outcome> out = new LinkedHashMap<>();
        Throwable failure = failureOf(write);
        for (ParamDef p : values.keySet()) {
            out.put(p, failure == null ? Outcome.DONE : new Outcome(toModelException(node, p, failure, timeout)));
        }
        return out;
    }

    private static Throwable failureOf(CompletableFuture<Void> f) {
        try {
            f.get(0, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException | CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (TimeoutException | java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    /** The error of one parameter: the owner's code when it gave one, 7009 for no answer, 7003 for anything else. */
    private static ModelException toModelException(ObjectNode node, ParamDef p, Throwable failure, Duration timeout) {
        Throwable f = failure;
        while ((f instanceof CompletionException || f instanceof ExecutionException) && f.getCause() != null) {
            f = f.getCause();
        }
        if (f instanceof ParamWriteException pwe) {
            ModelException e = pwe.failures().get(p);
            return e != null ? e : null;   // not named: this parameter was written
        }
        if (f instanceof ModelException me) {
            return me;
        }
        if (f instanceof TimeoutException) {
            return new ModelException(ErrorCode.PARAMETER_ACTION_FAILED, "the device did not acknowledge the write of "
                    + node.path() + p.name() + " within " + timeout.toMillis() + " ms");
        }
        LOG.warning("writing " + node.path() + p.name() + " failed unexpectedly: " + f);
        return new ModelException(ErrorCode.INTERNAL_ERROR, "writing " + node.path() + p.name() + " failed: "
                + f.getClass().getSimpleName());
    }
}
