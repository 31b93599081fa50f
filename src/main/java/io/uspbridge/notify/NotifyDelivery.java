package io.uspbridge.notify;

import io.uspbridge.message.NotifyResponses;
import io.uspbridge.model.AgentLoop;
import io.uspbridge.proto.UspMsg;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Gets Notify messages to controllers, and keeps trying when asked to (9.3, R-NOT.1–4).
 *
 * <pre>
 *   send ─► controller has a queue? ──yes──► queue (in order)
 *             │ no                               ▲         │ an MTP came up / retry timer
 *             ▼                                  │ failed  ▼
 *           attempt ─► record layer ─► handed to the MTP ─► send_resp=false: done
 *                                                          └► send_resp=true: await NotifyResp (by msg_id)
 *                                                              retry n after a random wait in its window
 *                                                              NotifyResp or Error reply: delivered
 *                                                              NotifExpiration reached: given up
 * </pre>
 *
 * <ul>
 * <li>While no MTP reaches a controller (broker down, link not up yet at start-up), its Notifies wait in a queue in
 * the order they were raised, and go out as soon as an MTP comes up (a Boot! waits like this for the first link);
 * nothing with send_resp=true is lost before its expiration. A retry that falls due while the link is down waits in
 * the queue too and does not count as a retry. The queue is bounded per controller; when full the oldest entry is
 * dropped with a log line, so a controller gone for weeks cannot exhaust a small hub's memory.</li>
 * <li>Retries reuse the msg_id, so a late NotifyResp to any attempt confirms delivery (NOT-3). An Error reply also
 * ends the retries (the controller received it; NOT-4 guidance) and is logged.</li>
 * <li>Nothing here survives a restart: R-NOT.4 ends retries on restart.</li>
 * </ul>
 * Runs on the agent loop.
 */
final class NotifyDelivery implements NotifyResponses {
    private static final Logger LOG = Logger.getLogger(NotifyDelivery.class.getName());

    /** Sends a Msg to a controller over its best link (RecordLayer::sendToController); fails when none is up. */
    @FunctionalInterface
    interface Sender {
        CompletionStage<Void> send(String controller, UspMsg.Msg msg);
    }

    /** One Notify on its way to one controller. */
    final class Outgoing {
        final long seq;
        final String controller;
        final UspMsg.Msg msg;
        final String msgId;
        final boolean expectsResponse;
        /** Epoch milliseconds after which it is given up; 0 = never. */
        final long expiresAt;
        final Runnable onDelivered;
        int retries;
        int attempts;
        boolean done;
        ScheduledFuture<?> timer;

        Outgoing(long seq, String controller, UspMsg.Msg msg, boolean expectsResponse, long expiresAt,
                Runnable onDelivered) {
            this.seq = seq;
            this.controller = controller;
            this.msg = msg;
            this.msgId = msg.getHeader().getMsgId();
            this.expectsResponse = expectsResponse;
            this.expiresAt = expiresAt;
            this.onDelivered = onDelivered;
        }

        /** Stops it: no more attempts (an OnBoardRequest made obsolete). */
        void cancel() {
            finish(this);
        }

        boolean isDone() {
            return done;
        }
    }

    private final AgentLoop loop;
    private final Sender sender;
    private final Function<String, RetryPolicy.Parameters> retryParameters;
    private final RetryPolicy policy;
    private final Clock clock;
    private final int maxQueued;
    private final Map<String, TreeMap<Long, Outgoing>> waiting = new HashMap<>();
    private final Map<String, Outgoing> awaiting = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> probes = new HashMap<>();
    private long seq;

    /**
     * @param retryParameters the controller's USPNotifRetryMinimumWaitInterval / IntervalMultiplier by Endpoint ID
     * @param maxQueued       most Notifies kept per controller while no link reaches it
     */
    NotifyDelivery(AgentLoop loop, Sender sender, Function<String, RetryPolicy.Parameters> retryParameters,
            RetryPolicy policy, Clock clock, int maxQueued) {
        this.loop = loop;
        this.sender = sender;
        this.retryParameters = retryParameters;
        this.policy = policy;
        this.clock = clock;
        this.maxQueued = maxQueued;
    }

    /**
     * Sends {@code msg} (a Notify whose send_resp is {@code expectsResponse}) to {@code controller}.
     *
     * @param expirationSeconds with a response expected: give up this long after now; 0 = never
     * @param onDelivered       run when the NotifyResp (or an Error reply) arrives; may be null
     */
    Outgoing send(String controller, UspMsg.Msg msg, boolean expectsResponse, long expirationSeconds,
            Runnable onDelivered) {
        long expiresAt = expectsResponse && expirationSeconds > 0 ? clock.millis() + expirationSeconds * 1000 : 0;
        Outgoing o = new Outgoing(++seq, controller, msg, expectsResponse, expiresAt, onDelivered);
        if (waiting.containsKey(controller)) {
            enqueue(o);          // keep the order behind what already waits for a link
        } else {
            attempt(o);
        }
        return o;
    }

    private void attempt(Outgoing o) {
        cancelTimer(o);
        o.attempts++;
        CompletionStage<Void> st;
        try {
            st = sender.send(o.controller, o.msg);
        } catch (RuntimeException e) {
            st = CompletableFuture.failedFuture(e);
        }
        // Handing over may complete on an MTP thread: continue on the loop.
        st.whenComplete((v, e) -> loop.run(() -> handedOver(o, e)));
    }

    private void handedOver(Outgoing o, Throwable failure) {
        if (o.done) {
            return;
        }
        if (failure != null) {
            enqueue(o);
            return;
        }
        if (!o.expectsResponse) {
            o.done = true;
            return;
        }
        awaiting.put(key(o.controller, o.msgId), o);
        scheduleRetry(o);
    }

    private void scheduleRetry(Outgoing o) {
        o.retries++;
        long delay = policy.delayMillis(retryParameters.apply(o.controller), o.retries);
        long now = clock.millis();
        if (o.expiresAt > 0 && now + delay >= o.expiresAt) {
            o.timer = loop.schedule(() -> expire(o), o.expiresAt - now, TimeUnit.MILLISECONDS);
            return;
        }
        o.timer = loop.schedule(() -> retry(o), delay, TimeUnit.MILLISECONDS);
    }

    private void retry(Outgoing o) {
        if (o.done) {
            return;
        }
        if (waiting.containsKey(o.controller)) {
            o.retries--;         // not sent: the next attempt is still this retry
            enqueue(o);
            return;
        }
        LOG.fine(() -> "retry " + o.retries + " of Notify " + o.msgId + " to " + o.controller);
        attempt(o);
    }

    private void enqueue(Outgoing o) {
        cancelTimer(o);
        TreeMap<Long, Outgoing> q = waiting.computeIfAbsent(o.controller, k -> new TreeMap<>());
        q.put(o.seq, o);
        if (q.size() > maxQueued) {
            Outgoing oldest = q.pollFirstEntry().getValue();
            LOG.warning("more than " + maxQueued + " Notifies wait for a link to " + o.controller
                    + "; the oldest (" + oldest.msgId + ") is dropped");
            finish(oldest);
        }
        if (o.expiresAt > 0) {
            o.timer = loop.schedule(() -> expire(o), Math.max(0, o.expiresAt - clock.millis()),
                    TimeUnit.MILLISECONDS);
        }
        if (o.expectsResponse && !probes.containsKey(o.controller)) {
            // A link may come back without an MTP telling us (a route configured, an address learned): what must be
            // delivered is tried again at the first retry interval, once for the whole queue.
            String c = o.controller;
            probes.put(c, loop.schedule(() -> {
                probes.remove(c);
                flush(c);
            }, policy.delayMillis(retryParameters.apply(c), 1), TimeUnit.MILLISECONDS));
        }
    }

    private void expire(Outgoing o) {
        if (o.done) {
            return;
        }
        LOG.info(() -> "Notify " + o.msgId + " to " + o.controller + " was not confirmed before its NotifExpiration ("
                + o.attempts + " attempts); given up");
        finish(o);
    }

    /** An MTP came up: everything waiting goes out, in order, each to its controller. */
    void flush() {
        for (String controller : new ArrayList<>(waiting.keySet())) {
            flush(controller);
        }
    }

    private void flush(String controller) {
        ScheduledFuture<?> probe = probes.remove(controller);
        if (probe != null) {
            probe.cancel(false);
        }
        TreeMap<Long, Outgoing> q = waiting.remove(controller);
        if (q == null) {
            return;
        }
        for (Outgoing o : q.values()) {
            if (o.done) {
                continue;
            }
            if (o.expiresAt > 0 && clock.millis() >= o.expiresAt) {
                expire(o);
            } else {
                attempt(o);   // one that fails again is queued again, in its place (seq order)
            }
        }
    }

    @Override
    public void onNotifyResponse(String controller, String msgId) {
        Outgoing o = awaiting.get(key(controller, msgId));
        if (o == null) {
            LOG.fine(() -> "NotifyResp " + msgId + " from " + controller + " matches no Notify awaiting one");
            return;
        }
        delivered(o);
    }

    @Override
    public void onNotifyError(String controller, String msgId, int errCode, String errMsg) {
        Outgoing o = awaiting.get(key(controller, msgId));
        if (o == null) {
            LOG.fine(() -> "Error " + errCode + " from " + controller + " for msg_id " + msgId
                    + " matches no Notify awaiting an answer");
            return;
        }
        LOG.info(() -> controller + " answered Notify " + msgId + " with Error " + errCode + " (" + errMsg
                + "); it is not retried");
        delivered(o);
    }

    private void delivered(Outgoing o) {
        finish(o);
        if (o.onDelivered != null) {
            o.onDelivered.run();
        }
    }

    private void finish(Outgoing o) {
        o.done = true;
        cancelTimer(o);
        awaiting.remove(key(o.controller, o.msgId));
        TreeMap<Long, Outgoing> q = waiting.get(o.controller);
        if (q != null && q.remove(o.seq) != null && q.isEmpty()) {
            waiting.remove(o.controller);
            ScheduledFuture<?> probe = probes.remove(o.controller);
            if (probe != null) {
                probe.cancel(false);
            }
        }
    }

    private static void cancelTimer(Outgoing o) {
        if (o.timer != null) {
            o.timer.cancel(false);
            o.timer = null;
        }
    }

    private static String key(String controller, String msgId) {
        return controller + '\u0000' + msgId;
    }

    /** Notifies not yet finished: waiting for a link or for a NotifyResp (diagnostics, tests). */
    int pending() {
        int n = awaiting.size();
        for (Map.Entry<String, TreeMap<Long, Outgoing>> e : waiting.entrySet()) {
            for (Outgoing o : e.getValue().values()) {
                if (!awaiting.containsKey(key(o.controller, o.msgId))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Notifies waiting for a link (diagnostics, tests). */
    int waitingForLink() {
        int n = 0;
        for (TreeMap<Long, Outgoing> q : waiting.values()) {
            n += q.size();
        }
        return n;
    }

    /** Stops every timer; what was pending is dropped (R-NOT.4: retries end with the agent). */
    void close() {
        List<Outgoing> all = new ArrayList<>(awaiting.values());
        waiting.values().forEach(q -> all.addAll(q.values()));
        all.forEach(o -> {
            o.done = true;
            cancelTimer(o);
        });
        awaiting.clear();
        waiting.clear();
        probes.values().forEach(f -> f.cancel(false));
        probes.clear();
    }
}
