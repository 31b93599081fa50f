package io.uspbridge.cli;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An agent's answer as text: results on {@code out}, one path (and value) per line in the agent's order; errors on
 * {@code err} with their USP code, name and message. Any error, whole-message or per path, makes the answer
 * "not ok" (the tool's exit status 1) so that scripts can rely on the status alone.
 */
public final class ResponseText {
    private ResponseText() {
    }

    /** The lines of one answer. */
    public record Lines(List<String> out, List<String> err) {
        public boolean ok() {
            return err.isEmpty();
        }
    }

    public static Lines of(UspMsg.Msg msg) {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        UspMsg.Body body = msg.getBody();
        if (body.hasError()) {
            UspMsg.Error e = body.getError();
            err.add(error(e.getErrCode(), e.getErrMsg()));
            e.getParamErrsList().forEach(p -> err.add("  " + p.getParamPath() + ": " + error(p.getErrCode(),
                    p.getErrMsg())));
            return new Lines(out, err);
        }
        if (!body.hasResponse()) {
            err.add("the agent answered with something that is not a response (" + body.getMsgBodyCase() + ")");
            return new Lines(out, err);
        }
        UspMsg.Response r = body.getResponse();
        switch (r.getRespTypeCase()) {
            case GET_RESP -> get(r.getGetResp(), out, err);
            case SET_RESP -> set(r.getSetResp(), out, err);
            case ADD_RESP -> add(r.getAddResp(), out, err);
            case DELETE_RESP -> delete(r.getDeleteResp(), out, err);
            case OPERATE_RESP -> operate(r.getOperateResp(), out, err);
            case GET_SUPPORTED_DM_RESP -> supportedDm(r.getGetSupportedDmResp(), out, err);
            case GET_INSTANCES_RESP -> instances(r.getGetInstancesResp(), out, err);
            case GET_SUPPORTED_PROTOCOL_RESP ->
                    out.add(r.getGetSupportedProtocolResp().getAgentSupportedProtocolVersions());
            default -> err.add("unexpected response type " + r.getRespTypeCase());
        }
        return new Lines(out, err);
    }

    /** {@code error 7026 (invalid path): message}. */
    public static String error(int code, String message) {
        String name = name(code);
        return "error " + code + (name.isEmpty() ? "" : " (" + name + ")")
                + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    static String name(int code) {
        if (code >= 7800 && code <= 7999) {
            return "vendor-specific";
        }
        try {
            return ErrorCode.of(code).name().replace('_', ' ').toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static void get(UspMsg.GetResp resp, List<String> out, List<String> err) {
        for (UspMsg.GetResp.RequestedPathResult rp : resp.getReqPathResultsList()) {
            if (rp.getErrCode() != 0) {
                err.add(rp.getRequestedPath() + ": " + error(rp.getErrCode(), rp.getErrMsg()));
                continue;
            }
            for (UspMsg.GetResp.ResolvedPathResult res : rp.getResolvedPathResultsList()) {
                if (res.getResultParamsCount() == 0) {
                    out.add(res.getResolvedPath());
                }
                res.getResultParamsMap().forEach((k, v) -> out.add(res.getResolvedPath() + k + " = " + v));
            }
        }
    }

    private static void set(UspMsg.SetResp resp, List<String> out, List<String> err) {
        for (UspMsg.SetResp.UpdatedObjectResult o : resp.getUpdatedObjResultsList()) {
            UspMsg.SetResp.UpdatedObjectResult.OperationStatus s = o.getOperStatus();
            if (s.hasOperFailure()) {
                var f = s.getOperFailure();
                err.add(o.getRequestedPath() + ": " + error(f.getErrCode(), f.getErrMsg()));
                for (UspMsg.SetResp.UpdatedInstanceFailure inst : f.getUpdatedInstFailuresList()) {
                    inst.getParamErrsList().forEach(p -> err.add("  " + inst.getAffectedPath() + p.getParam()
                            + ": " + error(p.getErrCode(), p.getErrMsg())));
                }
                continue;
            }
            for (UspMsg.SetResp.UpdatedInstanceResult inst : s.getOperSuccess().getUpdatedInstResultsList()) {
                inst.getUpdatedParamsMap().forEach((k, v) -> out.add(inst.getAffectedPath() + k + " = " + v));
                inst.getParamErrsList().forEach(p -> err.add(inst.getAffectedPath() + p.getParam() + ": "
                        + error(p.getErrCode(), p.getErrMsg())));
            }
        }
    }

    private static void add(UspMsg.AddResp resp, List<String> out, List<String> err) {
        for (UspMsg.AddResp.CreatedObjectResult o : resp.getCreatedObjResultsList()) {
            var s = o.getOperStatus();
            if (s.hasOperFailure()) {
                err.add(o.getRequestedPath() + ": " + error(s.getOperFailure().getErrCode(),
                        s.getOperFailure().getErrMsg()));
                continue;
            }
            var ok = s.getOperSuccess();
            out.add(ok.getInstantiatedPath());
            ok.getUniqueKeysMap().forEach((k, v) -> out.add(ok.getInstantiatedPath() + k + " = " + v));
            ok.getParamErrsList().forEach(p -> err.add(ok.getInstantiatedPath() + p.getParam() + ": "
                    + error(p.getErrCode(), p.getErrMsg())));
        }
    }

    private static void delete(UspMsg.DeleteResp resp, List<String> out, List<String> err) {
        for (UspMsg.DeleteResp.DeletedObjectResult o : resp.getDeletedObjResultsList()) {
            var s = o.getOperStatus();
            if (s.hasOperFailure()) {
                err.add(o.getRequestedPath() + ": " + error(s.getOperFailure().getErrCode(),
                        s.getOperFailure().getErrMsg()));
                continue;
            }
            out.addAll(s.getOperSuccess().getAffectedPathsList());
            s.getOperSuccess().getUnaffectedPathErrsList().forEach(u -> err.add(u.getUnaffectedPath() + ": "
                    + error(u.getErrCode(), u.getErrMsg())));
        }
    }

    private static void operate(UspMsg.OperateResp resp, List<String> out, List<String> err) {
        for (UspMsg.OperateResp.OperationResult r : resp.getOperationResultsList()) {
            String cmd = r.getExecutedCommand();
            switch (r.getOperationRespCase()) {
                case REQ_OBJ_PATH -> out.add(cmd + ": running as " + r.getReqObjPath()
                        + " (its result comes as an OperationComplete notification)");
                case REQ_OUTPUT_ARGS -> {
                    Map<String, String> args = r.getReqOutputArgs().getOutputArgsMap();
                    if (args.isEmpty()) {
                        out.add(cmd + ": done");
                    }
                    args.forEach((k, v) -> out.add(cmd + " " + k + " = " + v));
                }
                case CMD_FAILURE -> err.add(cmd + ": " + error(r.getCmdFailure().getErrCode(),
                        r.getCmdFailure().getErrMsg()));
                default -> err.add(cmd + ": the agent gave no result");
            }
        }
    }

    private static void supportedDm(GetSupportedDMResp resp, List<String> out, List<String> err) {
        for (GetSupportedDMResp.RequestedObjectResult req : resp.getReqObjResultsList()) {
            if (req.getErrCode() != 0) {
                err.add(req.getReqObjPath() + ": " + error(req.getErrCode(), req.getErrMsg()));
                continue;
            }
            for (GetSupportedDMResp.SupportedObjectResult o : req.getSupportedObjsList()) {
                String p = o.getSupportedObjPath();
                out.add(p + "  " + (o.getIsMultiInstance() ? "table " + objectAccess(o.getAccess()) : "object"));
                for (GetSupportedDMResp.SupportedParamResult sp : o.getSupportedParamsList()) {
                    out.add(p + sp.getParamName() + "  " + valueType(sp.getValueType()) + " "
                            + paramAccess(sp.getAccess())
                            + (sp.getValueChange() == GetSupportedDMResp.ValueChangeType.VALUE_CHANGE_WILL_IGNORE
                                    ? " (ValueChange ignored)" : ""));
                }
                for (GetSupportedDMResp.SupportedCommandResult c : o.getSupportedCommandsList()) {
                    out.add(p + c.getCommandName() + "  command " + commandType(c.getCommandType())
                            + args(" in: ", c.getInputArgNamesList()) + args(" out: ", c.getOutputArgNamesList()));
                }
                for (GetSupportedDMResp.SupportedEventResult e : o.getSupportedEventsList()) {
                    out.add(p + e.getEventName() + "  event" + args(" args: ", e.getArgNamesList()));
                }
                for (GetSupportedDMResp.SupportedUniqueKeySet k : o.getUniqueKeySetsList()) {
                    out.add(p + "  unique key: " + String.join(", ", k.getKeyNamesList()));
                }
                for (String d : o.getDivergentPathsList()) {
                    out.add(p + "  divergent: " + d);
                }
            }
        }
    }

    private static String args(String label, List<String> names) {
        return names.isEmpty() ? "" : label + String.join(", ", names);
    }

    private static String objectAccess(GetSupportedDMResp.ObjAccessType a) {
        return switch (a) {
            case OBJ_ADD_DELETE -> "add-delete";
            case OBJ_ADD_ONLY -> "add-only";
            case OBJ_DELETE_ONLY -> "delete-only";
            default -> "read-only";
        };
    }

    private static String paramAccess(GetSupportedDMResp.ParamAccessType a) {
        return switch (a) {
            case PARAM_READ_WRITE -> "read-write";
            case PARAM_WRITE_ONLY -> "write-only";
            default -> "read-only";
        };
    }

    private static String valueType(GetSupportedDMResp.ParamValueType t) {
        return switch (t) {
            case PARAM_BASE_64 -> "base64";
            case PARAM_BOOLEAN -> "boolean";
            case PARAM_DATE_TIME -> "dateTime";
            case PARAM_DECIMAL -> "decimal";
            case PARAM_HEX_BINARY -> "hexBinary";
            case PARAM_INT -> "int";
            case PARAM_LONG -> "long";
            case PARAM_STRING -> "string";
            case PARAM_UNSIGNED_INT -> "unsignedInt";
            case PARAM_UNSIGNED_LONG -> "unsignedLong";
            default -> "unknown";
        };
    }

    private static String commandType(GetSupportedDMResp.CmdType t) {
        return switch (t) {
            case CMD_SYNC -> "sync";
            case CMD_ASYNC -> "async";
            default -> "";
        };
    }

    private static void instances(UspMsg.GetInstancesResp resp, List<String> out, List<String> err) {
        for (UspMsg.GetInstancesResp.RequestedPathResult rp : resp.getReqPathResultsList()) {
            if (rp.getErrCode() != 0) {
                err.add(rp.getRequestedPath() + ": " + error(rp.getErrCode(), rp.getErrMsg()));
                continue;
            }
            for (UspMsg.GetInstancesResp.CurrInstance i : rp.getCurrInstsList()) {
                out.add(i.getInstantiatedObjPath());
                i.getUniqueKeysMap().forEach((k, v) -> out.add(i.getInstantiatedObjPath() + k + " = " + v));
            }
        }
    }

    /** A Notify as one line (time first), for {@code usp-ctl subscribe}. */
    public static String notification(UspMsg.Notify n) {
        return switch (n.getNotificationCase()) {
            case VALUE_CHANGE -> "ValueChange " + n.getValueChange().getParamPath() + " = "
                    + n.getValueChange().getParamValue();
            case OBJ_CREATION -> "ObjectCreation " + n.getObjCreation().getObjPath()
                    + keys(n.getObjCreation().getUniqueKeysMap());
            case OBJ_DELETION -> "ObjectDeletion " + n.getObjDeletion().getObjPath();
            case EVENT -> "Event " + n.getEvent().getObjPath() + n.getEvent().getEventName()
                    + keys(n.getEvent().getParamsMap());
            case OPER_COMPLETE -> {
                UspMsg.Notify.OperationComplete oc = n.getOperComplete();
                String head = "OperationComplete " + oc.getObjPath() + oc.getCommandName()
                        + (oc.getCommandKey().isEmpty() ? "" : " key " + oc.getCommandKey());
                yield oc.hasCmdFailure() ? head + " " + error(oc.getCmdFailure().getErrCode(),
                        oc.getCmdFailure().getErrMsg()) : head + keys(oc.getReqOutputArgs().getOutputArgsMap());
            }
            case ON_BOARD_REQ -> "OnBoardRequest oui " + n.getOnBoardReq().getOui() + ", product class "
                    + n.getOnBoardReq().getProductClass() + ", serial number " + n.getOnBoardReq().getSerialNumber()
                    + ", versions " + n.getOnBoardReq().getAgentSupportedProtocolVersions();
            default -> "Notify without a notification (subscription " + n.getSubscriptionId() + ")";
        };
    }

    private static String keys(Map<String, String> m) {
        return m.isEmpty() ? "" : " " + m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
