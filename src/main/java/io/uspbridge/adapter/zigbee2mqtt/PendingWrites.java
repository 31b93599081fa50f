package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.uspbridge.proxy.spi.AdapterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes, toggles and refreshes waiting for Zigbee2MQTT to report the feature's state. Zigbee2MQTT does not answer
 * a {@code /set}: after the device acknowledged the Zigbee command it publishes the new state (its "optimistic"
 * state), and when the command fails it only logs an error. So a write completes when a state report carries the
 * value that was sent (or, for a toggle or refresh, any value of that feature), fails with REJECTED when
 * Zigbee2MQTT logs that the publish failed, and with TIMEOUT when neither happens in time. Loop-thread only.
 */
final class PendingWrites {

    /**
     * @param expected the device value sent, or null when any reported value completes it (toggle without a
     *                 known current value, refresh)
     */
    private record Pending(String ieee, FeatureBinding binding, JsonNode expected, CompletableFuture<Void> future,
            ScheduledFuture<?> timer) {
    }

    private final ScheduledExecutorService loop;
    private final List<Pending> pending = new ArrayList<>();

    PendingWrites(ScheduledExecutorService loop) {
        this.loop = loop;
    }

    /** Waits for the feature's report; {@code what} names the operation in the timeout message. */
    void await(String ieee, String deviceName, FeatureBinding binding, JsonNode expected, Duration timeout,
            CompletableFuture<Void> future, String what) {
        Pending[] self = new Pending[1];
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (pending.remove(self[0])) {
                future.completeExceptionally(new AdapterException(AdapterException.Reason.TIMEOUT,
                        what + " " + deviceName + "/" + binding.key() + ": Zigbee2MQTT reported no new state within "
                                + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        self[0] = new Pending(ieee, binding, expected, future, timer);
        pending.add(self[0]);
    }

    /** A state report for a device: completes the writes it confirms. */
    void onState(String ieee, JsonNode state) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            if (!p.ieee.equals(ieee)) {
                continue;
            }
            JsonNode reported = p.binding.find(state);
            if (reported != null && (p.expected == null || p.binding.codec().confirms(reported, p.expected))) {
                it.remove();
                p.timer.cancel(false);
                p.future.complete(null);
            }
        }
    }

    /**
     * Zigbee2MQTT logged that a {@code set}/{@code get} of {@code key} for a device failed. The key it logs has
     * the endpoint suffix stripped ({@code state}, not {@code state_l1}).
     */
    void onPublishFailed(String ieee, String key, String error) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            String top = p.binding.feature().path().get(0);
            String name = p.binding.feature().name();
            if (p.ieee.equals(ieee) && (top.equals(key) || name.equals(key) || top.startsWith(key + "_"))) {
                it.remove();
                p.timer.cancel(false);
                p.future.completeExceptionally(new AdapterException(AdapterException.Reason.REJECTED,
                        "Zigbee2MQTT: " + error));
            }
        }
    }

    /** Fails every pending operation of one device (it left), or of all when {@code ieee} is null. */
    void fail(String ieee, AdapterException.Reason reason, String message) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            if (ieee == null || p.ieee.equals(ieee)) {
                it.remove();
                p.timer.cancel(false);
                p.future.completeExceptionally(new AdapterException(reason, message));
            }
        }
    }

    /** Forgets one operation whose publish failed (its future is failed by the caller). */
    void cancel(CompletableFuture<Void> future) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            if (p.future == future) {
                it.remove();
                p.timer.cancel(false);
            }
        }
    }
}
