package io.uspbridge.notify;

import io.uspbridge.model.CommandDef;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.EventDef;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ModelListener;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.security.Permissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns the model's change feed into Notify messages (journey 2 of ARCHITECTURE.md): every committed batch is
 * matched against the subscriptions in force, never by polling. For each change it asks the {@link WatchIndex} of
 * the matching NotifType for candidates, keeps those whose path names the changed object now (search expressions
 * evaluated with the recipient's read rights), checks the recipient's {@code n} permission on the element (9.2,
 * TP-469 2.19/2.20) and hands one Notify per subscription and change to {@link NotifyDelivery}.
 *
 * <p>Semantics decided here:
 * <ul>
 * <li>A subscription sees the batches committed while it is in force: the batch that creates or enables it is not
 * reported to it ("first change relative to the value at subscription time", 9.2), the batch that deletes or
 * disables it is not either (a disabled entry is not processed).</li>
 * <li>ValueChange: every change of a parameter the subscription names, including parameters of rows that appear
 * later under {@code *} or start matching a search; not for parameters whose value change is ignored or computed
 * ({@link ParamDef#isValueChangeAllowed()}), nor for rows created in the same transaction (the model does not report
 * those). A search expression is evaluated on the values after the change.</li>
 * <li>ObjectCreation / ObjectDeletion: rows the path names, with all unique keys the recipient can read.</li>
 * <li>Event / OperationComplete: the named event or command, or all below an object path.</li>
 * <li>Secured parameter values go out as "" to recipients without a SecuredRoles role (GET-6).</li>
 * </ul>
 * Runs on the agent loop. It never changes the model while handling a batch: TriggerAction configuration is applied
 * in a task of its own.
 */
final class NotificationEngine implements ModelListener {

    /** Arguments of an event as one recipient receives them (Boot!'s ParameterMap is per controller). */
    @FunctionalInterface
    interface EventArguments {
        Map<String, String> forRecipient(ObjectNode recipient, Permissions permissions, ObjectNode node, EventDef event,
                Map<String, String> args);
    }

    private final Subscriptions subscriptions;
    private final NotifyDelivery delivery;
    private final NotifyMessages messages;
    private final Function<String, Permissions> permissions;
    private final PathResolver resolver;
    private final ObjectDef subscriptionDef;
    private final List<Subscription> matched = new ArrayList<>();
    private final Set<Subscription> matchedSet = Collections.newSetFromMap(new IdentityHashMap<>());
    private EventArguments eventArguments = (r, p, n, e, args) -> args;
    private TriggerConfig trigger;

    NotificationEngine(DataModel model, Subscriptions subscriptions, NotifyDelivery delivery, NotifyMessages messages,
            Function<String, Permissions> permissions) {
        this.subscriptions = subscriptions;
        this.delivery = delivery;
        this.messages = messages;
        this.permissions = permissions;
        this.resolver = new PathResolver(model);
        this.subscriptionDef = model.schema().object(Subscriptions.TABLE);
    }

    void setEventArguments(EventArguments eventArguments) {
        this.eventArguments = eventArguments;
    }

    void setTriggerConfig(TriggerConfig trigger) {
        this.trigger = trigger;
    }

    @Override
    public void onChanges(List<ModelChange> changes) {
        List<ObjectNode> touched = null;
        for (ModelChange c : changes) {
            ObjectNode o = c.object();
            if (o.def() == subscriptionDef) {
                if (touched == null) {
                    touched = new ArrayList<>();
                }
                touched.add(o);
                if (c instanceof ModelChange.ObjectDeleted || !o.isLive() || !o.booleanValue("Enable")) {
                    subscriptions.deactivate(o);
                }
            }
        }
        for (ModelChange c : changes) {
            if (c instanceof ModelChange.ValueChanged vc) {
                valueChanged(vc);
            } else if (c instanceof ModelChange.ObjectCreated oc) {
                rowChanged(NotifType.OBJECT_CREATION, oc.object());
            } else if (c instanceof ModelChange.ObjectDeleted od) {
                rowChanged(NotifType.OBJECT_DELETION, od.object());
            } else if (c instanceof ModelChange.EventRaised ev) {
                event(ev.object(), ev.event(), ev.args(), null);
            }
        }
        if (touched != null) {
            Set<ObjectNode> done = Collections.newSetFromMap(new IdentityHashMap<>());
            for (ObjectNode o : touched) {
                if (done.add(o)) {
                    subscriptions.refresh(o);
                }
            }
        }
    }

    // ---- per kind of change ---------------------------------------------------------------------------------------

    private void valueChanged(ModelChange.ValueChanged vc) {
        ParamDef p = vc.param();
        if (!p.isValueChangeAllowed()) {
            return;
        }
        ObjectNode node = vc.object();
        collectLeaf(NotifType.VALUE_CHANGE, node, p.name(), null);
        for (Subscription s : drain()) {
            String eid = s.recipientEndpoint();
            if (eid == null) {
                continue;
            }
            Permissions perms = permissions.apply(eid);
            if (!perms.canNotifyValue(node, p)) {
                continue;
            }
            String value = RecipientView.value(perms, node, p, vc.newValue());
            fire(s, eid, () -> messages.valueChange(s.id, s.notifRetry, vc.path(), value));
        }
    }

    private void rowChanged(NotifType type, ObjectNode row) {
        WatchIndex index = subscriptions.index(type);
        if (index.isEmpty()) {
            return;
        }
        begin();
        index.rowCandidates(row, (w, at, exact) -> consider(w, at, exact, null));
        for (Watch w : index.dynamic()) {
            considerDynamic(w, row, null, null);
        }
        for (Subscription s : drain()) {
            String eid = s.recipientEndpoint();
            if (eid == null) {
                continue;
            }
            Permissions perms = permissions.apply(eid);
            if (type == NotifType.OBJECT_CREATION) {
                if (!perms.canNotifyCreation(row)) {
                    continue;
                }
                Map<String, String> keys = readableKeys(row, perms);
                fire(s, eid, () -> messages.objectCreation(s.id, s.notifRetry, row.path(), keys));
            } else {
                if (!perms.canNotifyDeletion(row)) {
                    continue;
                }
                fire(s, eid, () -> messages.objectDeletion(s.id, s.notifRetry, row.path()));
            }
        }
    }

    /**
     * An event of {@code node}; {@code onlyRecipient} restricts it to one controller's subscriptions (Periodic! is
     * raised per controller), null means everyone subscribed.
     */
    void event(ObjectNode node, EventDef event, Map<String, String> args, ObjectNode onlyRecipient) {
        collectLeaf(NotifType.EVENT, node, event.name(), onlyRecipient);
        for (Subscription s : drain()) {
            String eid = s.recipientEndpoint();
            if (eid == null) {
                continue;
            }
            Permissions perms = permissions.apply(eid);
            if (!perms.canNotifyEvent(node, event)) {
                continue;
            }
            Map<String, String> a = eventArguments.forRecipient(s.recipient, perms, node, event, args);
            fire(s, eid, () -> messages.event(s.id, s.notifRetry, node.path(), event.name(), a));
        }
    }

    /**
     * An asynchronous command ended (OPR-3, 9.4 item 4): OperationComplete to the subscribed controllers, with the
     * output arguments, or the failure when {@code errCode} is not 0.
     */
    void operationComplete(ObjectNode node, CommandDef command, String commandKey, Map<String, String> outputArgs,
            int errCode, String errMsg) {
        collectLeaf(NotifType.OPERATION_COMPLETE, node, command.name(), null);
        for (Subscription s : drain()) {
            String eid = s.recipientEndpoint();
            if (eid == null) {
                continue;
            }
            if (!permissions.apply(eid).canNotifyCompletion(node, command)) {
                continue;
            }
            fire(s, eid, () -> messages.operationComplete(s.id, s.notifRetry, node.path(), command.name(), commandKey,
                    outputArgs, errCode, errMsg));
        }
    }

    /** Whether a subscription of {@code recipient} would report {@code event} of {@code node} (Periodic! timers). */
    boolean isSubscribed(ObjectNode recipient, ObjectNode node, EventDef event) {
        collectLeaf(NotifType.EVENT, node, event.name(), recipient);
        return !drain().isEmpty();
    }

    private void fire(Subscription s, String recipient, Supplier<UspMsg.Msg> notify) {
        if (s.sendsNotify) {
            delivery.send(recipient, notify.get(), s.notifRetry, s.notifExpiration, null);
        }
        if (s.appliesConfig && trigger != null) {
            trigger.apply(s, recipient);
        }
    }

    // ---- matching ---------------------------------------------------------------------------------------------------

    private void begin() {
        matched.clear();
        matchedSet.clear();
    }

    /** The subscriptions matched since {@link #begin()}, in the order found; the list is reused. */
    private List<Subscription> drain() {
        List<Subscription> out = matched.isEmpty() ? List.of() : new ArrayList<>(matched);
        matched.clear();
        matchedSet.clear();
        return out;
    }

    private void collectLeaf(NotifType type, ObjectNode node, String leaf, ObjectNode onlyRecipient) {
        begin();
        WatchIndex index = subscriptions.index(type);
        if (index.isEmpty()) {
            return;
        }
        index.leafCandidates(node, leaf, (w, at, exact) -> consider(w, at, exact, onlyRecipient));
        for (Watch w : index.dynamic()) {
            considerDynamic(w, node, leaf, onlyRecipient);
        }
    }

    private void consider(Watch w, ObjectNode at, boolean exact, ObjectNode onlyRecipient) {
        Subscription s = w.subscription;
        if (matchedSet.contains(s) || (onlyRecipient != null && s.recipient != onlyRecipient)) {
            return;
        }
        if (exact || w.names(at, readAccess(s))) {
            matchedSet.add(s);
            matched.add(s);
        }
    }

    /** A path following references: resolved now, as the recipient sees the tree. */
    private void considerDynamic(Watch w, ObjectNode node, String leaf, ObjectNode onlyRecipient) {
        Subscription s = w.subscription;
        if (matchedSet.contains(s) || (onlyRecipient != null && s.recipient != onlyRecipient)) {
            return;
        }
        if (w.leaf != null && !w.leaf.equals(leaf)) {
            return;
        }
        Resolution r = w.resolveNow(resolver, readAccess(s));
        if (r == null) {
            return;
        }
        boolean hit = false;
        if (w.leaf != null || leaf == null) {
            hit = r.objects().contains(node);       // a leaf of the node itself, or a row created / deleted
        } else {
            for (ObjectNode at = node; at != null && !hit; at = at.parent()) {
                hit = r.objects().contains(at);     // an object path names everything below it
            }
        }
        if (hit) {
            matchedSet.add(s);
            matched.add(s);
        }
    }

    /** Search expressions and reference following see what the recipient may read (R-NOT.0 with 13.7). */
    private ReadAccess readAccess(Subscription s) {
        String eid = s.recipientEndpoint();
        if (eid == null) {
            return RecipientView.NOTHING;
        }
        return permissions.apply(eid).readAccess();
    }

    /** All unique keys of a new row the recipient may read (like R-ADD.6), secured ones as "". */
    private static Map<String, String> readableKeys(ObjectNode row, Permissions perms) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String k : row.def().uniqueKeyParams()) {
            ParamDef p = row.def().param(k);
            if (p != null && perms.canReadParam(row, p)) {
                keys.put(k, RecipientView.value(perms, row, p, row.value(p)));
            }
        }
        return keys;
    }
}
