package io.uspbridge.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.uspbridge.model.DataModel;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.security.AccessControl;
import io.uspbridge.security.Permissions;
import io.uspbridge.wire.OutgoingMsg;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Drives the message layer the way the record layer does, with real encodings: a request Msg is encoded to bytes,
 * parsed back, handed to the dispatcher, and its answer encoded and parsed again — so what a test asserts is exactly
 * what would cross the wire.
 */
final class UspExchange {
    static final String CONTROLLER = "proto::controller-1";

    final DataModel model;
    final MessageDispatcher dispatcher;
    private int nextId;

    /** Everything allowed (the agent's own view), handlers continuing on the calling thread. */
    UspExchange(DataModel model) {
        this(model, MessageSettings.defaults(), e -> Permissions.ALL, Runnable::run);
    }

    UspExchange(DataModel model, MessageSettings settings) {
        this(model, settings, e -> Permissions.ALL, Runnable::run);
    }

    /** Permissions from the model's ControllerTrust roles. */
    UspExchange(DataModel model, AccessControl access) {
        this(model, MessageSettings.defaults(), access::forController, Runnable::run);
    }

    UspExchange(DataModel model, MessageSettings settings, Function<String, Permissions> permissions,
            Executor loop) {
        this.model = model;
        this.dispatcher = MessageHandlers.register(new MessageDispatcher(permissions), model, settings, loop);
    }

    /** Sends a request from {@link #CONTROLLER} and returns the answer as received. */
    UspMsg.Msg send(UspMsg.Request request) {
        return send(CONTROLLER, request);
    }

    UspMsg.Msg send(String controller, UspMsg.Request request) {
        return await(sendAsync(controller, request));
    }

    CompletableFuture<UspMsg.Msg> sendAsync(String controller, UspMsg.Request request) {
        String msgId = "m" + (++nextId);
        return sendBytes(controller, Messages.request(msgId, typeOf(request), request).toByteArray());
    }

    CompletableFuture<UspMsg.Msg> sendBytes(String controller, byte[] bytes) {
        UspMsg.Msg parsed;
        try {
            parsed = UspMsg.Msg.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        return dispatcher.answer(parsed, controller).toCompletableFuture().thenApply(UspExchange::received);
    }

    static UspMsg.Msg await(CompletableFuture<UspMsg.Msg> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer: " + e, e);
        }
    }

    /**
     * The answer as the controller parses it; its bytes must be exactly what protobuf-java writes for that Msg
     * (a GetResp is written by the agent itself, GetRespWriter), so every test through here checks that too.
     */
    private static UspMsg.Msg received(OutgoingMsg m) {
        if (m == null) {
            return null;
        }
        byte[] bytes = m.toByteArray();
        assertThat(bytes).hasSize(m.size());
        try {
            UspMsg.Msg parsed = UspMsg.Msg.parseFrom(bytes);
            assertThat(parsed.toByteArray()).as("the bytes protobuf-java writes for %s", parsed).isEqualTo(bytes);
            assertThat(parsed.getHeader().getMsgId()).isEqualTo(m.msgId());
            return parsed;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    // ---- answers ----------------------------------------------------------------------------------------------

    static UspMsg.Response response(UspMsg.Msg m) {
        assertThat(m.getBody().getMsgBodyCase()).as("expected a response, got %s", m).isEqualTo(
                UspMsg.Body.MsgBodyCase.RESPONSE);
        assertThat(m.getHeader().getMsgType()).isEqualTo(Messages.responseType(m.getBody().getResponse()));
        return m.getBody().getResponse();
    }

    static UspMsg.Error error(UspMsg.Msg m) {
        assertThat(m.getBody().getMsgBodyCase()).as("expected an Error, got %s", m).isEqualTo(
                UspMsg.Body.MsgBodyCase.ERROR);
        assertThat(m.getHeader().getMsgType()).isEqualTo(MsgType.ERROR);
        return m.getBody().getError();
    }

    UspMsg.GetResp get(String... paths) {
        return response(send(get(0, paths))).getGetResp();
    }

    UspMsg.GetInstancesResp getInstances(boolean firstLevelOnly, String... paths) {
        return response(send(UspMsg.Request.newBuilder().setGetInstances(UspMsg.GetInstances.newBuilder()
                .addAllObjPaths(Arrays.asList(paths)).setFirstLevelOnly(firstLevelOnly)).build()))
                .getGetInstancesResp();
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    static UspMsg.Request get(int maxDepth, String... paths) {
        return UspMsg.Request.newBuilder().setGet(UspMsg.Get.newBuilder().addAllParamPaths(Arrays.asList(paths))
                .setMaxDepth(maxDepth)).build();
    }

    static UspMsg.Request gsdm(boolean firstLevelOnly, boolean all, String... paths) {
        return UspMsg.Request.newBuilder().setGetSupportedDm(UspMsg.GetSupportedDM.newBuilder()
                .addAllObjPaths(Arrays.asList(paths)).setFirstLevelOnly(firstLevelOnly).setReturnCommands(all)
                .setReturnEvents(all).setReturnParams(all).setReturnUniqueKeySets(all)).build();
    }

    /** {@code param, value, required("true"/"false")} triples. */
    static UspMsg.Set.UpdateObject update(String objPath, String... settings) {
        UspMsg.Set.UpdateObject.Builder u = UspMsg.Set.UpdateObject.newBuilder().setObjPath(objPath);
        for (int i = 0; i < settings.length; i += 3) {
            u.addParamSettings(UspMsg.Set.UpdateParamSetting.newBuilder().setParam(settings[i])
                    .setValue(settings[i + 1]).setRequired(Boolean.parseBoolean(settings[i + 2])));
        }
        return u.build();
    }

    static UspMsg.Request set(boolean allowPartial, UspMsg.Set.UpdateObject... objects) {
        return UspMsg.Request.newBuilder().setSet(UspMsg.Set.newBuilder().setAllowPartial(allowPartial)
                .addAllUpdateObjs(Arrays.asList(objects))).build();
    }

    /** {@code param, value, required("true"/"false")} triples. */
    static UspMsg.Add.CreateObject create(String objPath, String... settings) {
        UspMsg.Add.CreateObject.Builder c = UspMsg.Add.CreateObject.newBuilder().setObjPath(objPath);
        for (int i = 0; i < settings.length; i += 3) {
            c.addParamSettings(UspMsg.Add.CreateParamSetting.newBuilder().setParam(settings[i])
                    .setValue(settings[i + 1]).setRequired(Boolean.parseBoolean(settings[i + 2])));
        }
        return c.build();
    }

    static UspMsg.Request add(boolean allowPartial, UspMsg.Add.CreateObject... objects) {
        return UspMsg.Request.newBuilder().setAdd(UspMsg.Add.newBuilder().setAllowPartial(allowPartial)
                .addAllCreateObjs(Arrays.asList(objects))).build();
    }

    static UspMsg.Request delete(boolean allowPartial, String... paths) {
        return UspMsg.Request.newBuilder().setDelete(UspMsg.Delete.newBuilder().setAllowPartial(allowPartial)
                .addAllObjPaths(Arrays.asList(paths))).build();
    }

    static MsgType typeOf(UspMsg.Request r) {
        return switch (r.getReqTypeCase()) {
            case GET -> MsgType.GET;
            case GET_SUPPORTED_DM -> MsgType.GET_SUPPORTED_DM;
            case GET_INSTANCES -> MsgType.GET_INSTANCES;
            case SET -> MsgType.SET;
            case ADD -> MsgType.ADD;
            case DELETE -> MsgType.DELETE;
            case OPERATE -> MsgType.OPERATE;
            case NOTIFY -> MsgType.NOTIFY;
            case GET_SUPPORTED_PROTOCOL -> MsgType.GET_SUPPORTED_PROTO;
            case REGISTER -> MsgType.REGISTER;
            case DEREGISTER -> MsgType.DEREGISTER;
            case REQTYPE_NOT_SET -> MsgType.GET;
        };
    }
}
