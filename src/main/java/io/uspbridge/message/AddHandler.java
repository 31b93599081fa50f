package io.uspbridge.message;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import io.uspbridge.model.Transaction;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.AddResp.CreatedObjectResult;
import io.uspbridge.proto.UspMsg.AddResp.CreatedObjectResult.OperationStatus;
import io.uspbridge.security.Permissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Add (6.5). Each CreateObject names a table, possibly under search paths for its parents (then one result per
 * matched table, all with the same {@code requested_path}, ADD-1). A new row gets the controller's values (relative
 * names, into nested single-instance objects only, ADD-2), the agent assigns the unique keys it was not given and
 * reports them all, minus those the controller cannot read (R-ADD.5, R-ADD.6). A required parameter that fails, and
 * any unique-key parameter given (always required), leave the object uncreated (R-ADD.3); other failures are listed
 * in {@code param_errs} (R-ADD.4). With {@code allow_partial=false} any failure is an Error and nothing is created
 * (R-ADD.1, R-ADD.2a); keys are checked once the whole message is applied (MSG-8).
 *
 * <p>Permissions (ADD-6): Obj w on the table is needed (7006); a parameter the controller may not write fails like
 * any other parameter (7006); parameters it omits keep their defaults.
 */
final class AddHandler implements RequestHandler {
    private final DataModel model;
    private final PathResolver resolver;
    private final MessageSettings settings;

    AddHandler(DataModel model, PathResolver resolver, MessageSettings settings) {
        this.model = model;
        this.resolver = resolver;
        this.settings = settings;
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        UspMsg.Add add = request.getAdd();
        settings.checkWrites("Add", "create_objs", add.getCreateObjsList(),
                UspMsg.Add.CreateObject::getParamSettingsList, UspMsg.Add.CreateParamSetting::getParam,
                UspMsg.Add.CreateParamSetting::getValue);
        try (Transaction tx = model.begin(ctx.controller())) {
            Pass pass = new Pass(add, ctx.permissions());
            for (UspMsg.Add.CreateObject c : add.getCreateObjsList()) {
                pass.create(tx, c);
            }
            if (!add.getAllowPartial()) {
                try {
                    tx.validate();      // MSG-8: generates missing keys and checks uniqueness over the whole message
                } catch (ModelException e) {
                    throw new UspErrorException(e.error(), e.getMessage());
                }
            }
            UspMsg.AddResp.Builder resp = UspMsg.AddResp.newBuilder();
            for (Entry e : pass.entries) {
                resp.addCreatedObjResults(e.toResult(ctx.permissions()));
            }
            tx.commit();
            return CompletableFuture.completedFuture(UspMsg.Response.newBuilder().setAddResp(resp).build());
        }
    }

    /** One CreatedObjectResult to be: a created row with its non-required failures, or a failure. */
    private record Entry(String requestedPath, ObjectNode row, List<ParamFailure> paramErrors, ErrorCode code,
            String message) {

        CreatedObjectResult toResult(Permissions perms) {
            CreatedObjectResult.Builder r = CreatedObjectResult.newBuilder().setRequestedPath(requestedPath);
            if (code != null) {
                return r.setOperStatus(OperationStatus.newBuilder().setOperFailure(
                        OperationStatus.OperationFailure.newBuilder().setErrCode(code.code()).setErrMsg(message)))
                        .build();
            }
            OperationStatus.OperationSuccess.Builder ok = OperationStatus.OperationSuccess.newBuilder();
            if (row != null) {
                ok.setInstantiatedPath(row.path());
                for (String k : row.def().uniqueKeyParams()) {
                    ParamDef p = row.def().param(k);
                    if (p != null && perms.canReadParam(row, p)) {     // R-ADD.6
                        ok.putUniqueKeys(k, ControllerView.value(perms, row, p));
                    }
                }
            }
            for (ParamFailure f : paramErrors) {
                ok.addParamErrs(UspMsg.AddResp.ParameterError.newBuilder().setParam(f.param())
                        .setErrCode(f.code().code()).setErrMsg(f.message()));
            }
            return r.setOperStatus(OperationStatus.newBuilder().setOperSuccess(ok)).build();
        }
    }

    private final class Pass {
        final UspMsg.Add add;
        final Permissions perms;
        final List<Entry> entries = new ArrayList<>();
        int created;

        Pass(UspMsg.Add add, Permissions perms) {
            this.add = add;
            this.perms = perms;
        }

        void create(Transaction tx, UspMsg.Add.CreateObject c) {
            String objPath = c.getObjPath();
            Resolution res;
            try {
                res = resolver.resolve(objPath, perms);
            } catch (ModelException e) {
                fail(objPath, e.error(), e.getMessage(), List.of());
                return;
            }
            if (res.kind() != PathKind.OBJECT) {
                fail(objPath, ErrorCode.INVALID_PATH, "Add takes the path of a table; " + Texts.excerpt(objPath)
                        + " names a " + res.kind().name().toLowerCase(), List.of());
                return;
            }
            if (!res.isTablePath()) {
                fail(objPath, ErrorCode.NOT_A_TABLE, Texts.excerpt(objPath) + " is not a table (a table path ends"
                        + " with the table's name, without an instance)", List.of());
                return;
            }
            if (res.tables().isEmpty()) {
                if (res.search()) {
                    // MSG-6: a search that matches no parent creates nothing and is not an error.
                    entries.add(new Entry(objPath, null, List.of(), null, null));
                } else {
                    fail(objPath, ErrorCode.OBJECT_DOES_NOT_EXIST, "the parent of " + Texts.excerpt(objPath)
                            + " does not exist", List.of());
                }
                return;
            }
            for (Table table : res.tables()) {
                if (++created > settings.maxAffectedObjects()) {
                    throw new UspErrorException(ErrorCode.RESOURCES_EXCEEDED, "the Add would create more than "
                            + settings.maxAffectedObjects() + " objects; split it");
                }
                createIn(tx, table, c);
            }
        }

        /** Creates one row in {@code table}, all or nothing (a savepoint). */
        private void createIn(Transaction tx, Table table, UspMsg.Add.CreateObject c) {
            String objPath = c.getObjPath();
            if (!perms.canAddTo(table)) {
                fail(objPath, ErrorCode.PERMISSION_DENIED, "no permission to add to " + table.path(), List.of());
                return;
            }
            Transaction.Savepoint sp = tx.savepoint();
            ObjectNode row;
            try {
                row = tx.addRowByController(table);     // 7019 for agent-managed tables, 7005 when full
            } catch (ModelException e) {
                fail(objPath, e.error(), e.getMessage(), List.of());
                return;
            }
            List<ParamFailure> required = new ArrayList<>();
            List<ParamFailure> optional = new ArrayList<>();
            for (UspMsg.Add.CreateParamSetting s : c.getParamSettingsList()) {
                ParamFailure f = setOne(tx, row, s);
                if (f == null) {
                    continue;
                }
                boolean key = row.def().uniqueKeyParams().contains(s.getParam());
                (s.getRequired() || key ? required : optional).add(f);
            }
            if (!required.isEmpty()) {
                tx.rollbackTo(sp);
                ParamFailure first = required.get(0);
                fail(objPath, first.code(), first.message(), required);
                return;
            }
            if (add.getAllowPartial()) {
                try {
                    tx.validateSince(sp);   // keys generated and checked for this object alone (R-ADD.0)
                } catch (ModelException e) {
                    tx.rollbackTo(sp);
                    fail(objPath, e.error(), e.getMessage(), List.of(new ParamFailure("", row.path(), e.error(),
                            e.getMessage())));
                    return;
                }
            }
            entries.add(new Entry(objPath, row, optional, null, null));
        }

        private ParamFailure setOne(Transaction tx, ObjectNode row, UspMsg.Add.CreateParamSetting s) {
            String name = s.getParam();
            Transaction.ParamRef ref;
            try {
                ref = tx.resolveRelative(row, name);    // single-instance sub-objects only (ADD-2)
            } catch (ModelException e) {
                return new ParamFailure(name, row.path() + name, ErrorCode.UNSUPPORTED_PARAMETER,
                        Texts.excerpt(name) + " is not a parameter of " + row.def().path());
            }
            ObjectNode holder = ref.object();
            ParamDef p = ref.param();
            String path = holder.path() + p.name();
            try {
                if (!perms.canWriteParam(holder, p)) {
                    throw new ModelException(ErrorCode.PERMISSION_DENIED, "no permission to write " + path);
                }
                if (p.storage() == ParamDef.Storage.BOUND) {
                    // A new row has no device behind it yet: a device value cannot be given at creation.
                    throw new ModelException(ErrorCode.NOT_WRITABLE, path + " is bound to a device and cannot be"
                            + " given when the object is created");
                }
                tx.setByController(holder, p, s.getValue());
                return null;
            } catch (ModelException e) {
                return ParamFailure.of(name, path, e);
            }
        }

        /** An object that was not created: an Error at once without allow_partial (R-ADD.1), else oper_failure. */
        private void fail(String objPath, ErrorCode code, String message, List<ParamFailure> params) {
            if (!add.getAllowPartial()) {
                List<UspErrorException.ParamError> errs = params.isEmpty()
                        ? List.of(new UspErrorException.ParamError(objPath, code, message))
                        : params.stream().map(ParamFailure::toParamError).toList();
                throw new UspErrorException(code, message, errs);
            }
            entries.add(new Entry(objPath, null, List.of(), code, message));
        }
    }
}
