package io.uspbridge.notify;

import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspMsg.Notify;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Builds the Notify messages of 6.9, with msg_ids unique to this run of the agent: a random prefix drawn at start
 * and a counter, so that a NotifyResp to a Notify of an earlier run can never confirm one of this run.
 */
final class NotifyMessages {
    private final String prefix;
    private long counter;

    NotifyMessages() {
        this.prefix = "notify-" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36) + "-";
    }

    private UspMsg.Msg msg(String subscriptionId, boolean sendResp, Notify.Builder body) {
        body.setSubscriptionId(subscriptionId).setSendResp(sendResp);
        return UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(prefix + (++counter)).setMsgType(MsgType.NOTIFY))
                .setBody(UspMsg.Body.newBuilder().setRequest(UspMsg.Request.newBuilder().setNotify(body)))
                .build();
    }

    UspMsg.Msg valueChange(String subscriptionId, boolean sendResp, String paramPath, String value) {
        return msg(subscriptionId, sendResp, Notify.newBuilder().setValueChange(
                Notify.ValueChange.newBuilder().setParamPath(paramPath).setParamValue(value)));
    }

    UspMsg.Msg objectCreation(String subscriptionId, boolean sendResp, String objPath, Map<String, String> keys) {
        return msg(subscriptionId, sendResp, Notify.newBuilder().setObjCreation(
                Notify.ObjectCreation.newBuilder().setObjPath(objPath).putAllUniqueKeys(keys)));
    }

    UspMsg.Msg objectDeletion(String subscriptionId, boolean sendResp, String objPath) {
        return msg(subscriptionId, sendResp, Notify.newBuilder().setObjDeletion(
                Notify.ObjectDeletion.newBuilder().setObjPath(objPath)));
    }

    UspMsg.Msg event(String subscriptionId, boolean sendResp, String objPath, String eventName,
            Map<String, String> params) {
        return msg(subscriptionId, sendResp, Notify.newBuilder().setEvent(
                Notify.Event.newBuilder().setObjPath(objPath).setEventName(eventName).putAllParams(params)));
    }

    /** OperationComplete with output arguments (success) or, when {@code errCode} is not 0, a failure. */
    UspMsg.Msg operationComplete(String subscriptionId, boolean sendResp, String objPath, String commandName,
            String commandKey, Map<String, String> outputArgs, int errCode, String errMsg) {
        Notify.OperationComplete.Builder oc = Notify.OperationComplete.newBuilder().setObjPath(objPath)
                .setCommandName(commandName).setCommandKey(commandKey);
        if (errCode != 0) {
            oc.setCmdFailure(Notify.OperationComplete.CommandFailure.newBuilder().setErrCode(errCode)
                    .setErrMsg(errMsg));
        } else {
            oc.setReqOutputArgs(Notify.OperationComplete.OutputArgs.newBuilder().putAllOutputArgs(outputArgs));
        }
        return msg(subscriptionId, sendResp, Notify.newBuilder().setOperComplete(oc));
    }

    /** OnBoardRequest: no subscription (subscription_id ""), always send_resp=true (NOT-1, NOT-2). */
    UspMsg.Msg onBoardRequest(String oui, String productClass, String serialNumber, String versions) {
        return msg("", true, Notify.newBuilder().setOnBoardReq(Notify.OnBoardRequest.newBuilder().setOui(oui)
                .setProductClass(productClass).setSerialNumber(serialNumber)
                .setAgentSupportedProtocolVersions(versions)));
    }
}
