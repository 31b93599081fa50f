package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetInstancesResp.CurrInstance;
import io.uspbridge.proto.UspMsg.GetInstancesResp.RequestedPathResult;
import io.uspbridge.security.Permissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GetInstances (6.2): the instances of the addressed tables with their unique keys (minus the keys the controller
 * cannot read, R-GIN.1), and with {@code first_level_only=false} the instances of every table below them, each row
 * followed by its own nested rows as in the spec's example (GIN-1). A path that is not a table is 7018 (GIN-3).
 */
final class GetInstancesHandler implements RequestHandler {
    private final PathResolver resolver;
    private final MessageSettings settings;

    GetInstancesHandler(PathResolver resolver, MessageSettings settings) {
        this.resolver = resolver;
        this.settings = settings;
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        UspMsg.GetInstances gi = request.getGetInstances();
        settings.checkPaths(gi.getObjPathsCount(), "GetInstances", "obj_paths");
        ReadAccess access = ControllerView.instances(ctx.permissions());
        ResponseBudget budget = new ResponseBudget(settings.maxResultParams());
        UspMsg.GetInstancesResp.Builder resp = UspMsg.GetInstancesResp.newBuilder();
        for (String path : gi.getObjPathsList()) {
            resp.addReqPathResults(result(path, gi.getFirstLevelOnly(), access, ctx.permissions(), budget));
        }
        return CompletableFuture.completedFuture(UspMsg.Response.newBuilder().setGetInstancesResp(resp).build());
    }

    private RequestedPathResult result(String path, boolean firstLevelOnly, ReadAccess access, Permissions perms,
            ResponseBudget budget) {
        RequestedPathResult.Builder r = RequestedPathResult.newBuilder().setRequestedPath(path);
        if (budget.exhausted()) {
            return failed(r, ErrorCode.RESOURCES_EXCEEDED, budget.message());
        }
        Resolution res;
        try {
            res = resolver.resolve(path, access);
        } catch (ModelException e) {
            return failed(r, e.error(), e.getMessage());
        }
        if (res.kind() != PathKind.OBJECT) {
            return failed(r, ErrorCode.INVALID_PATH, "GetInstances takes paths to tables; " + Texts.excerpt(path)
                    + " names a " + res.kind().name().toLowerCase());
        }
        if (res.objectDef() != null && !res.objectDef().isMultiInstance()) {
            return failed(r, ErrorCode.NOT_A_TABLE, res.objectDef().path() + " is not a multi-instance object");
        }
        if (res.isEmpty() && !res.search() && res.tables().isEmpty()) {
            return failed(r, ErrorCode.OBJECT_DOES_NOT_EXIST, Texts.excerpt(path) + " does not exist");
        }
        for (ObjectNode row : res.objects()) {
            if (!row.isRow()) {
                return failed(r, ErrorCode.NOT_A_TABLE, row.path() + " is not a table row");
            }
        }
        int mark = budget.mark();
        try {
            for (ObjectNode row : res.objects()) {
                add(r, row, firstLevelOnly, access, perms, budget);
            }
        } catch (ResponseBudget.Exceeded e) {
            budget.fail(mark);
            return failed(r, ErrorCode.RESOURCES_EXCEEDED, budget.message());
        }
        return r.build();
    }

    private static void add(RequestedPathResult.Builder r, ObjectNode row, boolean firstLevelOnly, ReadAccess access,
            Permissions perms, ResponseBudget budget) {
        budget.take(1);
        CurrInstance.Builder ci = CurrInstance.newBuilder().setInstantiatedObjPath(row.path());
        for (String k : row.def().uniqueKeyParams()) {
            ParamDef p = row.def().param(k);
            if (p != null && perms.canReadParam(row, p)) {
                ci.putUniqueKeys(k, ControllerView.value(perms, row, p));
            }
        }
        r.addCurrInsts(ci);
        if (!firstLevelOnly) {
            nested(r, row, access, perms, budget);
        }
    }

    /** Rows of every table below {@code node}, depth first (first_level_only=false). */
    private static void nested(RequestedPathResult.Builder r, ObjectNode node, ReadAccess access, Permissions perms,
            ResponseBudget budget) {
        for (Object slot : node.childSlots()) {
            if (slot instanceof Table t) {
                for (ObjectNode row : t.rows()) {
                    if (access.canReadObject(row)) {
                        add(r, row, false, access, perms, budget);
                    }
                }
            } else if (slot instanceof ObjectNode child && access.canReadObject(child)) {
                nested(r, child, access, perms, budget);
            }
        }
    }

    private static RequestedPathResult failed(RequestedPathResult.Builder r, ErrorCode code, String message) {
        return r.clearCurrInsts().setErrCode(code.code()).setErrMsg(message).build();
    }
}
