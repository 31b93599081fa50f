package io.uspbridge.message;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Transaction;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.Resolution;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.SetResp.UpdatedInstanceFailure;
import io.uspbridge.proto.UspMsg.SetResp.UpdatedInstanceResult;
import io.uspbridge.proto.UspMsg.SetResp.UpdatedObjectResult;
import io.uspbridge.proto.UspMsg.SetResp.UpdatedObjectResult.OperationStatus;
import io.uspbridge.security.Permissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Set (6.6). Each UpdateObject is all-or-nothing (a savepoint): with {@code allow_partial=true} one that fails gives
 * an {@code oper_failure} and the others stand (R-SET.0); with {@code false} any failure is an Error with the full
 * paths of the failed parameters and nothing changes (R-SET.1). A search path matching several objects is always
 * holistic: one failing object undoes the whole UpdateObject (R-SET.2a). An object that fails because a required
 * parameter failed gets {@code oper_failure} 7021 with each parameter's own code in {@code updated_inst_failures}
 * (SET-5); the Error of {@code allow_partial=false} carries the parameter's code. Non-required failures leave the
 * object updated and are listed in {@code param_errs}; {@code updated_params} holds the value after the update,
 * even when unchanged, minus what the controller cannot read (R-SET.3). Uniqueness and other whole-object rules are
 * checked once every value is in (MSG-8).
 *
 * <p><b>Parameters bound to devices.</b> A Set runs in two passes. The first validates everything (types, access,
 * permissions, keys) in a transaction that is then rolled back, and collects the writes of bound parameters. Those
 * are sent to the devices' owners; the agent loop goes on serving other messages meanwhile. When every device has
 * answered (or timed out), the second pass applies the message again against the tree as it is then, with each
 * bound parameter's outcome known, and commits: stored parameters change only after the device writes succeeded.
 * What cannot be rolled back: a device that acknowledged a write keeps the new value even when another device's
 * failure (of a required parameter, or with {@code allow_partial=false}) makes the Set fail; the tree then shows
 * whatever the device reports next.
 */
final class SetHandler implements RequestHandler {
    private final DataModel model;
    private final PathResolver resolver;
    private final MessageSettings settings;
    private final Executor loop;

    SetHandler(DataModel model, PathResolver resolver, MessageSettings settings, Executor loop) {
        this.model = model;
        this.resolver = resolver;
        this.settings = settings;
        this.loop = loop;
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        UspMsg.Set set = request.getSet();
        settings.checkWrites("Set", "update_objs", set.getUpdateObjsList(),
                UspMsg.Set.UpdateObject::getParamSettingsList, UspMsg.Set.UpdateParamSetting::getParam,
                UspMsg.Set.UpdateParamSetting::getValue);
        Pass first;
        try (Transaction tx = model.begin(ctx.controller())) {
            first = new Pass(set, ctx.permissions(), null);
            first.run(tx);
            if (first.writes.isEmpty() || first.error != null) {
                return CompletableFuture.completedFuture(first.finish(tx));
            }
            first.validate(tx);     // a whole-message failure must stop the Set before any device is written
            // Bound parameters: what was just applied is undone by closing the transaction; the devices go first.
        }
        return first.writes.send(settings.boundWriteTimeout(), loop).thenApply(outcomes -> {
            try (Transaction tx = model.begin(ctx.controller())) {
                Pass second = new Pass(set, ctx.permissions(), outcomes);
                second.run(tx);
                return second.finish(tx);
            }
        });
    }

    /**
     * Why an UpdateObject (or one of its instances) failed. {@code code} is what an Error message carries: the
     * failed parameter's own code (TP-469 2.16 expects 7006 for a denied write). {@code objectCode} is what the
     * object's {@code oper_failure} carries: 7021 when required parameters failed (SET-5), their own codes being in
     * {@code updated_inst_failures}; otherwise the same code.
     */
    private record Failure(ErrorCode code, ErrorCode objectCode, String message, List<ParamFailure> params) {
        static Failure requiredParameters(List<ParamFailure> failed) {
            ParamFailure first = failed.get(0);
            return new Failure(first.code(), ErrorCode.REQUIRED_PARAMETER_FAILED, "required parameter "
                    + Texts.excerpt(first.param()) + " failed: " + first.message(), failed);
        }

        static Failure of(ErrorCode code, String message, List<ParamFailure> params) {
            return new Failure(code, code, message, params);
        }

        UspErrorException toError() {
            return new UspErrorException(code, message, params.stream().map(ParamFailure::toParamError).toList());
        }
    }

    /** One application of the whole message to a transaction. */
    private final class Pass {
        final UspMsg.Set set;
        final Permissions perms;
        /** Null in the first pass; in the second, what became of every device write. */
        final Map<ObjectNode, Map<ParamDef, DeviceWrites.Outcome>> outcomes;
        final DeviceWrites writes = new DeviceWrites();
        final List<UpdatedObjectResult> results = new ArrayList<>();
        UspErrorException error;
        int affected;

        Pass(UspMsg.Set set, Permissions perms, Map<ObjectNode, Map<ParamDef, DeviceWrites.Outcome>> outcomes) {
            this.set = set;
            this.perms = perms;
            this.outcomes = outcomes;
        }

        void run(Transaction tx) {
            boolean partial = set.getAllowPartial();
            for (UspMsg.Set.UpdateObject u : set.getUpdateObjsList()) {
                Transaction.Savepoint sp = tx.savepoint();
                DeviceWrites objWrites = new DeviceWrites();
                UpdatedObjectResult r = updateObject(tx, u, objWrites);
                if (r.getOperStatus().hasOperFailure()) {
                    tx.rollbackTo(sp);          // all or nothing per UpdateObject (R-SET.2a)
                    if (!partial) {
                        return;                 // error set by updateObject (R-SET.1)
                    }
                } else {
                    writes.addAll(objWrites);
                }
                results.add(r);
            }
        }

        /** The response, or the Error; commits what the pass applied unless it failed as a whole. */
        UspMsg.Response finish(Transaction tx) {
            validate(tx);
            tx.commit();
            return UspMsg.Response.newBuilder()
                    .setSetResp(UspMsg.SetResp.newBuilder().addAllUpdatedObjResults(results)).build();
        }

        /** Throws the Error of a message that failed as a whole; the transaction is rolled back when closed. */
        void validate(Transaction tx) {
            if (error != null) {
                throw error;
            }
            if (!set.getAllowPartial()) {
                try {
                    tx.validate();              // MSG-8: keys are unique after the whole message
                } catch (ModelException e) {
                    throw new UspErrorException(e.error(), e.getMessage());
                }
            }
        }

        private UpdatedObjectResult updateObject(Transaction tx, UspMsg.Set.UpdateObject u, DeviceWrites objWrites) {
            String objPath = u.getObjPath();
            UpdatedObjectResult.Builder r = UpdatedObjectResult.newBuilder().setRequestedPath(objPath);
            if (u.getParamSettingsCount() == 0) {
                return failed(r, Failure.of(ErrorCode.INVALID_ARGUMENTS, "no parameter to set in "
                        + Texts.excerpt(objPath), List.of(new ParamFailure("", objPath, ErrorCode.INVALID_ARGUMENTS,
                        "no parameter to set"))), List.of());
            }
            Resolution res;
            try {
                res = resolver.resolve(objPath, perms);
            } catch (ModelException e) {
                return failed(r, objectFailure(objPath, e.error(), e.getMessage()), List.of());
            }
            if (res.kind() != PathKind.OBJECT || res.isTablePath()) {
                return failed(r, objectFailure(objPath, ErrorCode.INVALID_PATH, "Set takes an object, instance or"
                        + " search path; " + Texts.excerpt(objPath) + " is not one"), List.of());
            }
            if (res.isEmpty()) {
                if (res.search()) {
                    return r.setOperStatus(OperationStatus.newBuilder().setOperSuccess(
                            OperationStatus.OperationSuccess.getDefaultInstance())).build();   // SET-4
                }
                return failed(r, objectFailure(objPath, ErrorCode.OBJECT_DOES_NOT_EXIST,
                        Texts.excerpt(objPath) + " does not exist"), List.of());
            }
            affected += res.objects().size();
            if (affected > settings.maxAffectedObjects()) {
                throw new UspErrorException(ErrorCode.RESOURCES_EXCEEDED, "the Set would update more than "
                        + settings.maxAffectedObjects() + " objects; split it");
            }
            OperationStatus.OperationSuccess.Builder ok = OperationStatus.OperationSuccess.newBuilder();
            for (ObjectNode node : res.objects()) {
                Transaction.Savepoint sp = tx.savepoint();
                UpdatedInstanceResult.Builder inst = UpdatedInstanceResult.newBuilder().setAffectedPath(node.path());
                List<ParamFailure> required = new ArrayList<>();
                for (UspMsg.Set.UpdateParamSetting s : u.getParamSettingsList()) {
                    ParamFailure f = setOne(tx, node, s, inst, objWrites);
                    if (f == null) {
                        continue;
                    }
                    if (s.getRequired()) {
                        required.add(f);
                    } else {
                        inst.addParamErrs(paramError(f));      // the object is still updated (R-SET.2)
                    }
                }
                Failure failure = null;
                if (!required.isEmpty()) {
                    failure = Failure.requiredParameters(required);
                } else if (set.getAllowPartial()) {
                    try {
                        tx.validateSince(sp);
                    } catch (ModelException e) {
                        failure = Failure.of(e.error(), e.getMessage(), List.of());
                    }
                }
                if (failure != null) {
                    // R-SET.2a/2b: the UpdateObject fails as a whole; stop at the first failing object.
                    UpdatedInstanceFailure.Builder fi = UpdatedInstanceFailure.newBuilder()
                            .setAffectedPath(node.path());
                    for (ParamFailure pf : failure.params()) {
                        fi.addParamErrs(paramError(pf));
                    }
                    return failed(r, failure, List.of(fi.build()));
                }
                ok.addUpdatedInstResults(inst);
            }
            return r.setOperStatus(OperationStatus.newBuilder().setOperSuccess(ok)).build();
        }

        /** Sets one parameter on one object; null on success (and its value recorded), else why it failed. */
        private ParamFailure setOne(Transaction tx, ObjectNode node, UspMsg.Set.UpdateParamSetting s,
                UpdatedInstanceResult.Builder inst, DeviceWrites objWrites) {
            String name = s.getParam();
            Transaction.ParamRef ref;
            try {
                ref = tx.resolveRelative(node, name);
            } catch (ModelException e) {
                return new ParamFailure(name, node.path() + name, ErrorCode.UNSUPPORTED_PARAMETER,
                        Texts.excerpt(name) + " is not a parameter of " + node.path());
            }
            ObjectNode holder = ref.object();
            ParamDef p = ref.param();
            String path = holder.path() + p.name();
            try {
                if (!perms.canWriteParam(holder, p)) {
                    throw new ModelException(ErrorCode.PERMISSION_DENIED, "no permission to write " + path);
                }
                String value;
                if (p.storage() == ParamDef.Storage.BOUND) {
                    tx.checkWritableByController(holder, p);
                    value = tx.canonical(p, s.getValue());
                    if (outcomes == null) {
                        objWrites.add(holder, p, value);
                    } else {
                        DeviceWrites.Outcome o = outcomes.getOrDefault(holder, Map.of()).get(p);
                        if (o == null) {
                            throw new ModelException(ErrorCode.PARAMETER_ACTION_FAILED,
                                    path + " changed while the device writes of this Set were in progress");
                        }
                        if (o.failure() != null) {
                            throw o.failure();
                        }
                    }
                } else {
                    tx.setByController(holder, p, s.getValue());
                    value = holder.value(p);
                }
                if (perms.canReadParam(holder, p)) {
                    inst.putUpdatedParams(name, p.isSecured() && !perms.canReadSecured() ? "" : value);
                }
                return null;
            } catch (ModelException e) {
                return ParamFailure.of(name, path, e);
            }
        }

        private UpdatedObjectResult failed(UpdatedObjectResult.Builder r, Failure f,
                List<UpdatedInstanceFailure> instances) {
            if (!set.getAllowPartial() && error == null) {
                error = f.toError();
            }
            return r.setOperStatus(OperationStatus.newBuilder().setOperFailure(
                    OperationStatus.OperationFailure.newBuilder().setErrCode(f.objectCode().code())
                            .setErrMsg(f.message()).addAllUpdatedInstFailures(instances))).build();
        }

        private Failure objectFailure(String objPath, ErrorCode code, String message) {
            return Failure.of(code, message, List.of(new ParamFailure("", objPath, code, message)));
        }
    }

    private static UspMsg.SetResp.ParameterError paramError(ParamFailure f) {
        return UspMsg.SetResp.ParameterError.newBuilder().setParam(f.param()).setErrCode(f.code().code())
                .setErrMsg(f.message()).build();
    }
}
