package io.uspbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test controller over a real broker: {@link ControllerClient} with the requests these tests send (Add, Set,
 * Delete, Get, Operate) and the Notifies it received.
 */
public final class UspController implements AutoCloseable {
    public final ControllerClient client;
    final List<UspMsg.Msg> notifies = new CopyOnWriteArrayList<>();

    public UspController(ControllerClient client) {
        this.client = client;
        client.onNotify(notifies::add);
    }

    public UspMsg.Msg send(MsgType type, UspMsg.Request request) throws Exception {
        return ControllerClient.await(client.request(type, request));
    }

    /** Adds one row, {@code params} as name/value pairs; returns its instance path. */
    public String add(String table, String... params) throws Exception {
        UspMsg.Add.CreateObject.Builder co = UspMsg.Add.CreateObject.newBuilder().setObjPath(table);
        for (int i = 0; i + 1 < params.length; i += 2) {
            co.addParamSettings(UspMsg.Add.CreateParamSetting.newBuilder().setParam(params[i]).setValue(params[i + 1])
                    .setRequired(true));
        }
        UspMsg.Msg r = send(MsgType.ADD, UspMsg.Request.newBuilder()
                .setAdd(UspMsg.Add.newBuilder().setAllowPartial(false).addCreateObjs(co)).build());
        assertThat(r.getBody().getResponse().hasAddResp()).as("AddResp: " + r).isTrue();
        return r.getBody().getResponse().getAddResp().getCreatedObjResults(0).getOperStatus().getOperSuccess()
                .getInstantiatedPath();
    }

    /** Adds a subscription (Enable=true, ID, NotifType, ReferenceList, then {@code more} pairs). */
    public String subscribe(String id, String type, String refs, String... more) throws Exception {
        List<String> p = new ArrayList<>(List.of("Enable", "true", "ID", id, "NotifType", type, "ReferenceList", refs));
        p.addAll(List.of(more));
        return add("Device.LocalAgent.Subscription.", p.toArray(String[]::new));
    }

    /** Sets one parameter ({@code Device.X.Y.Name}); returns the response (SetResp or Error). */
    public UspMsg.Msg set(String paramPath, String value) throws Exception {
        int dot = paramPath.lastIndexOf('.');
        return send(MsgType.SET, UspMsg.Request.newBuilder().setSet(UspMsg.Set.newBuilder().setAllowPartial(false)
                .addUpdateObjs(UspMsg.Set.UpdateObject.newBuilder().setObjPath(paramPath.substring(0, dot + 1))
                        .addParamSettings(UspMsg.Set.UpdateParamSetting.newBuilder()
                                .setParam(paramPath.substring(dot + 1)).setValue(value).setRequired(true))))
                .build());
    }

    public void setOk(String paramPath, String value) throws Exception {
        UspMsg.Msg r = set(paramPath, value);
        assertThat(r.getBody().getResponse().hasSetResp()).as("SetResp: " + r).isTrue();
    }

    public void delete(String path) throws Exception {
        UspMsg.Msg r = send(MsgType.DELETE, UspMsg.Request.newBuilder()
                .setDelete(UspMsg.Delete.newBuilder().setAllowPartial(false).addObjPaths(path)).build());
        assertThat(r.getBody().getResponse().hasDeleteResp()).as("DeleteResp: " + r).isTrue();
    }

    /** The values a Get of {@code path} returns, by full parameter path. */
    public Map<String, String> get(String path) throws Exception {
        UspMsg.Msg r = send(MsgType.GET, UspMsg.Request.newBuilder()
                .setGet(UspMsg.Get.newBuilder().addParamPaths(path)).build());
        Map<String, String> out = new LinkedHashMap<>();
        for (var rpr : r.getBody().getResponse().getGetResp().getReqPathResultsList()) {
            for (var res : rpr.getResolvedPathResultsList()) {
                res.getResultParamsMap().forEach((k, v) -> out.put(res.getResolvedPath() + k, v));
            }
        }
        return out;
    }

    public UspMsg.Msg operate(String command, String key, boolean sendResp, Map<String, String> args) throws Exception {
        return send(MsgType.OPERATE, UspMsg.Request.newBuilder().setOperate(UspMsg.Operate.newBuilder()
                .setCommand(command).setCommandKey(key).setSendResp(sendResp).putAllInputArgs(args)).build());
    }

    /** The Notifies received for one subscription_id, in arrival order (retries included). */
    public List<UspMsg.Msg> forSubscription(String id) {
        List<UspMsg.Msg> out = new ArrayList<>();
        for (UspMsg.Msg m : notifies) {
            if (m.getBody().getRequest().getNotify().getSubscriptionId().equals(id)) {
                out.add(m);
            }
        }
        return out;
    }

    /** One Notify per msg_id for a subscription (retries removed), in order of first arrival. */
    public List<UspMsg.Notify> distinct(String id) {
        Map<String, UspMsg.Notify> byId = new LinkedHashMap<>();
        for (UspMsg.Msg m : forSubscription(id)) {
            byId.putIfAbsent(m.getHeader().getMsgId(), m.getBody().getRequest().getNotify());
        }
        return new ArrayList<>(byId.values());
    }

    public List<UspMsg.Notify> onBoardRequests() {
        List<UspMsg.Notify> out = new ArrayList<>();
        for (UspMsg.Msg m : notifies) {
            if (m.getBody().getRequest().getNotify().hasOnBoardReq()) {
                out.add(m.getBody().getRequest().getNotify());
            }
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }
}
