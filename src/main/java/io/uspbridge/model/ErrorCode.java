package io.uspbridge.model;

/**
 * The USP error codes (TR-369 "Error Codes", digest section 8) that the data model and the layers above it raise.
 * The model owns them because they describe data-model outcomes (invalid type, non-writable parameter, duplicate
 * key); the message layer decides where each one goes on the wire.
 */
public enum ErrorCode {
    MESSAGE_FAILED(7000),
    MESSAGE_NOT_SUPPORTED(7001),
    REQUEST_DENIED(7002),
    INTERNAL_ERROR(7003),
    INVALID_ARGUMENTS(7004),
    RESOURCES_EXCEEDED(7005),
    PERMISSION_DENIED(7006),
    INVALID_CONFIGURATION(7007),
    INVALID_PATH_SYNTAX(7008),
    PARAMETER_ACTION_FAILED(7009),
    UNSUPPORTED_PARAMETER(7010),
    INVALID_TYPE(7011),
    INVALID_VALUE(7012),
    NOT_WRITABLE(7013),
    VALUE_CONFLICT(7014),
    OPERATION_ERROR(7015),
    OBJECT_DOES_NOT_EXIST(7016),
    OBJECT_NOT_CREATED(7017),
    NOT_A_TABLE(7018),
    NOT_CREATABLE(7019),
    OBJECT_NOT_UPDATED(7020),
    REQUIRED_PARAMETER_FAILED(7021),
    COMMAND_FAILURE(7022),
    COMMAND_CANCELED(7023),
    DELETE_FAILURE(7024),
    DUPLICATE_KEY(7025),
    INVALID_PATH(7026),
    INVALID_COMMAND_ARGUMENTS(7027),
    REGISTER_FAILURE(7028),
    ALREADY_IN_USE(7029),
    DEREGISTER_FAILURE(7030),
    PATH_ALREADY_REGISTERED(7031),
    // Record layer (R-MTP.5, R-E2E.6a/6b)
    RECORD_NOT_PARSED(7100),
    SECURE_SESSION_REQUIRED(7101),
    SECURE_SESSION_NOT_SUPPORTED(7102),
    SAR_NOT_SUPPORTED(7103),
    INVALID_RECORD_VALUE(7104),
    SESSION_CONTEXT_TERMINATED(7105),
    SESSION_CONTEXT_NOT_ALLOWED(7106);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("not a known USP error code: " + code);
    }
}
