package io.uspbridge.message;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Transaction;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.DeleteResp.DeletedObjectResult;
import io.uspbridge.proto.UspMsg.DeleteResp.DeletedObjectResult.OperationStatus;
import io.uspbridge.proto.UspMsg.DeleteResp.UnaffectedPathError;
import io.uspbridge.security.Permissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delete (6.7): instance paths or search paths. Each matched row goes with everything below it and with the rows
 * that depend on it (the model's lifecycles, DEL-4). With {@code allow_partial=true} a row that cannot be deleted is
 * reported in {@code unaffected_path_errs} and the others go (R-DEL.0, R-DEL.3); a path that fails as a whole gets
 * {@code oper_failure}. With {@code false} any failure is an Error and nothing is deleted (R-DEL.1).
 *
 * <p>A valid path that matches nothing is an empty success (R-DEL.2a). For an instance that does not exist with
 * {@code allow_partial=false}, TR-369 1.4.1 (R-DEL.1) and TP-469 1.25 disagree (digest section 17): by default the
 * agent answers like TP-469 (empty success); {@link MessageSettings#deleteMissingIsError} selects the Error.
 */
final class DeleteHandler implements RequestHandler {
    private final DataModel model;
    private final PathResolver resolver;
    private final MessageSettings settings;

    DeleteHandler(DataModel model, PathResolver resolver, MessageSettings settings) {
        this.model = model;
        this.resolver = resolver;
        this.settings = settings;
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        UspMsg.Delete del = request.getDelete();
        settings.checkPaths(del.getObjPathsCount(), "Delete", "obj_paths");
        boolean partial = del.getAllowPartial();
        Permissions perms = ctx.permissions();
        int deleted = 0;
        try (Transaction tx = model.begin(ctx.controller())) {
            UspMsg.DeleteResp.Builder resp = UspMsg.DeleteResp.newBuilder();
            for (String path : del.getObjPathsList()) {
                DeletedObjectResult.Builder r = DeletedObjectResult.newBuilder().setRequestedPath(path);
                Resolution res;
                try {
                    res = resolve(path, perms, partial);
                } catch (ModelException e) {
                    if (!partial) {
                        throw error(path, e.error(), e.getMessage());
                    }
                    resp.addDeletedObjResults(r.setOperStatus(OperationStatus.newBuilder().setOperFailure(
                            OperationStatus.OperationFailure.newBuilder().setErrCode(e.code())
                                    .setErrMsg(e.getMessage()))));
                    continue;
                }
                OperationStatus.OperationSuccess.Builder ok = OperationStatus.OperationSuccess.newBuilder();
                for (ObjectNode row : res.objects()) {
                    if (!row.isLive()) {
                        continue;           // already deleted by an earlier path of this message
                    }
                    if (++deleted > settings.maxAffectedObjects()) {
                        throw new UspErrorException(ErrorCode.RESOURCES_EXCEEDED, "the Delete would delete more than "
                                + settings.maxAffectedObjects() + " objects; split it");
                    }
                    Transaction.Savepoint sp = tx.savepoint();
                    try {
                        if (!perms.canDelete(row)) {
                            throw new ModelException(ErrorCode.PERMISSION_DENIED, "no permission to delete "
                                    + row.path());
                        }
                        tx.deleteByController(row);
                        if (perms.canReadObject(row)) {
                            ok.addAffectedPaths(row.path());        // R-DEL.2
                        }
                    } catch (ModelException e) {
                        tx.rollbackTo(sp);
                        if (!partial) {
                            throw error(row.path(), e.error(), e.getMessage());
                        }
                        if (perms.canReadObject(row)) {             // R-DEL.4
                            ok.addUnaffectedPathErrs(UnaffectedPathError.newBuilder().setUnaffectedPath(row.path())
                                    .setErrCode(e.code()).setErrMsg(e.getMessage()));
                        }
                    }
                }
                resp.addDeletedObjResults(r.setOperStatus(OperationStatus.newBuilder().setOperSuccess(ok)));
            }
            tx.commit();
            return CompletableFuture.completedFuture(UspMsg.Response.newBuilder().setDeleteResp(resp).build());
        }
    }

    /** The rows a Delete path names, or why the path itself fails. */
    private Resolution resolve(String path, Permissions perms, boolean partial) {
        Resolution res = resolver.resolve(path, perms);
        if (res.kind() != PathKind.OBJECT) {
            throw new ModelException(ErrorCode.INVALID_PATH, "Delete takes instance or search paths; "
                    + Texts.excerpt(path) + " names a " + res.kind().name().toLowerCase());
        }
        if (res.objectDef() != null && !res.objectDef().isMultiInstance()) {
            throw new ModelException(ErrorCode.NOT_A_TABLE, res.objectDef().path()
                    + " is not a multi-instance object; only table rows can be deleted");
        }
        if (res.isTablePath()) {
            throw new ModelException(ErrorCode.INVALID_PATH, Texts.excerpt(path) + " names a whole table; give an"
                    + " instance number, a unique key, '*' or a search expression");
        }
        if (res.isEmpty() && !res.search() && !partial && settings.deleteMissingIsError()) {
            throw new ModelException(ErrorCode.OBJECT_DOES_NOT_EXIST, Texts.excerpt(path) + " does not exist");
        }
        return res;
    }

    private static UspErrorException error(String path, ErrorCode code, String message) {
        return new UspErrorException(code, message, List.of(new UspErrorException.ParamError(path, code, message)));
    }
}
