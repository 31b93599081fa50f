package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;

/** Builds the envelopes of Msgs the agent sends. */
public final class Messages {
    private Messages() {
    }

    public static UspMsg.Msg response(String msgId, UspMsg.Response response) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(responseType(response)))
                .setBody(UspMsg.Body.newBuilder().setResponse(response)).build();
    }

    public static UspMsg.Msg error(String msgId, ErrorCode code, String message) {
        return error(msgId, UspMsg.Error.newBuilder().setErrCode(code.code()).setErrMsg(message).build());
    }

    public static UspMsg.Msg error(String msgId, UspMsg.Error error) {
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(MsgType.ERROR))
                .setBody(UspMsg.Body.newBuilder().setError(error)).build();
    }

    public static UspMsg.Error error(UspErrorException e) {
        UspMsg.Error.Builder b = UspMsg.Error.newBuilder().setErrCode(e.code().code()).setErrMsg(e.getMessage());
        for (UspErrorException.ParamError pe : e.paramErrors()) {
            b.addParamErrs(UspMsg.Error.ParamError.newBuilder().setParamPath(pe.path())
                    .setErrCode(pe.code().code()).setErrMsg(pe.message()));
        }
        return b.build();
    }

    public static UspMsg.Msg request(String msgId, MsgType type, UspMsg.Request request) {
        return UspMsg.Msg.newBuilder().setHeader(UspMsg.Header.newBuilder().setMsgId(msgId).setMsgType(type))
                .setBody(UspMsg.Body.newBuilder().setRequest(request)).build();
    }

    /** The msg_type that matches a response body (R-MSG.10: the body decides). */
    public static MsgType responseType(UspMsg.Response r) {
        return switch (r.getRespTypeCase()) {
            case GET_RESP -> MsgType.GET_RESP;
            case GET_SUPPORTED_DM_RESP -> MsgType.GET_SUPPORTED_DM_RESP;
            case GET_INSTANCES_RESP -> MsgType.GET_INSTANCES_RESP;
            case SET_RESP -> MsgType.SET_RESP;
            case ADD_RESP -> MsgType.ADD_RESP;
            case DELETE_RESP -> MsgType.DELETE_RESP;
            case OPERATE_RESP -> MsgType.OPERATE_RESP;
            case NOTIFY_RESP -> MsgType.NOTIFY_RESP;
            case GET_SUPPORTED_PROTOCOL_RESP -> MsgType.GET_SUPPORTED_PROTO_RESP;
            case REGISTER_RESP -> MsgType.REGISTER_RESP;
            case DEREGISTER_RESP -> MsgType.DEREGISTER_RESP;
            case RESPTYPE_NOT_SET -> MsgType.ERROR;
        };
    }
}
