package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetResp.RequestedPathResult;
import io.uspbridge.proto.UspMsg.GetResp.ResolvedPathResult;
import io.uspbridge.security.Permissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Get (6.1): one RequestedPathResult per requested path, each evaluated on its own (GET-1); for an object, instance
 * or search path one ResolvedPathResult per object and sub-object instance with parameter names relative to it
 * (GET-2, USP ≥ 1.2), limited by {@code max_depth} (GET-4, R-GET.5); for a parameter path the holder with only that
 * parameter (GET-3). Failures stay in the path's result (GET-5): never an Error message for a bad path.
 */
final class GetHandler implements RequestHandler {
    private static final Logger LOG = Logger.getLogger(GetHandler.class.getName());

    private final PathResolver resolver;
    private final MessageSettings settings;

    GetHandler(PathResolver resolver, MessageSettings settings) {
        this.resolver = resolver;
        this.settings = settings;
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        UspMsg.Get get = request.getGet();
        settings.checkPaths(get.getParamPathsCount(), "Get", "param_paths");
        // max_depth is fixed32: read it unsigned; 0 means the whole tree.
        long depth = Integer.toUnsignedLong(get.getMaxDepth());
        int maxDepth = depth > Integer.MAX_VALUE ? 0 : (int) depth;
        ResponseBudget budget = new ResponseBudget(settings.maxResultParams());
        UspMsg.GetResp.Builder resp = UspMsg.GetResp.newBuilder();
        for (String path : get.getParamPathsList()) {
            resp.addReqPathResults(result(path, maxDepth, ctx.permissions(), budget));
        }
        return CompletableFuture.completedFuture(UspMsg.Response.newBuilder().setGetResp(resp).build());
    }

    private RequestedPathResult result(String path, int maxDepth, Permissions perms, ResponseBudget budget) {
        RequestedPathResult.Builder r = RequestedPathResult.newBuilder().setRequestedPath(path);
        if (budget.exhausted()) {
            return failed(r, ErrorCode.RESOURCES_EXCEEDED, budget.message());
        }
        Resolution res;
        try {
            res = resolver.resolve(path, perms);
        } catch (ModelException e) {
            return failed(r, e.error(), e.getMessage());
        }
        List<ResolvedPathResult> out = new ArrayList<>();
        int mark = budget.mark();
        try {
            switch (res.kind()) {
                case PARAMETER -> parameter(res, perms, budget, out);
                case OBJECT -> {
                    for (ObjectNode n : res.objects()) {
                        object(n, 1, maxDepth, perms, budget, out);
                    }
                }
                default -> {
                    return failed(r, ErrorCode.INVALID_PATH, "Get reads objects and parameters; "
                            + Texts.excerpt(path) + " names a " + res.kind().name().toLowerCase());
                }
            }
        } catch (ResponseBudget.Exceeded e) {
            budget.fail(mark);       // what this path produced is dropped with it
            return failed(r, ErrorCode.RESOURCES_EXCEEDED, budget.message());
        } catch (ValueFailure e) {
            budget.giveBack(mark);
            return failed(r, ErrorCode.INTERNAL_ERROR, e.getMessage());
        }
        if (out.isEmpty() && !res.search() && !exists(res)) {
            // R-GET.0: a path that is not a search names something that does not exist (or cannot be read, R-GET.1)
            return failed(r, ErrorCode.INVALID_PATH, Texts.excerpt(path) + " does not exist");
        }
        return r.addAllResolvedPathResults(out).build();
    }

    /** A non-search object path with no results still exists when it is a table (TP-469 1.87) or an empty object. */
    private static boolean exists(Resolution res) {
        return res.kind() == PathKind.OBJECT && (!res.objects().isEmpty() || !res.tables().isEmpty());
    }

    private static void parameter(Resolution res, Permissions perms, ResponseBudget budget,
            List<ResolvedPathResult> out) {
        String name = res.leafName();
        for (ObjectNode n : res.objects()) {
            ParamDef p = n.def().param(name);
            if (p == null || !perms.canReadParam(n, p)) {
                continue;           // R-GET.1: unreadable parameters do not exist for this controller
            }
            budget.take(1);
            out.add(ResolvedPathResult.newBuilder().setResolvedPath(n.path())
                    .putResultParams(name, read(perms, n, p)).build());
        }
    }

    /** The object's readable parameters, then its readable sub-objects, in tree order (GET-2, GET-4). */
    private static void object(ObjectNode n, int level, int maxDepth, Permissions perms, ResponseBudget budget,
            List<ResolvedPathResult> out) {
        ResolvedPathResult.Builder rr = ResolvedPathResult.newBuilder().setResolvedPath(n.path());
        List<ParamDef> params = n.def().params();
        budget.take(params.size());
        for (ParamDef p : params) {
            if (perms.canReadParam(n, p)) {  // R-GET.4: omitted, which may leave the map empty
                rr.putResultParams(p.name(), read(perms, n, p));
            }
        }
        if (!params.isEmpty()) {
            out.add(rr.build());    // R-GET.1b: an object without parameters yields no result of its own
        }
        if (maxDepth != 0 && level >= maxDepth) {
            return;
        }
        for (ObjectNode c : n.childObjects()) {
            // A table row counts as one level, like the example of R-GET.5 (TemperatureSensor.{i}. at depth 3).
            if (perms.canReadObject(c)) {
                object(c, level + 1, maxDepth, perms, budget, out);
            }
        }
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

    private static RequestedPathResult failed(RequestedPathResult.Builder r, ErrorCode code, String message) {
        return r.setErrCode(code.code()).setErrMsg(message).build();
    }

    /** A value that could not be read; fails the path with 7003. */
    private static final class ValueFailure extends RuntimeException {
        ValueFailure(String message) {
            super(message, null, false, false);
        }
    }
}
