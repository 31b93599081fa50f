package io.uspbridge.message;

import io.uspbridge.model.CommandDef;
import io.uspbridge.model.CommandHandler;
import io.uspbridge.model.ObjectNode;
import java.util.Map;

/**
 * Where Operate hands an asynchronous command (OPR-3): the Request table of the notification layer, which creates
 * the {@code Device.LocalAgent.Request.{i}} row, runs the command and reports its end with OperationComplete.
 */
public interface AsyncCommands {

    /**
     * Creates the Request row for one invocation and starts {@code handler} once the OperateResp has gone out.
     *
     * @param inputArgs validated input arguments, defaults applied (relative names)
     * @return the Request row's instance path, for {@code req_obj_path}
     * @throws io.uspbridge.model.ModelException when the invocation cannot start (7005: the same controller already
     *                                           runs this command with this command_key)
     */
    String start(ObjectNode object, CommandDef command, Map<String, String> inputArgs, String commandKey,
            String originator, CommandHandler handler);
}
