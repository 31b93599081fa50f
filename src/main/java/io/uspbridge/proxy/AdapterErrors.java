package io.uspbridge.proxy;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.proxy.spi.AdapterException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Turns an adapter's failure into the USP error a controller gets. Set and Operate allow different codes (6.6 item
 * 6, 6.8 item 9), so each has its own column:
 *
 * <pre>
 *   reason           Set (param_errs)                 Operate (cmd_failure)
 *   INVALID_VALUE    7012 invalid value               7004 invalid arguments
 *   TIMEOUT          7009 parameter action failed     7022 command failure
 *   REJECTED         7009 parameter action failed     7022 command failure
 *   UNKNOWN_DEVICE   7009 parameter action failed     7016 object does not exist
 *   DISCONNECTED     7003 internal error              7003 internal error
 *   NOT_SUPPORTED    7002 request denied              7002 request denied
 * </pre>
 *
 * A timeout is the device's silence (PRX guidance: 7009 for the parameter); an adapter whose own link (broker,
 * stick) is down is a failure of the hub itself (7003), whatever the device; a device that the adapter no longer
 * knows is gone for a command (7016), and for a Set its parameter simply could not be written. Anything that is
 * not an {@link AdapterException} is an adapter bug: 7003, logged.
 */
final class AdapterErrors {
    private static final Logger LOG = Logger.getLogger(AdapterErrors.class.getName());

    private AdapterErrors() {
    }

    /** The error of a failed write of a control's {@code Value} (Set). */
    static ModelException forWrite(Throwable failure, String what) {
        return map(failure, what, reason -> switch (reason) {
            case INVALID_VALUE -> ErrorCode.INVALID_VALUE;
            case TIMEOUT, REJECTED, UNKNOWN_DEVICE -> ErrorCode.PARAMETER_ACTION_FAILED;
            case DISCONNECTED -> ErrorCode.INTERNAL_ERROR;
            case NOT_SUPPORTED -> ErrorCode.REQUEST_DENIED;
        });
    }

    /** The error of a failed capability or adapter command (Operate). */
    static ModelException forCommand(Throwable failure, String what) {
        return map(failure, what, reason -> switch (reason) {
            case INVALID_VALUE -> ErrorCode.INVALID_ARGUMENTS;
            case TIMEOUT, REJECTED -> ErrorCode.COMMAND_FAILURE;
            case UNKNOWN_DEVICE -> ErrorCode.OBJECT_DOES_NOT_EXIST;
            case DISCONNECTED -> ErrorCode.INTERNAL_ERROR;
            case NOT_SUPPORTED -> ErrorCode.REQUEST_DENIED;
        });
    }

    /** A ModelException passes as it is; an AdapterException gets its column's code; anything else is a bug: 7003. */
    private static ModelException map(Throwable failure, String what,
            Function<AdapterException.Reason, ErrorCode> column) {
        Throwable f = unwrap(failure);
        if (f instanceof ModelException m) {
            return m;
        }
        if (!(f instanceof AdapterException a)) {
            LOG.warning(what + " failed inside the adapter: " + f);
            return new ModelException(ErrorCode.INTERNAL_ERROR, what + " failed inside the adapter: "
                    + f.getClass().getSimpleName());
        }
        return new ModelException(column.apply(a.reason()), what + ": " + a.getMessage());
    }

    static Throwable unwrap(Throwable t) {
        Throwable f = t;
        while ((f instanceof CompletionException || f instanceof ExecutionException) && f.getCause() != null) {
            f = f.getCause();
        }
        return f;
    }
}
