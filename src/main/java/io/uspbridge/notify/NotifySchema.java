package io.uspbridge.notify;

import io.uspbridge.model.CommandCall;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.RowLifecycle;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.model.Table;
import io.uspbridge.model.Transaction;
import io.uspbridge.model.ValueType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The behaviour the notification layer attaches to the standard objects (AgentSchema features):
 *
 * <ul>
 * <li>{@code Subscription.{i}}: {@code Recipient} is the creating controller's row (a strong reference: deleting that
 * Controller deletes its subscriptions, TP-469 1.78), {@code CreationDate} is set at creation, an absent {@code ID}
 * is generated; both kept across restarts with the row. {@code NotifType} is required (a row without it is refused
 * with 7012: "" is no valid NotifType); each ReferenceList entry must suit the NotifType (7012); and
 * {@code ReferenceList} is immutable once non-empty (the DM: "the value cannot be changed as the object instance is
 * considered to be immutable") — a change is refused with 7013, the code TR-369 gives to writes of parameters that
 * are not writable, as for a written writeOnceReadOnly parameter (MSG-10).</li>
 * <li>{@code Device.Reboot()}, {@code Device.FactoryReset()}, {@code Device.ScheduleTimer()},
 * {@code Controller.{i}.SendOnBoardRequest()} and {@code Request.{i}.Cancel()}.</li>
 * </ul>
 * The schema is built before the model and the services exist, so the handlers reach the {@link NotificationService}
 * bound later; until then they fail with 7003.
 */
public final class NotifySchema implements SchemaContributor {
    static final String SUBSCRIPTION = "Device.LocalAgent.Subscription.{i}.";
    static final String CONTROLLER = "Device.LocalAgent.Controller.{i}.";

    private volatile NotificationService service;

    void bind(NotificationService s) {
        this.service = s;
    }

    private NotificationService service() {
        NotificationService s = service;
        if (s == null) {
            throw new ModelException(ErrorCode.INTERNAL_ERROR, "the notification service is not running");
        }
        return s;
    }

    @Override
    public void contribute(SchemaBuilder schema) {
        SchemaBuilder.ObjectBuilder sub = schema.table(SUBSCRIPTION);
        // The DM asks the agent to generate an ID the controller did not give; "cpe-" like Alias values.
        sub.param("ID").generatedBy(row -> "cpe-" + row.instance());
        // Agent-written, read-only parameters are not kept by default; these two must survive with the row.
        sub.param("Recipient").persisted(true);
        sub.param("CreationDate").persisted(true);
        sub.lifecycle(new SubscriptionRules());

        schema.table(CONTROLLER).lifecycle(new RowLifecycle() {
            @Override
            public void onDelete(ObjectNode controller, Transaction tx) {
                deleteSubscriptionsOf(controller, tx);
            }
        });
        schema.table(CONTROLLER).command("SendOnBoardRequest()")
                .handler(call -> service().sendOnBoardRequest(call));

        schema.object("Device.").command("Reboot()").handler(call -> service().reboot(call));
        schema.object("Device.").command("FactoryReset()").handler(call -> service().factoryReset(call));
        schema.object("Device.").command("ScheduleTimer()").handler(call -> service().scheduleTimer(call));

        schema.table("Device.LocalAgent.Request.{i}.").command("Cancel()").handler(this::cancel);
    }

    private CompletionStage<Map<String, String>> cancel(CommandCall call) {
        service().cancelRequest(call.object());
        return CompletableFuture.completedFuture(Map.of());
    }

    /** TP-469 1.78: the subscriptions of a deleted Controller go with it (Recipient is a strong reference). */
    private static void deleteSubscriptionsOf(ObjectNode controller, Transaction tx) {
        Table t = tx.model().findTable(Subscriptions.TABLE);
        if (t == null) {
            return;
        }
        String ref = controller.referencePath();
        List<ObjectNode> doomed = new ArrayList<>();
        for (ObjectNode s : t.rows()) {
            if (ref.equals(s.value("Recipient"))) {
                doomed.add(s);
            }
        }
        doomed.forEach(tx::delete);
    }

    private Clock clock() {
        NotificationService s = service;
        return s != null ? s.clock() : Clock.systemUTC();
    }

    /** The rules of Subscription rows (see the class comment). */
    private final class SubscriptionRules implements RowLifecycle {
        @Override
        public void onCreate(ObjectNode row, Transaction tx) {
            String originator = tx.originator();
            if (originator != null) {
                ObjectNode controller = controllerRow(tx, originator);
                if (controller == null) {
                    throw new ModelException(ErrorCode.PERMISSION_DENIED, originator + " has no Controller row, so"
                            + " it cannot own a subscription (Recipient must name it)");
                }
                tx.set(row, "Recipient", controller.referencePath());
            }
            tx.set(row, "CreationDate", Instant.now(clock()).truncatedTo(ChronoUnit.SECONDS).toString());
        }

        @Override
        public void validate(ObjectNode row, Transaction tx) {
            if (!row.isRow()) {
                return;
            }
            if (!tx.isCreatedHere(row)) {
                NotificationService s = service;
                String committed = s == null ? null : s.committedReferenceList(row);
                if (committed != null && !committed.isEmpty() && !committed.equals(row.value("ReferenceList"))) {
                    throw new ModelException(ErrorCode.NOT_WRITABLE, row.path() + "ReferenceList cannot change once"
                            + " set (delete the subscription and create a new one)");
                }
            }
            NotifType type = NotifType.of(row.value("NotifType"));
            if (type == null) {
                throw new ModelException(ErrorCode.INVALID_VALUE, row.path() + "NotifType is required ("
                        + "ValueChange, ObjectCreation, ObjectDeletion, OperationComplete or Event)");
            }
            for (String ref : ValueType.splitList(row.value("ReferenceList"))) {
                if (!ref.isEmpty()) {
                    Watch.compile(tx.model(), type, ref, null);
                }
            }
            for (String setting : ValueType.splitList(row.value("TriggerConfigSettings"))) {
                try {
                    TriggerConfig.parse(setting);
                } catch (IllegalArgumentException e) {
                    throw new ModelException(ErrorCode.INVALID_VALUE, row.path() + "TriggerConfigSettings: "
                            + e.getMessage());
                }
            }
        }
    }

    /** The row of the controller with this Endpoint ID, preferring an enabled one (as AccessControl does). */
    private static ObjectNode controllerRow(Transaction tx, String endpointId) {
        Table t = tx.model().findTable(Onboarding.CONTROLLERS);
        ObjectNode disabled = null;
        if (t != null) {
            for (ObjectNode c : t.rows()) {
                if (endpointId.equals(c.value("EndpointID"))) {
                    if (c.booleanValue("Enable")) {
                        return c;
                    }
                    disabled = c;
                }
            }
        }
        return disabled;
    }
}
