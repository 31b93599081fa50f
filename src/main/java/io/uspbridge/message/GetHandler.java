package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.security.Permissions;
import io.uspbridge.wire.OutgoingMsg;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Get (6.1): one RequestedPathResult per requested path, each evaluated on its own (GET-1); for an object, instance
 * or search path one ResolvedPathResult per object and sub-object instance with parameter names relative to it
 * (GET-2, USP ≥ 1.2), limited by {@code max_depth} (GET-4, R-GET.5); for a parameter path the holder with only that
 * parameter (GET-3). Failures stay in the path's result (GET-5): never an Error message for a bad path. The answer is
 * encoded while the model is walked ({@link GetRespWriter}), never built as GetResp objects.
 */
final class GetHandler implements RequestHandler {
    private static final Logger LOG = Logger.getLogger(GetHandler.class.getName());

    private final PathResolver resolver;
    private final MessageSettings settings;

    GetHandler(PathResolver resolver, MessageSettings settings) {
        this.resolver = resolver;
        this.settings = settings;
    }

    /** The Response alone, parsed back from the encoded answer (for callers that want objects, not bytes). */
    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        return answer(request, ctx).thenApply(m -> m.parse().getBody().getResponse());
    }

    @Override
    public CompletionStage<OutgoingMsg> answer(UspMsg.Request request, RequestContext ctx) {
        UspMsg.Get get = request.getGet();
        settings.checkPaths(get.getParamPathsCount(), "Get", "param_paths");
        // max_depth is fixed32: read it unsigned; 0 means the whole tree.
        long depth = Integer.toUnsignedLong(get.getMaxDepth());
        int maxDepth = depth > Integer.MAX_VALUE ? 0 : (int) depth;
        ResponseBudget budget = new ResponseBudget(settings.maxResultParams());
        GetRespWriter out = new GetRespWriter();
        for (String path : get.getParamPathsList()) {
            result(path, maxDepth, ctx.permissions(), budget, out);
        }
        return CompletableFuture.completedFuture(out.finish(ctx.msgId()));
    }

    private void result(String path, int maxDepth, Permissions perms, ResponseBudget budget, GetRespWriter out) {
        if (budget.exhausted()) {
            out.pathFailed(path, ErrorCode.RESOURCES_EXCEEDED, budget.message());
            return;
        }
        Resolution res;
        try {
            res = resolver.resolve(path, perms);
        } catch (ModelException e) {
            out.pathFailed(path, e.error(), e.getMessage());
            return;
        }
        int mark = budget.mark();
        int written = out.mark();
        try {
            switch (res.kind()) {
                case PARAMETER -> parameter(res, perms, budget, out);
                case OBJECT -> {
                    for (ObjectNode n : res.objects()) {
                        object(n, 1, maxDepth, perms, budget, out);
                    }
                }
                default -> {
                    out.pathFailed(path, ErrorCode.INVALID_PATH, "Get reads objects and parameters; "
                            + Texts.excerpt(path) + " names a " + res.kind().name().toLowerCase());
                    return;
                }
            }
        } catch (ResponseBudget.Exceeded e) {
            budget.fail(mark);       // what this path produced is dropped with it
            out.drop(written);
            out.pathFailed(path, ErrorCode.RESOURCES_EXCEEDED, budget.message());
            return;
        } catch (ValueFailure e) {
            budget.giveBack(mark);
            out.drop(written);
            out.pathFailed(path, ErrorCode.INTERNAL_ERROR, e.getMessage());
            return;
        }
        if (out.mark() == written && !res.search() && !exists(res)) {
            // R-GET.0: a path that is not a search names something that does not exist (or cannot be read, R-GET.1)
            out.pathFailed(path, ErrorCode.INVALID_PATH, Texts.excerpt(path) + " does not exist");
            return;
        }
        out.pathDone(path, written);
    }

    /** A non-search object path with no results still exists when it is a table (TP-469 1.87) or an empty object. */
    private static boolean exists(Resolution res) {
        return res.kind() == PathKind.OBJECT && (!res.objects().isEmpty() || !res.tables().isEmpty());
    }

    private static void parameter(Resolution res, Permissions perms, ResponseBudget budget, GetRespWriter out) {
        String name = res.leafName();
        for (ObjectNode n : res.objects()) {
            ParamDef p = n.def().param(name);
            if (p == null || !perms.canReadParam(n, p)) {
                continue;           // R-GET.1: unreadable parameters do not exist for this controller
            }
            budget.take(1);
            out.beginObject(n.path());
            out.param(name, read(perms, n, p));
            out.endObject();
        }
    }

    /**
     * The object's readable parameters, then its readable sub-objects, in tree order (GET-2, GET-4). Each value is
     * read once and written at once: nothing of the object is kept once its result is encoded.
     */
    private static void object(ObjectNode n, int level, int maxDepth, Permissions perms, ResponseBudget budget,
            GetRespWriter out) {
        List<ParamDef> params = n.def().params();
        budget.take(params.size());
        if (!params.isEmpty()) {    // R-GET.1b: an object without parameters yields no result of its own
            // A kept result exists only where one may be kept, so the check of that is left to a miss.
            byte[] kept = KeptResult.of(n, perms);
            if (kept != null) {
                out.appendEncoded(kept);
            } else {
                boolean keepable = KeptResult.allowed(n, perms);
                out.beginObject(n.path());
                for (ParamDef p : params) {
                    if (perms.canReadParam(n, p)) {  // R-GET.4: omitted, which may leave the map empty
                        out.param(p.name(), read(perms, n, p));
                    }
                }
                byte[] encoded = out.endObject(keepable);
                if (keepable) {
                    n.memo(new KeptResult(perms, encoded));
                }
            }
        }
        if (maxDepth != 0 && level >= maxDepth) {
            return;
        }
        // A table row counts as one level, like the example of R-GET.5 (TemperatureSensor.{i}. at depth 3).
        n.forEachChildObject(c -> {
            if (perms.canReadObject(c)) {
                object(c, level + 1, maxDepth, perms, budget, out);
            }
        });
    }

    private static String read(Permissions perms, ObjectNode n, ParamDef p) {
        try {
            return ControllerView.value(perms, n, p);
        } catch (RuntimeException e) {
            // A computed value that cannot be computed: the path fails like a failed read in obuspa, the loop lives.
            LOG.log(Level.WARNING, "reading " + n.path() + p.name() + " failed: " + e);
            throw new ValueFailure(n.path() + p.name() + " could not be read");
        }
    }

    /**
     * An object's encoded ResolvedPathResult, kept with the object ({@link ObjectNode#memo}) so that the next Get of
     * it by a controller with the same permissions copies bytes instead of reading and encoding every value again: a
     * Get of {@code Device.} with 100 proxied devices is ≈ 2,000 such objects, nearly all unchanged since the last
     * Get. The model drops the memo when one of the object's values changes; the result is kept only when nothing
     * else can change it: no computed parameter (UpTime, MQTT statistics) and permissions that do not depend on
     * values ({@link Permissions#decidesByPathOnly}). {@link Permissions} objects are immutable and replaced when
     * roles or controllers change, so the identity check below also retires results kept under older rules.
     */
    private record KeptResult(Permissions perms, byte[] encoded) {

        static boolean allowed(ObjectNode n, Permissions perms) {
            return perms.decidesByPathOnly() && !n.def().hasComputedParams();
        }

        static byte[] of(ObjectNode n, Permissions perms) {
            return n.memo() instanceof KeptResult k && k.perms == perms ? k.encoded : null;
        }
    }

    /** A value that could not be read; fails the path with 7003. */
    private static final class ValueFailure extends RuntimeException {
        ValueFailure(String message) {
            super(message, null, false, false);
        }
    }
}
