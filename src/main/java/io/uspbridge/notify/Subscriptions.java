package io.uspbridge.notify;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Table;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The subscriptions in force: every enabled {@code Device.LocalAgent.Subscription.{i}} row, compiled and indexed by
 * NotifType ({@link WatchIndex}), plus what the rows' rules need between transactions — the committed ReferenceList
 * of every row (immutable once non-empty) and the TimeToLive timers. Runs on the agent loop.
 */
final class Subscriptions {
    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
    static final String TABLE = "Device.LocalAgent.Subscription.";

    private final DataModel model;
    private final AgentLoop loop;
    private final Clock clock;
    private final Map<ObjectNode, Subscription> active = new IdentityHashMap<>();
    private final Map<ObjectNode, String> committedReferences = new IdentityHashMap<>();
    private final Map<ObjectNode, ScheduledFuture<?>> expiry = new IdentityHashMap<>();
    private final Map<NotifType, WatchIndex> indexes = new EnumMap<>(NotifType.class);

    Subscriptions(DataModel model, AgentLoop loop, Clock clock) {
        this.model = model;
        this.loop = loop;
        this.clock = clock;
        for (NotifType t : NotifType.values()) {
            indexes.put(t, new WatchIndex());
        }
    }

    /** Compiles every row (start-up). */
    void loadAll() {
        Table t = model.findTable(TABLE);
        if (t == null) {
            return;
        }
        for (ObjectNode row : new ArrayList<>(t.rows())) {
            refresh(row);
        }
    }

    WatchIndex index(NotifType type) {
        return indexes.get(type);
    }

    Collection<Subscription> active() {
        return Collections.unmodifiableCollection(active.values());
    }

    /**
     * The ReferenceList the row had when its last transaction committed, or null for a row this registry has not
     * seen committed (being created now).
     */
    String committedReferenceList(ObjectNode row) {
        return committedReferences.get(row);
    }

    /** Takes a row out of matching at once (deleted or disabled in the batch being processed). */
    void deactivate(ObjectNode row) {
        Subscription old = active.remove(row);
        if (old != null) {
            for (Watch w : old.watches) {
                indexes.get(old.type).remove(w);
            }
        }
    }

    /** Brings a row that changed (or was created or deleted) up to date: compiled when enabled, timers set. */
    void refresh(ObjectNode row) {
        deactivate(row);
        if (!row.isLive()) {
            committedReferences.remove(row);
            cancelExpiry(row);
            return;
        }
        committedReferences.put(row, row.value("ReferenceList"));
        scheduleExpiry(row);
        if (!row.booleanValue("Enable")) {
            return;
        }
        Subscription s;
        try {
            s = Subscription.compile(model, row);
        } catch (ModelException e) {
            // Rows are validated when written; this is a row restored from an older schema, or NotifType unset.
            LOG.info(() -> "subscription " + row.path() + " is enabled but not in force: " + e.getMessage());
            return;
        }
        active.put(row, s);
        for (Watch w : s.watches) {
            indexes.get(s.type).add(w);
        }
    }

    /** TimeToLive counts from CreationDate, so it also holds across restarts (the CreationDate is kept). */
    private void scheduleExpiry(ObjectNode row) {
        cancelExpiry(row);
        long ttl = Long.parseLong(row.value("TimeToLive"));
        if (ttl == 0) {
            return;
        }
        Instant created;
        try {
            created = Instant.parse(row.value("CreationDate"));
        } catch (DateTimeParseException e) {
            created = Instant.EPOCH;    // no creation time: expire now rather than never
        }
        long delay = Math.max(0, created.plusSeconds(ttl).toEpochMilli() - clock.millis());
        expiry.put(row, loop.schedule(() -> expire(row), delay, TimeUnit.MILLISECONDS));
    }

    private void expire(ObjectNode row) {
        expiry.remove(row);
        if (!row.isLive()) {
            return;
        }
        LOG.info(() -> "subscription " + row.path() + " (ID " + row.value("ID") + ") reached its TimeToLive and is"
                + " deleted");
        model.delete(row);      // ObjectDeletion goes to whoever subscribed to it
    }

    private void cancelExpiry(ObjectNode row) {
        ScheduledFuture<?> f = expiry.remove(row);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Rows whose Persistent is false: removed at start-up (the store keeps every row of the table). */
    List<ObjectNode> nonPersistentRows() {
        Table t = model.findTable(TABLE);
        List<ObjectNode> out = new ArrayList<>();
        if (t != null) {
            for (ObjectNode row : t.rows()) {
                if (!row.booleanValue("Persistent")) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    void close() {
        expiry.values().forEach(f -> f.cancel(false));
        expiry.clear();
    }
}
