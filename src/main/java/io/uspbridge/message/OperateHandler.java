package io.uspbridge.message;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.ArgDef;
import io.uspbridge.model.CommandCall;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.CommandHandler;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Schema;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.OperateResp.OperationResult;
import io.uspbridge.security.Permissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Operate (6.8). The command path may be a search path: one {@code OperationResult} per matched object, with the
 * instance-number command path as {@code executed_command} (OPR-1).
 *
 * <ul>
 * <li>The message itself fails with an Error only when it cannot be processed: bad syntax (7008), a path outside the
 * supported model or not naming a command (7026), an instance path naming no object (7016), too many matches (7005).
 * Everything that goes wrong with one object's command is its {@code cmd_failure} (OPR-6, R-OPR.1).</li>
 * <li>Permissions: objects the controller may not read are absent; without CommandEvent {@code x} the result is
 * {@code cmd_failure} 7006 — the USP 1.4 behaviour TP-469 2.18 expects (digest section 17).</li>
 * <li>Arguments: a missing mandatory input or a value its type rejects is {@code cmd_failure} 7027 and the command
 * does not run (R-OPR.5); unknown inputs are ignored (R-OPR.6); omitted optional inputs take their declared defaults
 * (R-OPR.7).</li>
 * <li>Synchronous commands answer with their output arguments, or their failure; one that does not finish within
 * the configured time is reported as failed (7022) rather than holding the controller's request forever.</li>
 * <li>Asynchronous commands go to {@link AsyncCommands}, which creates the Request row whose path is the answer
 * (OPR-3) and reports the end through OperationComplete.</li>
 * <li>{@code send_resp=false}: the commands run and no OperateResp is sent (R-OPR.4).</li>
 * </ul>
 * A command whose object has an {@link io.uspbridge.model.ObjectOwner} supplying a handler (a proxied device) runs
 * through that owner; otherwise the handler declared with the schema runs; a command with neither fails with 7022.
 */
public final class OperateHandler implements RequestHandler {
    private static final Logger LOG = Logger.getLogger(OperateHandler.class.getName());

    /** Most objects one Operate may run its command on (a search path can match many). */
    static final int MAX_TARGETS = 1024;

    private final PathResolver resolver;
    private final AgentLoop loop;
    private final AsyncCommands async;
    private final Duration syncTimeout;

    /**
     * @param syncTimeout how long a synchronous command may take before its result is reported as a failure
     */
    public OperateHandler(DataModel model, AgentLoop loop, AsyncCommands async, Duration syncTimeout) {
        this.resolver = new PathResolver(model);
        this.loop = loop;
        this.async = async;
        this.syncTimeout = syncTimeout;
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        UspMsg.Operate op = request.getOperate();
        Resolution res = resolver.resolve(op.getCommand(), ctx.permissions().readAccess());
        if (res.kind() != PathKind.COMMAND) {
            throw new UspErrorException(ErrorCode.INVALID_PATH, "Operate needs a command path (ending in 'Name()'); '"
                    + excerpt(op.getCommand()) + "' names a " + res.kind().name().toLowerCase());
        }
        if (res.isEmpty() && !res.search()) {
            throw new UspErrorException(ErrorCode.OBJECT_DOES_NOT_EXIST, "no object has the command "
                    + excerpt(op.getCommand()));
        }
        if (res.objects().size() > MAX_TARGETS) {
            throw new UspErrorException(ErrorCode.RESOURCES_EXCEEDED, "the command path matches "
                    + res.objects().size() + " objects; this agent runs one Operate on at most " + MAX_TARGETS);
        }
        List<CompletableFuture<OperationResult>> results = new ArrayList<>(res.objects().size());
        for (ObjectNode node : res.objects()) {
            CommandDef cmd = node.def().command(res.leafName());
            results.add(operate(node, cmd, op, ctx));
        }
        return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            if (!op.getSendResp()) {
                return null;     // R-OPR.4: the commands ran; nothing is answered
            }
            UspMsg.OperateResp.Builder resp = UspMsg.OperateResp.newBuilder();
            for (CompletableFuture<OperationResult> r : results) {
                resp.addOperationResults(r.join());
            }
            return UspMsg.Response.newBuilder().setOperateResp(resp).build();
        });
    }

    private CompletableFuture<OperationResult> operate(ObjectNode node, CommandDef cmd, UspMsg.Operate op,
            RequestContext ctx) {
        String executed = node.path() + cmd.name();
        if (!ctx.permissions().canOperate(node, cmd)) {
            return failed(executed, ErrorCode.PERMISSION_DENIED, "no permission to operate " + executed);
        }
        Map<String, String> args;
        try {
            args = inputArgs(cmd, op.getInputArgsMap());
        } catch (ModelException e) {
            return failed(executed, e.error(), e.getMessage());
        }
        CommandHandler handler = handlerFor(node, cmd);
        if (handler == null) {
            return failed(executed, ErrorCode.COMMAND_FAILURE, executed + " is not implemented by this agent");
        }
        if (cmd.isAsync()) {
            try {
                String request = async.start(node, cmd, args, op.getCommandKey(), ctx.controller(), handler);
                return CompletableFuture.completedFuture(
                        OperationResult.newBuilder().setExecutedCommand(executed).setReqObjPath(request).build());
            } catch (ModelException e) {
                return failed(executed, e.error(), e.getMessage());
            }
        }
        return runSync(node, cmd, args, op.getCommandKey(), ctx.controller(), handler, executed);
    }

    private CompletableFuture<OperationResult> runSync(ObjectNode node, CommandDef cmd, Map<String, String> args,
            String commandKey, String originator, CommandHandler handler, String executed) {
        CommandCall call = new CommandCall(node, cmd, args, commandKey, originator, new CompletableFuture<>());
        CompletionStage<Map<String, String>> stage;
        try {
            stage = handler.invoke(call);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<OperationResult> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout = loop.schedule(() -> result.complete(failure(executed, ErrorCode.COMMAND_FAILURE,
                executed + " did not complete within " + syncTimeout.toSeconds() + " s")),
                syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        // The handler may finish on a device's thread: the response is built on the loop, which owns the model.
        stage.whenComplete((out, failure) -> loop.run(() -> {
            timeout.cancel(false);
            result.complete(failure == null ? success(executed, out) : failureOf(executed, failure));
        }));
        return result;
    }

    /** The owner's handler for a proxied device's command, else the one declared with the schema. */
    static CommandHandler handlerFor(ObjectNode node, CommandDef cmd) {
        CommandHandler h = node.owner() != null ? node.owner().commandHandler(node, cmd) : null;
        return h != null ? h : cmd.handler();
    }

    /**
     * The command's input arguments as the handler gets them: declared ones validated and canonical, defaults for
     * omitted optional ones, unknown ones dropped (R-OPR.5–7). Multi-instance arguments ({@code TimeWindow.{i}.Start})
     * are matched by their supported form; a mandatory one is required for every instance the controller gave.
     *
     * @throws ModelException 7027 for a missing mandatory argument or an invalid value
     */
    static Map<String, String> inputArgs(CommandDef cmd, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, ArgDef> multi = new LinkedHashMap<>();
        for (ArgDef a : cmd.inputArgs()) {
            if (a.name().contains("{i}")) {
                multi.put(a.name(), a);
                continue;
            }
            String v = given.get(a.name());
            if (v == null) {
                if (a.mandatory()) {
                    throw new ModelException(ErrorCode.INVALID_COMMAND_ARGUMENTS, "the mandatory input argument '"
                            + a.name() + "' of " + cmd.name() + " is missing");
                }
                if (a.defaultValue() != null) {
                    out.put(a.name(), a.defaultValue());
                }
                continue;
            }
            out.put(a.name(), canonical(cmd, a, a.name(), v));
        }
        if (multi.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            ArgDef a = multi.get(Schema.supportedPathOf(e.getKey()));
            if (a != null) {
                out.put(e.getKey(), canonical(cmd, a, e.getKey(), e.getValue()));
            }
        }
        for (ArgDef a : multi.values()) {
            if (!a.mandatory()) {
                continue;
            }
            int cut = a.name().lastIndexOf("{i}.") + 4;
            String base = a.name().substring(0, cut);
            String leaf = a.name().substring(cut);
            int depth = base.split("\\.").length;
            for (String key : given.keySet()) {
                if (!Schema.supportedPathOf(key).startsWith(base)) {
                    continue;
                }
                String[] parts = key.split("\\.");
                String instance = String.join(".", java.util.Arrays.copyOf(parts, depth)) + ".";
                if (!given.containsKey(instance + leaf)) {
                    throw new ModelException(ErrorCode.INVALID_COMMAND_ARGUMENTS, "the mandatory input argument '"
                            + instance + leaf + "' of " + cmd.name() + " is missing");
                }
            }
        }
        return out;
    }

    private static String canonical(CommandDef cmd, ArgDef a, String name, String value) {
        try {
            return a.type().canonical(value);
        } catch (ModelException e) {
            throw new ModelException(ErrorCode.INVALID_COMMAND_ARGUMENTS, "the input argument '" + name + "' of "
                    + cmd.name() + " is invalid: " + e.getMessage());
        }
    }

    private static OperationResult success(String executed, Map<String, String> out) {
        return OperationResult.newBuilder().setExecutedCommand(executed)
                .setReqOutputArgs(OperationResult.OutputArgs.newBuilder().putAllOutputArgs(out == null ? Map.of() : out))
                .build();
    }

    private static OperationResult failureOf(String executed, Throwable failure) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (f instanceof ModelException e) {
            return failure(executed, e.error(), e.getMessage());
        }
        LOG.log(Level.SEVERE, executed + " failed unexpectedly", f);
        return failure(executed, ErrorCode.INTERNAL_ERROR, executed + " failed inside the agent");
    }

    private static CompletableFuture<OperationResult> failed(String executed, ErrorCode code, String message) {
        return CompletableFuture.completedFuture(failure(executed, code, message));
    }

    static OperationResult failure(String executed, ErrorCode code, String message) {
        ErrorCode c = commandFailureCode(code);
        String m = c == code ? message : message + " (" + code.code() + ")";
        return OperationResult.newBuilder().setExecutedCommand(executed)
                .setCmdFailure(OperationResult.CommandFailure.newBuilder().setErrCode(c.code()).setErrMsg(m)).build();
    }

    /**
     * The codes a {@code cmd_failure} may carry (6.8 item 9: 7000–7008, 7016, 7022, 7023, 7026, 7027); a handler's
     * other data-model code (a 7012 from a device, say) is reported as 7022 with the original in the text.
     */
    public static ErrorCode commandFailureCode(ErrorCode code) {
        int c = code.code();
        boolean allowed = (c >= 7000 && c <= 7008) || c == 7016 || c == 7022 || c == 7023 || c == 7026 || c == 7027
                || (c >= 7800 && c <= 7999);
        return allowed ? code : ErrorCode.COMMAND_FAILURE;
    }

    private static String excerpt(String s) {
        return s.length() <= 120 ? s : s.substring(0, 100) + "…(" + s.length() + " characters)";
    }
}
