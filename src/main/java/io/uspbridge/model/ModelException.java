package io.uspbridge.model;

/**
 * A data-model operation that failed with a definite USP error code. Expected outcomes (an invalid value, a missing
 * object) are reported this way, without a stack trace: the message layer turns them into the right response.
 */
public class ModelException extends RuntimeException {
    private final ErrorCode error;

    public ModelException(ErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ErrorCode error() {
        return error;
    }

    public int code() {
        return error.code();
    }
}
