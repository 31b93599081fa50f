package io.uspbridge.notify;

import io.uspbridge.message.AsyncCommands;
import io.uspbridge.message.OperateHandler;
import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.CommandCall;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.CommandHandler;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code Device.LocalAgent.Request.{i}}: one row per running asynchronous command (OPR-3, R-OPR.0/2).
 *
 * <pre>
 *   Operate ─► row created, Status=Requested ─► OperateResp (req_obj_path) ─► Status=Active, handler runs
 *      handler completes ─► Status=Success / Error ─► OperationComplete to subscribers ─► row deleted
 *      Cancel()           ─► Status=Canceling, handler's cancellation signal ─► next loop turn: Status=Canceled
 *                            ─► OperationComplete with cmd_failure 7023 ─► row deleted (a late result is ignored)
 * </pre>
 *
 * <p>Concurrency (OPR-7): invocations run in parallel, each behind its own row. The row's functional key
 * {Originator, Command, CommandKey} cannot be duplicated, so the same controller starting the same command with the
 * same command_key while the first still runs is refused with 7005; a command that cannot run twice at once refuses
 * in its own handler. Nothing cancels a running command except {@code Cancel()}.
 *
 * <p>Rows are not kept across restarts (the table is agent-managed): a command that was running simply ends with
 * the agent (OPR-8), except those whose handler resumes them ({@code ScheduleTimer()}, see {@link #resume}).
 * Runs on the agent loop.
 */
final class RequestTable implements AsyncCommands {
    private static final Logger LOG = Logger.getLogger(RequestTable.class.getName());
    static final String PARENT = "Device.LocalAgent.";

    /** One running invocation. */
    private static final class Running {
        final ObjectNode object;
        final CommandDef command;
        final String commandKey;
        final CompletableFuture<Void> cancellation = new CompletableFuture<>();
        boolean finished;

        Running(ObjectNode object, CommandDef command, String commandKey) {
            this.object = object;
            this.command = command;
            this.commandKey = commandKey;
        }
    }

    private final DataModel model;
    private final AgentLoop loop;
    private final NotificationEngine engine;
    private final Map<ObjectNode, Running> running = new IdentityHashMap<>();

    RequestTable(DataModel model, AgentLoop loop, NotificationEngine engine) {
        this.model = model;
        this.loop = loop;
        this.engine = engine;
    }

    @Override
    public String start(ObjectNode object, CommandDef command, Map<String, String> inputArgs, String commandKey,
            String originator, CommandHandler handler) {
        ObjectNode row = createRow(object, command, commandKey, originator, "Requested");
        Running r = new Running(object, command, commandKey);
        running.put(row, r);
        // After this loop turn: the OperateResp with req_obj_path goes out first, then the command starts, so an
        // OperationComplete can never overtake the response.
        loop.execute(() -> run(row, r, new CommandCall(object, command, Map.copyOf(inputArgs), commandKey, originator,
                r.cancellation), handler));
        return row.path();
    }

    /**
     * Re-creates the row of an invocation that survives restarts ({@code ScheduleTimer()}, OPR-8) and runs its
     * handler at once (it knows how to continue).
     *
     * @return false when the row could not be created (nothing runs)
     */
    boolean resume(ObjectNode object, CommandDef command, Map<String, String> inputArgs, String commandKey,
            String originator, CommandHandler handler) {
        ObjectNode row;
        try {
            row = createRow(object, command, commandKey, originator, "Active");
        } catch (ModelException e) {
            LOG.warning("could not resume " + object.path() + command.name() + " for " + originator + ": "
                    + e.getMessage());
            return false;
        }
        Running r = new Running(object, command, commandKey);
        running.put(row, r);
        run(row, r, new CommandCall(object, command, Map.copyOf(inputArgs), commandKey, originator, r.cancellation),
                handler);
        return true;
    }

    private ObjectNode createRow(ObjectNode object, CommandDef command, String commandKey, String originator,
            String status) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Originator", originator == null ? "" : originator);
        values.put("Command", object.path() + command.name());
        values.put("CommandKey", commandKey);
        values.put("Status", status);
        try {
            return model.addRow(model.find(PARENT), "Request", values);
        } catch (ModelException e) {
            if (e.error() == ErrorCode.DUPLICATE_KEY) {
                throw new ModelException(ErrorCode.RESOURCES_EXCEEDED, object.path() + command.name()
                        + " is already running for " + originator + " with command_key '" + commandKey
                        + "'; use another command_key or wait for it to end");
            }
            throw e;
        }
    }

    private void run(ObjectNode row, Running r, CommandCall call, CommandHandler handler) {
        if (r.finished || !row.isLive()) {
            return;
        }
        if (!"Active".equals(row.value("Status"))) {
            model.set(row, "Status", "Active");
        }
        CompletionStage<Map<String, String>> stage;
        try {
            stage = handler.invoke(call);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        // A device's acknowledgement arrives on its own thread: the row is finished on the loop.
        stage.whenComplete((out, failure) -> loop.run(() -> {
            if (failure == null) {
                finish(row, r, "Success", out == null ? Map.of() : out, 0, "");
            } else {
                Throwable f = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                ErrorCode code;
                String msg;
                if (f instanceof ModelException e) {
                    code = OperateHandler.commandFailureCode(e.error());
                    msg = code == e.error() ? e.getMessage() : e.getMessage() + " (" + e.code() + ")";
                } else {
                    LOG.log(Level.SEVERE, r.object.path() + r.command.name() + " failed unexpectedly", f);
                    code = ErrorCode.INTERNAL_ERROR;
                    msg = r.object.path() + r.command.name() + " failed inside the agent";
                }
                finish(row, r, "Error", Map.of(), code.code(), msg);
            }
        }));
    }

    /** {@code Request.{i}.Cancel()}: returns at once; the command ends as Canceled on the next loop turn. */
    void cancel(ObjectNode row) {
        Running r = running.get(row);
        if (r == null || r.finished) {
            throw new ModelException(ErrorCode.COMMAND_FAILURE, row.path() + " has no running command to cancel");
        }
        if (!"Canceling".equals(row.value("Status"))) {
            model.set(row, "Status", "Canceling");
            r.cancellation.complete(null);     // a handler that can stop does so now
            loop.execute(() -> finish(row, r, "Canceled", Map.of(), ErrorCode.COMMAND_CANCELED.code(),
                    r.object.path() + r.command.name() + " was canceled"));
        }
    }

    private void finish(ObjectNode row, Running r, String status, Map<String, String> out, int errCode,
            String errMsg) {
        if (r.finished) {
            return;
        }
        r.finished = true;
        running.remove(row);
        if (row.isLive()) {
            model.set(row, "Status", status);
        }
        engine.operationComplete(r.object, r.command, r.commandKey, out, errCode, errMsg);
        if (row.isLive()) {
            model.delete(row);
        }
    }

    /** Running invocations (diagnostics, tests). */
    int size() {
        return running.size();
    }

    /**
     * The agent stops: running commands end with it (their rows are not kept). Their cancellation signal is not
     * raised: a stop is not a Cancel(), and a command that survives restarts must not forget itself.
     */
    void close() {
        running.values().forEach(r -> r.finished = true);
        running.clear();
    }
}
