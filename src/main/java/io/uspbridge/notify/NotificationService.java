package io.uspbridge.notify;

import io.uspbridge.agent.AgentLifecycle;
import io.uspbridge.agent.BootCause;
import io.uspbridge.message.MessageDispatcher;
import io.uspbridge.message.OperateHandler;
import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.CommandCall;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ModelListener;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.proto.UspMsg.Request.ReqTypeCase;
import io.uspbridge.record.RecordLayer;
import io.uspbridge.security.AccessControl;
import io.uspbridge.store.StateStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * The notification layer as one piece for the application to start: subscriptions and their Notify messages
 * (ValueChange, ObjectCreation, ObjectDeletion, Event, OperationComplete), delivery with NotifRetry, Boot!,
 * Periodic!, OnBoardRequest, the Request table behind asynchronous Operate, and the agent's own commands
 * ({@code Reboot()}, {@code FactoryReset()}, {@code ScheduleTimer()}, {@code SendOnBoardRequest()},
 * {@code Request.{i}.Cancel()}).
 *
 * <p>Start-up, in this order (ARCHITECTURE.md: one agent loop owns the model):
 * <pre>{@code
 * NotifySchema notifySchema = new NotifySchema();
 * Schema schema = AgentSchema.build(List.of(notifySchema, ...));       // before the model exists
 * ... model, loop, store restore + attach, access control, dispatcher, record layer, config seeding ...
 * NotificationService notify = new NotificationService(notifySchema, model, loop, records, access, store,
 *         lifecycle, NotifySettings.defaults());
 * notify.register(dispatcher);                                          // Operate, NotifyResp / Error matching
 * loop.submit(() -> { notify.start(); return null; });                  // on the loop, before the MTPs start
 * ... start the MTPs: each one that comes up calls records.onChannelUp(channel) on the loop ...
 * }</pre>
 * {@link #close()} (on the loop) before the agent restarts: timers stop, pending Notifies are dropped (R-NOT.4).
 */
public final class NotificationService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NotificationService.class.getName());

    private final NotifySchema schema;
    private final DataModel model;
    private final AgentLifecycle lifecycle;
    private final NotifySettings settings;
    private final Subscriptions subscriptions;
    private final NotifyDelivery delivery;
    private final NotificationEngine engine;
    private final BootEvent boot;
    private final Onboarding onboarding;
    private final PeriodicEvents periodic;
    private final RequestTable requests;
    private final ScheduleTimers timers;
    private final OperateHandler operate;
    private final ModelListener controllerWatch;
    private final ObjectDef subscriptionDef;
    private final ObjectDef controllerDef;
    private boolean started;
    private boolean closed;

    public NotificationService(NotifySchema schema, DataModel model, AgentLoop loop, RecordLayer records,
            AccessControl access, StateStore store, AgentLifecycle lifecycle, NotifySettings settings) {
        this.schema = schema;
        this.model = model;
        this.lifecycle = lifecycle;
        this.settings = settings;
        Clock clock = settings.clock();
        NotifyMessages messages = new NotifyMessages();
        this.subscriptions = new Subscriptions(model, loop, clock);
        this.delivery = new NotifyDelivery(loop, records::sendToController, eid -> retryParameters(access, eid),
                new RetryPolicy(settings.random()), clock, settings.maxQueuedPerController());
        this.engine = new NotificationEngine(model, subscriptions, delivery, messages, access::forController);
        this.boot = new BootEvent(model);
        engine.setEventArguments(boot);
        engine.setTriggerConfig(new TriggerConfig(model, loop, access::forController));
        this.onboarding = new Onboarding(model, loop, delivery, messages, settings.supportedProtocolVersions());
        this.periodic = new PeriodicEvents(model, loop, clock, engine);
        this.requests = new RequestTable(model, loop, engine);
        this.timers = new ScheduleTimers(store, loop, clock);
        this.operate = new OperateHandler(model, loop, requests, settings.syncCommandTimeout());
        this.subscriptionDef = model.schema().object(NotifySchema.SUBSCRIPTION);
        this.controllerDef = model.schema().object(NotifySchema.CONTROLLER);
        this.controllerWatch = this::controllerChanges;
        schema.bind(this);
        // After the MQTT Connect Records: what waited for a link (a Boot!, retries) goes out.
        records.addChannelUpListener(channel -> {
            if (!closed) {
                delivery.flush();
            }
        });
    }

    /** Puts Operate on the dispatcher and gives it the NotifyResp / Error replies to match (NOT-3). */
    public void register(MessageDispatcher dispatcher) {
        dispatcher.register(ReqTypeCase.OPERATE, operate);
        dispatcher.setNotifyResponses(delivery);
    }

    /**
     * Starts on the agent loop, after the persisted state was restored and before any MTP is up: removes the
     * subscriptions that are not Persistent (the store restores every row of the table; removing them before
     * anything is notified is simpler than keeping them out of the store and follows a Persistent flag changed at
     * run time for free), puts the others in force, raises Boot!, resumes pending ScheduleTimer() commands and
     * starts onboarding and Periodic! schedules.
     */
    public void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        List<ObjectNode> transient_ = subscriptions.nonPersistentRows();
        if (!transient_.isEmpty()) {
            model.update(tx -> transient_.forEach(tx::delete));
            LOG.info(() -> transient_.size() + " subscriptions that were not Persistent were removed at start-up");
        }
        subscriptions.loadAll();
        model.addListener(engine);
        model.addListener(controllerWatch);
        BootCause cause = lifecycle.bootCause();
        boot.raise(cause == null ? BootCause.localReboot() : cause);
        timers.resume(model, requests);
        onboarding.start();
        periodic.refresh();
        LOG.info(() -> "notifications started: " + subscriptions.active().size() + " subscriptions in force");
    }

    private void controllerChanges(List<ModelChange> changes) {
        onboarding.onChanges(changes);
        for (ModelChange c : changes) {
            ObjectDef d = c.object().def();
            if (d == subscriptionDef || d == controllerDef) {
                periodic.refresh();
                return;
            }
        }
    }

    // ---- the agent's own commands -----------------------------------------------------------------------------

    /** {@code Device.Reboot()}: the application restarts the agent once the response went out; Boot! follows. */
    CompletionStage<Map<String, String>> reboot(CommandCall call) {
        lifecycle.restart(new BootCause(call.arg("Cause"), call.arg("Reason"), call.commandKey(), false));
        return CompletableFuture.completedFuture(Map.of());
    }

    /** {@code Device.FactoryReset()}: back to the configured defaults, then a restart. */
    CompletionStage<Map<String, String>> factoryReset(CommandCall call) {
        lifecycle.factoryReset(new BootCause(call.arg("Cause"), call.arg("Reason"), call.commandKey(), false));
        return CompletableFuture.completedFuture(Map.of());
    }

    CompletionStage<Map<String, String>> scheduleTimer(CommandCall call) {
        return timers.start(call);
    }

    /** {@code SendOnBoardRequest()}: sets OnBoardingComplete=false and sends an OnBoardRequest (R-NOT.5). */
    CompletionStage<Map<String, String>> sendOnBoardRequest(CommandCall call) {
        ObjectNode controller = call.object();
        if (!controller.booleanValue("Enable")) {
            throw new ModelException(ErrorCode.COMMAND_FAILURE, controller.path() + " is disabled: the agent sends"
                    + " nothing to it");
        }
        if (controller.booleanValue("OnBoardingComplete")) {
            model.set(controller, "OnBoardingComplete", "false");   // the change starts onboarding
        } else {
            onboarding.sendNow(controller);
        }
        return CompletableFuture.completedFuture(Map.of());
    }

    void cancelRequest(ObjectNode request) {
        requests.cancel(request);
    }

    // ---- what the schema's rules ask -----------------------------------------------------------------------------

    String committedReferenceList(ObjectNode row) {
        return subscriptions.committedReferenceList(row);
    }

    Clock clock() {
        return settings.clock();
    }

    private static RetryPolicy.Parameters retryParameters(AccessControl access, String endpointId) {
        ObjectNode row = access.controllerRow(endpointId);
        if (row == null) {
            return RetryPolicy.Parameters.DEFAULTS;
        }
        return new RetryPolicy.Parameters(Long.parseLong(row.value("USPNotifRetryMinimumWaitInterval")),
                Long.parseLong(row.value("USPNotifRetryIntervalMultiplier")));
    }

    // ---- diagnostics ------------------------------------------------------------------------------------------------

    /** Notifies sent with send_resp=true and not yet answered, plus those waiting for a link. */
    public int pendingNotifies() {
        return delivery.pending();
    }

    /** Notifies waiting for a link to their controller. */
    public int notifiesWaitingForLink() {
        return delivery.waitingForLink();
    }

    /** Subscriptions in force (enabled and valid). */
    public int subscriptionsInForce() {
        return subscriptions.active().size();
    }

    /** Asynchronous commands running. */
    public int runningRequests() {
        return requests.size();
    }

    /** Stops on the agent loop: listeners removed, timers stopped, pending Notifies dropped (R-NOT.4). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        model.removeListener(engine);
        model.removeListener(controllerWatch);
        delivery.close();
        subscriptions.close();
        onboarding.close();
        periodic.close();
        requests.close();
        timers.close();
    }
}
