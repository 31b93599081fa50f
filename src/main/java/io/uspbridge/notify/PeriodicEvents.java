package io.uspbridge.notify;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.EventDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Table;
import io.uspbridge.model.ValueType;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code Device.LocalAgent.Periodic!} (9.4 item 2): per controller with an Event subscription that names it, every
 * {@code PeriodicNotifInterval} seconds at the instants {@code PeriodicNotifTime + k·interval}; with the Unknown Time
 * (or no value) the agent picks the phase: the moment the schedule starts. The event goes only to that controller's
 * subscriptions. Schedules follow changes of the controller rows and of the subscriptions. Runs on the agent loop.
 */
final class PeriodicEvents {
    private static final String LOCAL_AGENT = "Device.LocalAgent.";

    private record Schedule(long intervalSeconds, String time, long anchorMillis, ScheduledFuture<?> timer,
            long lastMillis) {
    }

    private final DataModel model;
    private final AgentLoop loop;
    private final Clock clock;
    private final NotificationEngine engine;
    private final Map<ObjectNode, Schedule> schedules = new IdentityHashMap<>();

    PeriodicEvents(DataModel model, AgentLoop loop, Clock clock, NotificationEngine engine) {
        this.model = model;
        this.loop = loop;
        this.clock = clock;
        this.engine = engine;
    }

    /** Starts, moves or stops each controller's schedule to fit the current rows and subscriptions. */
    void refresh() {
        ObjectNode localAgent = model.find(LOCAL_AGENT);
        EventDef periodic = localAgent == null ? null : localAgent.def().event("Periodic!");
        Table controllers = model.findTable(Onboarding.CONTROLLERS);
        Set<ObjectNode> wanted = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (periodic != null && controllers != null) {
            for (ObjectNode c : controllers.rows()) {
                if (c.booleanValue("Enable") && engine.isSubscribed(c, localAgent, periodic)) {
                    wanted.add(c);
                    ensure(c, localAgent, periodic);
                }
            }
        }
        for (ObjectNode c : new ArrayList<>(schedules.keySet())) {
            if (!wanted.contains(c)) {
                schedules.remove(c).timer().cancel(false);
            }
        }
    }

    private void ensure(ObjectNode controller, ObjectNode localAgent, EventDef periodic) {
        long interval = Long.parseLong(controller.value("PeriodicNotifInterval"));
        String time = controller.value("PeriodicNotifTime");
        Schedule s = schedules.get(controller);
        if (s != null && s.intervalSeconds() == interval && s.time().equals(time)) {
            return;
        }
        if (s != null) {
            s.timer().cancel(false);
        }
        long now = clock.millis();
        long anchor = anchor(time, now);
        schedule(controller, localAgent, periodic, interval, time, anchor, now, Long.MIN_VALUE);
    }

    private void schedule(ObjectNode controller, ObjectNode localAgent, EventDef periodic, long interval, String time,
            long anchor, long now, long last) {
        // Never the same instant twice, even when the timer fires a little early by the wall clock.
        long from = last == Long.MIN_VALUE ? now : Math.max(now, last + interval * 500);
        long next = nextAfter(anchor, interval * 1000, from);
        ScheduledFuture<?> timer = loop.schedule(() -> {
            Schedule current = schedules.get(controller);
            if (current == null || !controller.isLive()) {
                return;
            }
            engine.event(localAgent, periodic, Map.of(), controller);
            schedule(controller, localAgent, periodic, interval, time, anchor, clock.millis(), next);
        }, next - now, TimeUnit.MILLISECONDS);
        schedules.put(controller, new Schedule(interval, time, anchor, timer, last));
    }

    /** The first instant {@code anchor + k·period} strictly after {@code from} (k may be negative). */
    static long nextAfter(long anchor, long period, long from) {
        long k = Math.floorDiv(from - anchor, period) + 1;
        return anchor + k * period;
    }

    private static long anchor(String time, long now) {
        if (time == null || time.isEmpty() || ValueType.UNKNOWN_TIME.equals(time)) {
            return now;
        }
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    void close() {
        schedules.values().forEach(s -> s.timer().cancel(false));
        schedules.clear();
    }
}
