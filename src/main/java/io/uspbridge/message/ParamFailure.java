package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;

/**
 * A parameter of a Set or Add that could not be set.
 *
 * @param param   the name as the controller wrote it, relative to the object (ParameterError.param)
 * @param path    the full path (Error.ParamError.param_path, MSG-7)
 * @param code    why
 * @param message the reason, for err_msg
 */
record ParamFailure(String param, String path, ErrorCode code, String message) {

    static ParamFailure of(String param, String path, ModelException e) {
        return new ParamFailure(param, path, e.error(), e.getMessage());
    }

    UspErrorException.ParamError toParamError() {
        return new UspErrorException.ParamError(path, code, message);
    }
}
