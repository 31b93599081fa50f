package io.uspbridge.message;

import io.uspbridge.model.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the request handlers behave where the spec leaves a choice, and the limits that keep a hostile or careless
 * request from making the agent do unbounded work on a Raspberry Pi-class hub. A request over a limit is refused as
 * a whole with a clear Error (7005 resources exceeded, or 7004 for a value no parameter could hold) before any work
 * is done; nothing is half-applied.
 *
 * @param maxPathsPerRequest      most paths in one Get, GetInstances, GetSupportedDM or Delete
 * @param maxObjectsPerRequest    most {@code update_objs} of a Set or {@code create_objs} of an Add
 * @param maxParamSettings        most parameter settings in one Set or Add, all objects together
 * @param maxValueLength          longest parameter value (characters) a Set or Add may carry
 * @param maxParamNameLength      longest relative parameter name a Set or Add may carry
 * @param maxResultParams         most parameter values one Get response may carry; paths beyond it get 7005
 * @param maxAffectedObjects      most objects one Set, Add or Delete may change (search paths can match many)
 * @param deleteMissingIsError    section 17 of the digest: with {@code allow_partial=false}, whether deleting an
 *                                instance that does not exist is an Error (R-DEL.1 as clarified in TR-369 1.4.1)
 *                                rather than an empty success (TP-469 1.25, the default)
 * @param boundWriteTimeout       how long a Set waits for a device to acknowledge the write of a bound parameter
 * @param supportedProtocols      the answer to GetSupportedProtocol (6.4)
 */
public record MessageSettings(int maxPathsPerRequest, int maxObjectsPerRequest, int maxParamSettings,
        int maxValueLength, int maxParamNameLength, int maxResultParams, int maxAffectedObjects,
        boolean deleteMissingIsError, Duration boundWriteTimeout, String supportedProtocols) {

    /** The USP versions this agent speaks: it implements the 1.4 schema, which is compatible with 1.0–1.3. */
    public static final String USP_VERSIONS = "1.0,1.1,1.2,1.3,1.4";

    public MessageSettings {
        positive(maxPathsPerRequest, "maxPathsPerRequest");
        positive(maxObjectsPerRequest, "maxObjectsPerRequest");
        positive(maxParamSettings, "maxParamSettings");
        positive(maxValueLength, "maxValueLength");
        positive(maxParamNameLength, "maxParamNameLength");
        positive(maxResultParams, "maxResultParams");
        positive(maxAffectedObjects, "maxAffectedObjects");
        Objects.requireNonNull(boundWriteTimeout, "boundWriteTimeout");
        if (boundWriteTimeout.isNegative() || boundWriteTimeout.isZero()) {
            throw new IllegalArgumentException("boundWriteTimeout must be positive");
        }
        Objects.requireNonNull(supportedProtocols, "supportedProtocols");
    }

    /**
     * Sane defaults for a hub: far above what a real controller sends (TR-181 has no object with a thousand
     * parameters; a Get of {@code Device.} on a hub with a hundred devices yields a few thousand values), far below
     * what would exhaust a Pi.
     */
    public static MessageSettings defaults() {
        return new MessageSettings(1024, 256, 4096, 64 * 1024, 1024, 200_000, 10_000, false,
                Duration.ofSeconds(30), USP_VERSIONS);
    }

    public MessageSettings withDeleteMissingIsError(boolean error) {
        return new MessageSettings(maxPathsPerRequest, maxObjectsPerRequest, maxParamSettings, maxValueLength,
                maxParamNameLength, maxResultParams, maxAffectedObjects, error, boundWriteTimeout, supportedProtocols);
    }

    public MessageSettings withMaxResultParams(int n) {
        return new MessageSettings(maxPathsPerRequest, maxObjectsPerRequest, maxParamSettings, maxValueLength,
                maxParamNameLength, n, maxAffectedObjects, deleteMissingIsError, boundWriteTimeout, supportedProtocols);
    }

    public MessageSettings withMaxAffectedObjects(int n) {
        return new MessageSettings(maxPathsPerRequest, maxObjectsPerRequest, maxParamSettings, maxValueLength,
                maxParamNameLength, maxResultParams, n, deleteMissingIsError, boundWriteTimeout, supportedProtocols);
    }

    public MessageSettings withBoundWriteTimeout(Duration timeout) {
        return new MessageSettings(maxPathsPerRequest, maxObjectsPerRequest, maxParamSettings, maxValueLength,
                maxParamNameLength, maxResultParams, maxAffectedObjects, deleteMissingIsError, timeout,
                supportedProtocols);
    }

    // ---- checks shared by the handlers ------------------------------------------------------------------------

    /** Refuses a request naming no path at all, or more than {@link #maxPathsPerRequest}. */
    void checkPaths(int count, String message, String field) {
        if (count == 0) {
            throw new UspErrorException(ErrorCode.INVALID_ARGUMENTS, "the " + message + " names no path in " + field);
        }
        if (count > maxPathsPerRequest) {
            throw new UspErrorException(ErrorCode.RESOURCES_EXCEEDED, "the " + message + " names " + count
                    + " paths; this agent answers at most " + maxPathsPerRequest + " in one message");
        }
    }

    /**
     * Refuses a Set or Add before any work: no objects or more than {@link #maxObjectsPerRequest}, more than
     * {@link #maxParamSettings} settings in all, or a name or value no parameter could hold.
     */
    <O, S> void checkWrites(String message, String field, List<O> objects, Function<O, List<S>> settingsOf,
            Function<S, String> param, Function<S, String> value) {
        if (objects.isEmpty()) {
            throw new UspErrorException(ErrorCode.INVALID_ARGUMENTS, "the " + message + " has no " + field);
        }
        if (objects.size() > maxObjectsPerRequest) {
            throw new UspErrorException(ErrorCode.RESOURCES_EXCEEDED, "the " + message + " has " + objects.size()
                    + " " + field + "; this agent accepts at most " + maxObjectsPerRequest + " in one message");
        }
        int total = 0;
        for (O o : objects) {
            total += settingsOf.apply(o).size();
        }
        if (total > maxParamSettings) {
            throw new UspErrorException(ErrorCode.RESOURCES_EXCEEDED, "the " + message + " carries " + total
                    + " parameter settings; this agent accepts at most " + maxParamSettings + " in one message");
        }
        for (O o : objects) {
            for (S s : settingsOf.apply(o)) {
                checkSetting(param.apply(s), value.apply(s), message);
            }
        }
    }

    private void checkSetting(String param, String value, String message) {
        if (param.length() > maxParamNameLength) {
            throw new UspErrorException(ErrorCode.INVALID_ARGUMENTS, "a parameter name in the " + message + " is "
                    + param.length() + " characters long; no parameter name exceeds " + maxParamNameLength);
        }
        if (value.length() > maxValueLength) {
            throw new UspErrorException(ErrorCode.INVALID_ARGUMENTS, "the value for '" + Texts.excerpt(param)
                    + "' in the " + message + " is " + value.length() + " characters long; this agent accepts at most "
                    + maxValueLength);
        }
    }

    private static void positive(int n, String name) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
