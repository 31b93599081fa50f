package io.uspbridge.message;

import io.uspbridge.model.ArgDef;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.EventDef;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import io.uspbridge.model.UniqueKey;
import io.uspbridge.model.ValueType;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.SupportedPathResolver;
import io.uspbridge.path.SupportedTarget;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.CmdType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ObjAccessType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ParamAccessType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ParamValueType;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.RequestedObjectResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedCommandResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedEventResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedObjectResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedParamResult;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedUniqueKeySet;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.ValueChangeType;
import io.uspbridge.security.ElementKind;
import io.uspbridge.security.Permissions;
import io.uspbridge.security.Right;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GetSupportedDM (6.3): the supported model below each requested path, pre-order, with the details the flags ask
 * for (GSDM-2 … GSDM-4), or just one parameter, command or event when the path names one (TP-469 1.105–1.107).
 *
 * <p>Mount points (GSDM-5): below {@code Device.ProxiedDevice.{i}.} each device mounts different objects, so the
 * walk does not go below a mount point; it lists every instance in {@code divergent_paths}, and a controller then
 * asks for {@code Device.ProxiedDevice.3.}. Such an instantiated request describes that instance: its paths keep
 * the instance number ({@code Device.ProxiedDevice.3.IoTCapability.{i}.BinaryControl.}) and optional objects appear
 * only when some object of that instance has them.
 *
 * <p>Unreadable objects, parameters, commands and events are not in the supported model for the controller
 * (R-GSP.0): an unreadable object is left out with everything below it, like the path layer treats it in Get.
 */
final class GetSupportedDmHandler implements RequestHandler {
    private final DataModel model;
    private final SupportedPathResolver resolver;
    private final MessageSettings settings;

    GetSupportedDmHandler(DataModel model, SupportedPathResolver resolver, MessageSettings settings) {
        this.model = model;
        this.resolver = resolver;
        this.settings = settings;
    }

    /** The request's flags. */
    private record Flags(boolean firstLevelOnly, boolean commands, boolean events, boolean params, boolean keys) {
    }

    @Override
    public CompletionStage<UspMsg.Response> handle(UspMsg.Request request, RequestContext ctx) {
        UspMsg.GetSupportedDM g = request.getGetSupportedDm();
        settings.checkPaths(g.getObjPathsCount(), "GetSupportedDM", "obj_paths");
        Flags flags = new Flags(g.getFirstLevelOnly(), g.getReturnCommands(), g.getReturnEvents(),
                g.getReturnParams(), g.getReturnUniqueKeySets());
        UspMsg.GetSupportedDMResp.Builder resp = UspMsg.GetSupportedDMResp.newBuilder();
        for (String path : g.getObjPathsList()) {
            resp.addReqObjResults(result(path, flags, ctx.permissions()));
        }
        return CompletableFuture.completedFuture(
                UspMsg.Response.newBuilder().setGetSupportedDmResp(resp).build());
    }

    private RequestedObjectResult result(String path, Flags flags, Permissions perms) {
        RequestedObjectResult.Builder r = RequestedObjectResult.newBuilder().setReqObjPath(path);
        SupportedTarget t;
        try {
            t = resolver.resolve(path);
        } catch (ModelException e) {
            return r.setErrCode(e.code()).setErrMsg(e.getMessage()).build();
        }
        ObjectDef def = t.objectDef();
        ObjectNode anchor = t.instance() != null ? t.instance() : model.root();
        String objPath = pathOf(def, t.instance());
        String uri = def.dataModelUri() != null ? def.dataModelUri() : model.schema().dataModelUri();
        r.setDataModelInstUri(uri == null ? "" : uri);
        if (t.instance() != null && t.instance().def() == def && !perms.canReadObject(t.instance())
                || !canRead(perms, objPath)) {
            return notSupported(r, path);
        }
        Walk walk = new Walk(perms, flags, anchor, t.instance() != null);
        if (t.kind() != PathKind.OBJECT) {
            // One element only: the flags are ignored (TP-469 1.105–1.107).
            SupportedObjectResult.Builder o = walk.header(def, objPath);
            boolean found = switch (t.kind()) {
                case PARAMETER -> walk.addParam(o, def, objPath, def.param(t.leafName()));
                case COMMAND -> walk.addCommand(o, objPath, def.command(t.leafName()));
                case EVENT -> walk.addEvent(o, objPath, def.event(t.leafName()));
                default -> false;
            };
            if (!found) {
                return notSupported(r, path);
            }
            return r.addSupportedObjs(o).build();
        }
        boolean addressedInstance = t.instance() != null && t.instance().def() == def;
        if (def.isMountPoint() && def.isMultiInstance() && !addressedInstance) {
            r.addSupportedObjs(walk.divergent(def, objPath));
        } else {
            walk.object(def, objPath, true);
        }
        return r.addAllSupportedObjs(walk.out).build();
    }

    private static RequestedObjectResult notSupported(RequestedObjectResult.Builder r, String path) {
        return r.setErrCode(ErrorCode.INVALID_PATH.code())
                .setErrMsg(Texts.excerpt(path) + " is not in the supported data model").build();
    }

    /**
     * The path reported for {@code def}: its supported path, or for a request with instance numbers that path with
     * the requested instance's prefix kept ({@code Device.ProxiedDevice.3.IoTCapability.{i}.}).
     */
    private static String pathOf(ObjectDef def, ObjectNode instance) {
        if (instance == null) {
            return def.path();
        }
        return instance.path() + def.path().substring(instance.def().path().length());
    }

    private static boolean canRead(Permissions perms, String objPath) {
        return perms.allows(ElementKind.OBJ, Right.READ, objPath, null);
    }

    /** One pre-order walk of the supported model below a requested object. */
    private final class Walk {
        final Permissions perms;
        final Flags flags;
        final ObjectNode anchor;
        final boolean instantiated;
        final List<SupportedObjectResult> out = new ArrayList<>();

        Walk(Permissions perms, Flags flags, ObjectNode anchor, boolean instantiated) {
            this.perms = perms;
            this.flags = flags;
            this.anchor = anchor;
            this.instantiated = instantiated;
        }

        void object(ObjectDef def, String objPath, boolean requested) {
            SupportedObjectResult.Builder o = header(def, objPath);
            boolean details = requested || !flags.firstLevelOnly();
            if (details) {
                addDetails(o, def, objPath);
            }
            out.add(o.build());
            if (!requested && flags.firstLevelOnly()) {
                return;
            }
            for (ObjectDef c : def.children()) {
                String childPath = objPath + c.name() + "." + (c.isMultiInstance() ? "{i}." : "");
                if (!canRead(perms, childPath)) {
                    continue;
                }
                if (instantiated && c.isOptional() && !c.isMultiInstance() && nodes(c).isEmpty()) {
                    continue;  // this instance's model lacks the optional object
                }
                if (c.isMountPoint() && c.isMultiInstance()) {
                    out.add(divergent(c, childPath).build());
                } else if (flags.firstLevelOnly()) {
                    // TP-469 1.73: immediate children without details, not even unique keys
                    out.add(header(c, childPath).build());
                } else {
                    object(c, childPath, false);
                }
            }
        }

        /** GSDM-5: only path, access, multi-instance and the instances (each with its own model). */
        SupportedObjectResult.Builder divergent(ObjectDef def, String objPath) {
            SupportedObjectResult.Builder o = header(def, objPath);
            for (ObjectNode n : nodes(def)) {
                if (perms.canReadObject(n)) {
                    o.addDivergentPaths(n.path());
                }
            }
            return o;
        }

        SupportedObjectResult.Builder header(ObjectDef def, String objPath) {
            return SupportedObjectResult.newBuilder().setSupportedObjPath(objPath).setAccess(access(def))
                    .setIsMultiInstance(def.isMultiInstance());
        }

        private void addDetails(SupportedObjectResult.Builder o, ObjectDef def, String objPath) {
            if (flags.params()) {
                for (ParamDef p : def.params()) {
                    addParam(o, def, objPath, p);
                }
            }
            if (flags.commands()) {
                for (CommandDef c : def.commands()) {
                    addCommand(o, objPath, c);
                }
            }
            if (flags.events()) {
                for (EventDef e : def.events()) {
                    addEvent(o, objPath, e);
                }
            }
            if (flags.keys()) {
                for (UniqueKey k : def.uniqueKeys()) {
                    // A key set with a parameter the controller cannot see would mislead: leave the set out.
                    if (k.params().stream().allMatch(p -> perms.allows(ElementKind.PARAM, Right.READ, objPath, p))) {
                        o.addUniqueKeySets(SupportedUniqueKeySet.newBuilder().addAllKeyNames(k.params()));
                    }
                }
            }
        }

        boolean addParam(SupportedObjectResult.Builder o, ObjectDef def, String objPath, ParamDef p) {
            if (p == null || !perms.allows(ElementKind.PARAM, Right.READ, objPath, p.name())) {
                return false;
            }
            o.addSupportedParams(SupportedParamResult.newBuilder().setParamName(p.name())
                    .setAccess(access(p)).setValueType(valueType(p.type()))
                    .setValueChange(p.isValueChangeAllowed() ? ValueChangeType.VALUE_CHANGE_ALLOWED
                            : ValueChangeType.VALUE_CHANGE_WILL_IGNORE));
            return true;
        }

        boolean addCommand(SupportedObjectResult.Builder o, String objPath, CommandDef c) {
            if (c == null || !perms.allows(ElementKind.COMMAND_EVENT, Right.READ, objPath, c.name())) {
                return false;
            }
            SupportedCommandResult.Builder b = SupportedCommandResult.newBuilder().setCommandName(c.name())
                    .setCommandType(c.isAsync() ? CmdType.CMD_ASYNC : CmdType.CMD_SYNC);
            for (ArgDef a : c.inputArgs()) {
                b.addInputArgNames(a.name());
            }
            for (ArgDef a : c.outputArgs()) {
                b.addOutputArgNames(a.name());
            }
            o.addSupportedCommands(b);
            return true;
        }

        boolean addEvent(SupportedObjectResult.Builder o, String objPath, EventDef e) {
            if (e == null || !perms.allows(ElementKind.COMMAND_EVENT, Right.READ, objPath, e.name())) {
                return false;
            }
            SupportedEventResult.Builder b = SupportedEventResult.newBuilder().setEventName(e.name());
            for (ArgDef a : e.args()) {
                b.addArgNames(a.name());
            }
            o.addSupportedEvents(b);
            return true;
        }

        /** The live objects of {@code def} at or below the anchor (the whole tree for a supported path). */
        List<ObjectNode> nodes(ObjectDef def) {
            List<ObjectDef> chain = new ArrayList<>();
            for (ObjectDef d = def; d != null && d != anchor.def(); d = d.parent()) {
                chain.add(0, d);
            }
            List<ObjectNode> level = List.of(anchor);
            for (ObjectDef d : chain) {
                List<ObjectNode> next = new ArrayList<>();
                for (ObjectNode n : level) {
                    if (d.isMultiInstance()) {
                        Table t = n.table(d.name());
                        if (t != null) {
                            next.addAll(t.rows());
                        }
                    } else {
                        ObjectNode c = n.child(d.name());
                        if (c != null) {
                            next.add(c);
                        }
                    }
                }
                level = next;
            }
            return level;
        }
    }

    static ObjAccessType access(ObjectDef def) {
        if (!def.isMultiInstance()) {
            return ObjAccessType.OBJ_READ_ONLY;
        }
        return switch (def.access()) {
            case READ_ONLY -> ObjAccessType.OBJ_READ_ONLY;
            case ADD_DELETE -> ObjAccessType.OBJ_ADD_DELETE;
            case ADD_ONLY -> ObjAccessType.OBJ_ADD_ONLY;
            case DELETE_ONLY -> ObjAccessType.OBJ_DELETE_ONLY;
        };
    }

    /** writeOnceReadOnly is reported as PARAM_READ_WRITE (GSDM-4); computed parameters are read-only. */
    static ParamAccessType access(ParamDef p) {
        if (p.storage() == ParamDef.Storage.COMPUTED || !p.access().isWritable()) {
            return ParamAccessType.PARAM_READ_ONLY;
        }
        return ParamAccessType.PARAM_READ_WRITE;
    }

    /** The primitive base type (GSDM-4); TR-106 lists travel as strings. */
    static ParamValueType valueType(ValueType type) {
        if (type.isList()) {
            return ParamValueType.PARAM_STRING;
        }
        return switch (type.base()) {
            case STRING -> ParamValueType.PARAM_STRING;
            case BOOLEAN -> ParamValueType.PARAM_BOOLEAN;
            case INT -> ParamValueType.PARAM_INT;
            case UNSIGNED_INT -> ParamValueType.PARAM_UNSIGNED_INT;
            case LONG -> ParamValueType.PARAM_LONG;
            case UNSIGNED_LONG -> ParamValueType.PARAM_UNSIGNED_LONG;
            case DECIMAL -> ParamValueType.PARAM_DECIMAL;
            case DATE_TIME -> ParamValueType.PARAM_DATE_TIME;
            case BASE64 -> ParamValueType.PARAM_BASE_64;
            case HEX_BINARY -> ParamValueType.PARAM_HEX_BINARY;
        };
    }
}
