package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.record.MessageSink;
import io.uspbridge.security.Permissions;
import io.uspbridge.wire.OutgoingMsg;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes each Msg from a controller to the handler of its request type and turns the outcome into exactly one
 * response or Error (R-MSG.0): a handler's {@link UspErrorException} or {@link ModelException} becomes an Error
 * message with that code; anything unexpected becomes 7003 and one log line. NotifyResp and Error replies to the
 * agent's own Notify go to the notification engine.
 */
public final class MessageDispatcher implements MessageSink {
    private static final Logger LOG = Logger.getLogger(MessageDispatcher.class.getName());

    private final Map<UspMsg.Request.ReqTypeCase, RequestHandler> handlers =
            new EnumMap<>(UspMsg.Request.ReqTypeCase.class);
    private final Function<String, Permissions> permissions;
    private NotifyResponses notifyResponses = NotifyResponses.NONE;

    /** @param permissions the permissions of a controller by Endpoint ID (AccessControl::forController) */
    public MessageDispatcher(Function<String, Permissions> permissions) {
        this.permissions = permissions;
    }

    public MessageDispatcher register(UspMsg.Request.ReqTypeCase type, RequestHandler handler) {
        handlers.put(type, handler);
        return this;
    }

    public void setNotifyResponses(NotifyResponses notifyResponses) {
        this.notifyResponses = notifyResponses;
    }

    /** The answer parsed back into a Msg (tests, tools); the record layer uses {@link #answer}. */
    @Override
    public CompletionStage<UspMsg.Msg> onMessage(UspMsg.Msg msg, String from) {
        return answer(msg, from).thenApply(m -> m == null ? null : m.parse());
    }

    @Override
    public CompletionStage<OutgoingMsg> answer(UspMsg.Msg msg, String from) {
        String msgId = msg.getHeader().getMsgId();
        if (msgId.isEmpty()) {
            LOG.info(() -> "a Msg without msg_id from " + from + " was dropped (R-MSG.8)");
            return done(null);
        }
        if (!msg.hasHeader() || !msg.hasBody()) {
            return done(Messages.error(msgId, ErrorCode.INVALID_ARGUMENTS, "a Msg needs a header and a body"));
        }
        UspMsg.Body body = msg.getBody();
        return switch (body.getMsgBodyCase()) {
            case REQUEST -> onRequest(body.getRequest(), msgId, from);
            case RESPONSE -> {
                if (body.getResponse().hasNotifyResp()) {
                    notifyResponses.onNotifyResponse(from, msgId);
                } else {
                    LOG.fine(() -> "unexpected " + body.getResponse().getRespTypeCase() + " from " + from + " ignored");
                }
                yield done(null);
            }
            case ERROR -> {
                notifyResponses.onNotifyError(from, msgId, body.getError().getErrCode(), body.getError().getErrMsg());
                yield done(null);
            }
            case MSGBODY_NOT_SET -> done(Messages.error(msgId, ErrorCode.INVALID_ARGUMENTS,
                    "the Msg body carries no request, response or error (R-ENC.5)"));
        };
    }

    private CompletionStage<OutgoingMsg> onRequest(UspMsg.Request request, String msgId, String from) {
        UspMsg.Request.ReqTypeCase type = request.getReqTypeCase();
        if (type == UspMsg.Request.ReqTypeCase.REQTYPE_NOT_SET) {
            // An unknown request type from a newer protocol version arrives as unknown fields (R-MSG.1).
            return request.getUnknownFields().asMap().isEmpty()
                    ? done(Messages.error(msgId, ErrorCode.INVALID_ARGUMENTS, "the request has no type (R-ENC.5)"))
                    : done(Messages.error(msgId, ErrorCode.MESSAGE_NOT_SUPPORTED, "unknown request type"));
        }
        RequestHandler handler = handlers.get(type);
        if (handler == null) {
            return done(Messages.error(msgId, ErrorCode.MESSAGE_NOT_SUPPORTED,
                    type.name().toLowerCase() + " is not supported by this agent"));
        }
        RequestContext ctx = new RequestContext(from, permissions.apply(from), msgId);
        CompletionStage<OutgoingMsg> outcome;
        try {
            outcome = handler.answer(request, ctx);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.handle((response, failure) -> {
            return failure == null ? response : OutgoingMsg.of(errorFor(msgId, type, from, failure));
        });
    }

    private static UspMsg.Msg errorFor(String msgId, UspMsg.Request.ReqTypeCase type, String from, Throwable failure) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (f instanceof UspErrorException e) {
            return Messages.error(msgId, Messages.error(e));
        }
        if (f instanceof ModelException e) {
            return Messages.error(msgId, e.error(), e.getMessage());
        }
        LOG.log(Level.SEVERE, type + " " + msgId + " from " + from + " failed unexpectedly", f);
        return Messages.error(msgId, ErrorCode.INTERNAL_ERROR, "internal error while processing the request");
    }

    private static CompletionStage<OutgoingMsg> done(UspMsg.Msg msg) {
        return CompletableFuture.completedFuture(OutgoingMsg.of(msg));
    }
}
