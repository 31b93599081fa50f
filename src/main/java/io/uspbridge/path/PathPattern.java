package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A path compiled to answer "is this object one the path names?" for one object at a time, without resolving the
 * path against the whole tree. The notification engine asks it for every change a subscription may care about
 * (R-NOT.0, 9.2): objects that appear later under a {@code *} match, and a search expression is evaluated on the
 * row's values at the moment of asking, so rows entering or leaving a search are seen without re-resolving anything.
 *
 * <p>The object part of the path (everything before a parameter, command or event name) is checked against the
 * schema once, at compile time, giving the one {@link #target() definition} it addresses; a node of another
 * definition never matches. Each table level of the path then carries a selector (an instance number, {@code *}, a
 * search expression or unique-key address, or "any instance" when the path ends with the table name) that is tested
 * on the node's enclosing rows, innermost first. Cost of a match: the depth of the node.
 *
 * <p>Paths that follow references ({@code Ref+}, {@code Ref#*+}) can reach objects of several definitions and cannot
 * be decided on one node's ancestry: {@link #compile} returns null for them and the caller resolves them with
 * {@link PathResolver}.
 */
public final class PathPattern {

    private sealed interface Selector {
        boolean test(ObjectNode row, ReadAccess access);
    }

    private record Any() implements Selector {
        @Override
        public boolean test(ObjectNode row, ReadAccess access) {
            return true;
        }
    }

    private record Number(int instance) implements Selector {
        @Override
        public boolean test(ObjectNode row, ReadAccess access) {
            return row.instance() == instance;
        }
    }

    private record Filter(SearchFilter filter) implements Selector {
        @Override
        public boolean test(ObjectNode row, ReadAccess access) {
            return filter.matches(row, access);
        }
    }

    private static final Any ANY = new Any();

    private final Path path;
    private final ObjectDef target;
    /** By depth below the root; null at single-instance levels. */
    private final Selector[] selectors;
    private final boolean endsAtTable;
    private final String exactPath;

    private PathPattern(Path path, ObjectDef target, Selector[] selectors, boolean endsAtTable, String exactPath) {
        this.path = path;
        this.target = target;
        this.selectors = selectors;
        this.endsAtTable = endsAtTable;
        this.exactPath = exactPath;
    }

    /**
     * Compiles the object part of {@code path} against the model's schema.
     *
     * @return null when the path follows a reference (decide those with {@link PathResolver})
     * @throws ModelException 7026 when a name is not in the supported model, or a table lacks its instance before a
     *                        name or leaf; 7008 for a search constant that does not fit its parameter's type
     */
    public static PathPattern compile(DataModel model, Path path) {
        ObjectDef def = model.schema().root();
        if (!path.rootName().equals(def.name())) {
            throw PathResolver.notSupported(path, "the root object is '" + def.name() + ".'");
        }
        List<PathSegment> segs = path.segments();
        int end = path.kind() == PathKind.OBJECT ? segs.size() : segs.size() - 1;
        List<Selector> selectors = new ArrayList<>();
        selectors.add(null);                        // the root
        StringBuilder exact = new StringBuilder(path.rootName()).append('.');
        boolean isExact = true;
        boolean pendingTable = false;
        for (int i = 0; i < end; i++) {
            PathSegment s = segs.get(i);
            if (s instanceof PathSegment.ReferenceFollow) {
                return null;
            }
            if (s instanceof PathSegment.Name n) {
                if (pendingTable) {
                    throw PathResolver.notSupported(path, def.tablePath() + " is a table: an instance number, '*'"
                            + " or a search expression must come before '" + n.name() + "'");
                }
                ObjectDef child = def.child(n.name());
                if (child == null) {
                    throw PathResolver.notSupported(path, "'" + n.name() + "' is not an object of " + def.path());
                }
                def = child;
                selectors.add(null);
                exact.append(n.name()).append('.');
                pendingTable = child.isMultiInstance();
                continue;
            }
            if (!pendingTable) {
                throw PathResolver.notSupported(path, "'" + s + "' follows " + def.path() + ", which is not a table");
            }
            pendingTable = false;
            Selector sel;
            if (s instanceof PathSegment.InstanceNumber in) {
                sel = new Number(in.number());
                exact.append(in.number()).append('.');
            } else if (s instanceof PathSegment.Wildcard) {
                sel = ANY;
                isExact = false;
            } else {
                sel = new Filter(new SearchFilter(model, def, (PathSegment.SearchExpression) s, path.text()));
                isExact = false;
            }
            selectors.set(selectors.size() - 1, sel);
        }
        boolean endsAtTable = false;
        if (pendingTable) {
            if (path.kind() != PathKind.OBJECT) {
                throw PathResolver.notSupported(path, def.tablePath() + " is a table: an instance number, '*' or a"
                        + " search expression must come before '" + path.leafName() + "'");
            }
            endsAtTable = true;
            isExact = false;
            selectors.set(selectors.size() - 1, ANY);
        }
        checkLeaf(path, def);
        return new PathPattern(path, def, selectors.toArray(new Selector[0]), endsAtTable,
                isExact ? exact.toString() : null);
    }

    private static void checkLeaf(Path path, ObjectDef def) {
        String leaf = path.leafName();
        boolean ok = switch (path.kind()) {
            case OBJECT -> true;
            case PARAMETER -> def.param(leaf) != null;
            case COMMAND -> def.command(leaf) != null;
            case EVENT -> def.event(leaf) != null;
        };
        if (!ok) {
            throw new ModelException(ErrorCode.INVALID_PATH, "path '" + Path.excerpt(path.text()) + "' is not in the"
                    + " supported data model: '" + leaf + "' is not a " + path.kind().name().toLowerCase() + " of "
                    + def.path());
        }
    }

    public Path path() {
        return path;
    }

    /**
     * The definition of the objects the path names: the object holding the leaf for a parameter, command or event
     * path; the row definition for a path ending with a table name or an instance selector.
     */
    public ObjectDef target() {
        return target;
    }

    /** Whether the path is an object path ending with a table's name ({@code Device.LocalAgent.Controller.}). */
    public boolean endsAtTable() {
        return endsAtTable;
    }

    /**
     * For a path without {@code *}, search expressions or a final table name: the one instance path it names, with
     * its trailing dot ({@code Device.LocalAgent.Controller.1.}); null otherwise.
     */
    public String exactPath() {
        return exactPath;
    }

    /**
     * Whether {@code node} is one of the objects the path's object part names now. Search expressions compare the
     * row's current values; parameters {@code access} may not read make a row not match.
     */
    public boolean matches(ObjectNode node, ReadAccess access) {
        if (node.def() != target) {
            return false;
        }
        int depth = selectors.length - 1;
        for (ObjectNode n = node; n != null; n = n.parent(), depth--) {
            Selector s = selectors[depth];
            if (s != null && !s.test(n, access)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return path.text();
    }
}
