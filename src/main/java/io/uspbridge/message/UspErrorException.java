package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import java.util.List;

/**
 * A request that fails as a whole: the dispatcher answers it with a USP Error message carrying this code, text and
 * (for Add/Set/Delete with allow_partial=false) the per-parameter errors with full paths (MSG-7).
 */
public class UspErrorException extends RuntimeException {

    /** One {@code Error.ParamError}: a full path, its code and its reason. */
    public record ParamError(String path, ErrorCode code, String message) {
    }

    private final ErrorCode code;
    private final List<ParamError> paramErrors;

    public UspErrorException(ErrorCode code, String message) {
        this(code, message, List.of());
    }

    public UspErrorException(ErrorCode code, String message, List<ParamError> paramErrors) {
        super(message, null, false, false);
        this.code = code;
        this.paramErrors = List.copyOf(paramErrors);
    }

    public ErrorCode code() {
        return code;
    }

    public List<ParamError> paramErrors() {
        return paramErrors;
    }
}
