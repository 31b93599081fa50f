package io.uspbridge.message;

import io.uspbridge.model.DataModel;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.SupportedPathResolver;
import io.uspbridge.proto.UspMsg.Request.ReqTypeCase;
import java.util.concurrent.Executor;

/**
 * Puts the request handlers of section 6 on a dispatcher: the one place that shows which message is handled by
 * which class. Operate and Notify-related handling is added by the notification layer.
 */
public final class MessageHandlers {

    private MessageHandlers() {
    }

    /**
     * @param loop the agent loop: where a Set continues once the devices answered (their acknowledgements arrive on
     *             other threads)
     */
    public static MessageDispatcher register(MessageDispatcher dispatcher, DataModel model, MessageSettings settings,
            Executor loop) {
        PathResolver paths = new PathResolver(model);
        return dispatcher
                .register(ReqTypeCase.GET, new GetHandler(paths, settings))
                .register(ReqTypeCase.GET_INSTANCES, new GetInstancesHandler(paths, settings))
                .register(ReqTypeCase.GET_SUPPORTED_DM,
                        new GetSupportedDmHandler(model, new SupportedPathResolver(model), settings))
                .register(ReqTypeCase.GET_SUPPORTED_PROTOCOL, new GetSupportedProtocolHandler(settings))
                .register(ReqTypeCase.SET, new SetHandler(model, paths, settings, loop))
                .register(ReqTypeCase.ADD, new AddHandler(model, paths, settings))
                .register(ReqTypeCase.DELETE, new DeleteHandler(model, paths, settings));
    }
}
