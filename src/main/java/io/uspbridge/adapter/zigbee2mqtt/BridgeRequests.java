package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uspbridge.proxy.spi.AdapterException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Zigbee2MQTT's request/response API: a JSON request on {@code bridge/request/<name>} carrying a
 * {@code transaction}, answered on {@code bridge/response/<name>} with the same transaction and
 * {@code "status": "ok"} (with {@code data}) or {@code "error"} (with {@code error}). Responses to other clients'
 * requests share the topic, so only our own transaction ids are matched. Loop-thread only.
 */
final class BridgeRequests {

    /** What a request needs from the adapter: publishing on the bridge topics. */
    interface Publisher {
        CompletableFuture<Void> publish(String topic, String payload);
    }

    private record Pending(String name, CompletableFuture<JsonNode> future, ScheduledFuture<?> timer) {
    }

    private final ScheduledExecutorService loop;
    private final Publisher publisher;
    private final String requestPrefix;
    /** Unique per adapter instance, so that two bridges or a restarted agent never take each other's answers. */
    private final String transactionPrefix = "uspb-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    private final Map<String, Pending> pending = new HashMap<>();
    private long next;

    BridgeRequests(ScheduledExecutorService loop, String baseTopic, Publisher publisher) {
        this.loop = loop;
        this.publisher = publisher;
        this.requestPrefix = baseTopic + "/bridge/request/";
    }

    /**
     * Sends {@code bridge/request/<name>} and completes with the response's {@code data}; fails with REJECTED for
     * an error response, TIMEOUT when none comes, DISCONNECTED when the publish fails.
     */
    CompletableFuture<JsonNode> send(String name, ObjectNode payload, Duration timeout) {
        String transaction = transactionPrefix + (++next);
        payload.put("transaction", transaction);
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        ScheduledFuture<?> timer = loop.schedule(() -> {
            Pending p = pending.remove(transaction);
            if (p != null) {
                p.future.completeExceptionally(new AdapterException(AdapterException.Reason.TIMEOUT,
                        "Zigbee2MQTT did not answer " + name + " within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(transaction, new Pending(name, future, timer));
        publisher.publish(requestPrefix + name, payload.toString()).whenComplete((ok, e) -> {
            if (e != null) {
                loop.execute(() -> {
                    Pending p = pending.remove(transaction);
                    if (p != null) {
                        p.timer.cancel(false);
                        p.future.completeExceptionally(e instanceof AdapterException ? e
                                : new AdapterException(AdapterException.Reason.DISCONNECTED, e.getMessage()));
                    }
                });
            }
        });
        return future;
    }

    /** A message on {@code bridge/response/<name>}. */
    void onResponse(String name, JsonNode response) {
        JsonNode t = response.get("transaction");
        if (t == null || !t.isValueNode()) {
            return;
        }
        Pending p = pending.get(t.asText());
        if (p == null || !p.name.equals(name)) {
            return;
        }
        pending.remove(t.asText());
        p.timer.cancel(false);
        if ("ok".equals(response.path("status").asText())) {
            p.future.complete(response.path("data"));
        } else {
            String error = response.path("error").asText("");
            p.future.completeExceptionally(new AdapterException(AdapterException.Reason.REJECTED,
                    "Zigbee2MQTT refused " + name + (error.isEmpty() ? "" : ": " + error)));
        }
    }

    void failAll(AdapterException.Reason reason, String message) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            Pending p = it.next();
            it.remove();
            p.timer.cancel(false);
            p.future.completeExceptionally(new AdapterException(reason, message));
        }
    }
}
