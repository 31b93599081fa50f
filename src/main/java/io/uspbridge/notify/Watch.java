package io.uspbridge.notify;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.path.Path;
import io.uspbridge.path.PathKind;
import io.uspbridge.path.PathPattern;
import io.uspbridge.path.PathResolver;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.path.Resolution;

/**
 * One entry of a subscription's {@code ReferenceList}, compiled for its NotifType (9.2): a parameter, command or
 * event path ({@link #leaf} set) watches that one element of the objects it names; an object path ({@link #leaf}
 * null) watches every parameter, command or event below those objects, or — for ObjectCreation and ObjectDeletion —
 * the rows it names.
 *
 * <p>Most paths compile to a {@link PathPattern}, decided on the changed object alone. A path that follows a
 * reference is decided by resolving it when a change of its type happens ({@link #resolveNow}); such paths are rare
 * and are kept apart so that they cost nothing to the others.
 */
final class Watch {
    final Subscription subscription;
    final Path path;
    /** Null for a path that follows references. */
    final PathPattern pattern;
    /** The parameter, command or event name; null for an object path. */
    final String leaf;

    private Watch(Subscription subscription, Path path, PathPattern pattern, String leaf) {
        this.subscription = subscription;
        this.path = path;
        this.pattern = pattern;
        this.leaf = leaf;
    }

    /**
     * Compiles one ReferenceList entry.
     *
     * @throws ModelException 7012 (invalid value) naming the entry and why it cannot be used with {@code type}
     */
    static Watch compile(DataModel model, NotifType type, String text, Subscription owner) {
        Path path;
        PathPattern pattern;
        try {
            path = Path.parse(text);
            pattern = PathPattern.compile(model, path);
            if (pattern == null) {
                new PathResolver(model).resolve(path, ReadAccess.ALL);   // checks the names against the schema
            }
        } catch (ModelException e) {
            throw invalid(text, e.getMessage());
        }
        PathKind kind = path.kind();
        boolean ok = switch (type) {
            case VALUE_CHANGE -> kind == PathKind.OBJECT || kind == PathKind.PARAMETER;
            case OBJECT_CREATION, OBJECT_DELETION -> kind == PathKind.OBJECT
                    && (pattern == null || pattern.target().isMultiInstance());
            case OPERATION_COMPLETE -> kind == PathKind.OBJECT || kind == PathKind.COMMAND;
            case EVENT -> kind == PathKind.OBJECT || kind == PathKind.EVENT;
        };
        if (!ok) {
            throw invalid(text, switch (type) {
                case VALUE_CHANGE -> "a ValueChange subscription names parameters or objects";
                case OBJECT_CREATION, OBJECT_DELETION -> "an " + type.dmName()
                        + " subscription names a table or rows of a table";
                case OPERATION_COMPLETE -> "an OperationComplete subscription names commands or objects";
                case EVENT -> "an Event subscription names events or objects";
            });
        }
        return new Watch(owner, path, pattern, path.leafName());
    }

    private static ModelException invalid(String text, String why) {
        String shown = text.length() <= 120 ? text : text.substring(0, 100) + "…";
        return new ModelException(ErrorCode.INVALID_VALUE, "ReferenceList entry '" + shown + "' cannot be used: " + why);
    }

    /** Whether the object part of a compiled (non-reference) path names {@code node}. */
    boolean names(ObjectNode node, ReadAccess access) {
        return pattern.matches(node, access);
    }

    /** For a path that follows references: the objects it names now, as the recipient sees them. */
    Resolution resolveNow(PathResolver resolver, ReadAccess access) {
        try {
            return resolver.resolve(path, access);
        } catch (ModelException e) {
            return null;    // a search constant that no longer fits cannot happen; a reference gone bad matches nothing
        }
    }

    @Override
    public String toString() {
        return path.text();
    }
}
