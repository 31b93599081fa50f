package io.uspbridge.record;

import io.uspbridge.model.ModelException;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord.Record;
import io.uspbridge.security.EndpointTls;
import io.uspbridge.wire.OutgoingMsg;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

/**
 * Drives one {@link SessionContext} per controller for the {@link RecordLayer}: feeds it Records, Msgs and timer
 * ticks with the controller's current E2ESession settings, sends the Records it produces, hands the Msgs it
 * releases to the message layer, keeps one timer per controller at its next deadline, and reports its state to
 * the {@link ControllerDirectory} ({@code E2ESession.Status}, {@code CurrentRetryCount}). Runs on the agent loop.
 */
final class SessionContexts {
    /** Contexts kept while they are Down; beyond this many controllers the idle ones are forgotten. */
    private static final int MAX_IDLE = 256;

    /** What the driver needs from the record layer. */
    interface Wire {
        /**
         * Where the controller's context Records go: {@code lastFrom} (the MTP and reply address of its last
         * Record, REC-1) when that MTP is up, else its best route; null when it cannot be reached now.
         */
        ReplyAddress route(String controller, ReplyAddress lastFrom);

        /** Sends Records, in order; completes when the last one was handed to the MTP. */
        CompletionStage<Void> transmit(String controller, List<Record> records, ReplyAddress to);

        /** A Msg from the controller, in order, for the message layer; its answer goes back through the context. */
        void deliver(String controller, UspMsg.Msg msg);
    }

    private final class Link {
        final String controller;
        final SessionContext context;
        ReplyAddress lastFrom;
        Runnable timer;
        long timerAt = SessionContext.NEVER;
        SessionState shownState = SessionState.DOWN;
        int shownRetries;

        Link(String controller) {
            this.controller = controller;
            this.context = new SessionContext(agentId, controller, directory.e2eSettings(controller), limits, random,
                    reservedBytes, tls);
        }
    }

    private final String agentId;
    private final ControllerDirectory directory;
    private final SessionClock clock;
    private final SessionLimits limits;
    private final RandomGenerator random;
    private final int reservedBytes;
    private final Wire wire;
    private final EndpointTls tls;
    private final Map<String, Link> links = new HashMap<>();

    SessionContexts(String agentId, ControllerDirectory directory, SessionClock clock, SessionLimits limits,
            RandomGenerator random, int reservedBytes, Wire wire) {
        this(agentId, directory, clock, limits, random, reservedBytes, wire, null);
    }

    /** @param tls the agent's E2E TLS material; null when TLS12 payload security is not offered */
    SessionContexts(String agentId, ControllerDirectory directory, SessionClock clock, SessionLimits limits,
            RandomGenerator random, int reservedBytes, Wire wire, EndpointTls tls) {
        this.tls = tls;
        this.agentId = agentId;
        this.directory = directory;
        this.clock = clock;
        this.limits = limits;
        this.random = random;
        this.reservedBytes = reservedBytes;
        this.wire = wire;
    }

    /** A Session Context Record arrived from {@code from}. */
    void onRecord(Record record, ReplyAddress from) {
        Link l = link(record.getFromId());
        l.lastFrom = from;
        long now = configure(l);
        apply(l, l.context.receive(record, now), null);
    }

    /** The controller sent a Disconnect Record. */
    void onDisconnect(String controller, String reason) {
        Link l = links.get(controller);
        if (l != null) {
            apply(l, l.context.disconnected(reason), null);
        }
    }

    /** A Session Context Record of the controller failed its integrity check (R-E2E.23). */
    void integrityFailed(String controller, String reason) {
        Link l = links.get(controller);
        if (l != null) {
            long now = configure(l);
            apply(l, l.context.failRecord(reason, now), null);
        }
    }

    /** The controller's SessionMode requires a context, and a NoSessionContext Record came: establish one. */
    void requireContext(String controller, ReplyAddress from) {
        Link l = link(controller);
        if (l.lastFrom == null) {
            l.lastFrom = from;
        }
        long now = configure(l);
        try {
            apply(l, l.context.start(now, "a NoSessionContext Record while SessionMode is Require"), null);
        } catch (ModelException e) {
            finish(l);
        }
    }

    /** Whether agent-initiated Msgs to the controller travel in a context (Require, or Allow with one running). */
    boolean carriesAgentMessages(String controller) {
        SessionMode mode = directory.e2eSettings(controller).mode();
        if (mode == SessionMode.REQUIRE) {
            return true;
        }
        Link l = links.get(controller);
        return mode == SessionMode.ALLOW && l != null && l.context.state() != SessionState.DOWN;
    }

    /**
     * Sends a Msg in the controller's context (REC-1 for a response); completes when its Records are handed to the
     * MTP, fails when the controller cannot be reached or no context can carry it.
     */
    CompletionStage<Void> send(String controller, OutgoingMsg msg, boolean response) {
        Link l = link(controller);
        ReplyAddress to = wire.route(controller, l.lastFrom);
        if (to == null) {
            finish(l);
            return CompletableFuture.failedFuture(new ModelException(io.uspbridge.model.ErrorCode.MESSAGE_FAILED,
                    "no MTP is up towards " + controller));
        }
        long now = configure(l);
        SessionContext.Output out;
        try {
            out = l.context.send(msg, response, now);
        } catch (ModelException e) {
            finish(l);
            return CompletableFuture.failedFuture(e);
        }
        return apply(l, out, to);
    }

    /** {@code E2ESession.Reset()}. */
    void reset(String controller) {
        Link l = link(controller);
        long now = configure(l);
        SessionContext.Output out;
        try {
            out = l.context.reset(now);
        } catch (ModelException e) {
            finish(l);
            throw e;
        }
        apply(l, out, null);
    }

    /**
     * The controller's E2ESession settings or standing changed: apply them now. Also called for every controller
     * at start-up, so that SessionMode Require establishes its context (R-E2E.3).
     */
    void settingsChanged(String controller) {
        Link l = links.get(controller);
        if (l == null) {
            if (directory.e2eSettings(controller).mode() != SessionMode.REQUIRE
                    || directory.standing(controller) != ControllerDirectory.Standing.TRUSTED) {
                return;
            }
            l = link(controller);
        }
        if (directory.standing(controller) != ControllerDirectory.Standing.TRUSTED
                && !(directory.standing(controller) == ControllerDirectory.Standing.UNKNOWN
                        && directory.acceptsUnknownControllers())) {
            // Disabled, banned or deleted: no more traffic (section 12), not even a Disconnect.
            apply(l, l.context.disconnected("the controller is no longer allowed"), null);
            return;
        }
        long now = configure(l);
        if (l.context.settings().mode() == SessionMode.REQUIRE && l.context.state() == SessionState.DOWN) {
            try {
                apply(l, l.context.start(now, "SessionMode is Require"), null);
                return;
            } catch (ModelException e) {
                // logged by the context; the controller gets no context until PayloadSecurity allows one
            }
        }
        finish(l);
    }

    SessionState state(String controller) {
        Link l = links.get(controller);
        return l == null ? SessionState.DOWN : l.context.state();
    }

    /** The context itself, for tests. */
    SessionContext context(String controller) {
        Link l = links.get(controller);
        return l == null ? null : l.context;
    }

    private Link link(String controller) {
        Link l = links.get(controller);
        if (l == null) {
            if (links.size() >= MAX_IDLE) {
                forgetIdle();
            }
            l = new Link(controller);
            links.put(controller, l);
        }
        return l;
    }

    private void forgetIdle() {
        for (Iterator<Link> it = links.values().iterator(); it.hasNext();) {
            Link l = it.next();
            if (l.context.state() == SessionState.DOWN && l.timer == null) {
                it.remove();
            }
        }
    }

    /** Gives the context the controller's settings as they are now (a change may itself produce Records). */
    private long configure(Link l) {
        long now = clock.nowMillis();
        SessionContext.Output out = l.context.configure(directory.e2eSettings(l.controller), now);
        if (out != SessionContext.Output.NONE) {
            transmit(l, out.transmit(), null);
        }
        return now;
    }

    private CompletionStage<Void> apply(Link l, SessionContext.Output out, ReplyAddress to) {
        CompletionStage<Void> sent = CompletableFuture.completedFuture(null);
        if (!out.transmit().isEmpty()) {
            sent = transmit(l, out.transmit(), to);
        }
        finish(l);
        for (UspMsg.Msg m : out.deliver()) {
            wire.deliver(l.controller, m);
        }
        return sent;
    }

    private CompletionStage<Void> transmit(Link l, List<Record> records, ReplyAddress to) {
        ReplyAddress target = to != null ? to : wire.route(l.controller, l.lastFrom);
        if (target == null) {
            // The Records stay in the retransmit buffer; the peer asks for them when it hears from the context.
            return CompletableFuture.failedFuture(new ModelException(io.uspbridge.model.ErrorCode.MESSAGE_FAILED,
                    "no MTP is up towards " + l.controller));
        }
        return wire.transmit(l.controller, records, target);
    }

    /** After every input: show a state change and keep the timer at the context's next deadline. */
    private void finish(Link l) {
        SessionContext c = l.context;
        if (c.state() != l.shownState || c.retryCount() != l.shownRetries) {
            l.shownState = c.state();
            l.shownRetries = c.retryCount();
            directory.sessionStatus(l.controller, l.shownState, l.shownRetries);
        }
        long deadline = c.nextDeadline();
        if (deadline == l.timerAt) {
            return;
        }
        if (l.timer != null) {
            l.timer.run();
            l.timer = null;
        }
        l.timerAt = deadline;
        if (deadline != SessionContext.NEVER) {
            l.timer = clock.schedule(() -> onTimer(l), deadline - clock.nowMillis());
        }
    }

    private void onTimer(Link l) {
        l.timer = null;
        l.timerAt = SessionContext.NEVER;
        if (links.get(l.controller) != l) {
            return;
        }
        long now = configure(l);
        apply(l, l.context.tick(now), null);
    }
}
