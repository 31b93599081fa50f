package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Table;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves instantiated-model paths against the tree (PATH-1 … PATH-7): instance numbers, unique-key addresses,
 * {@code *}, search expressions and reference following.
 *
 * <p>The walk goes level by level over the set of objects matched so far, all of one supported definition, so that
 * every name is checked against the schema once (7026 when it is not supported) however many instances there are,
 * and results come out in tree order by construction. Following a reference may reach objects of another kind: the
 * walk then continues in one "branch" per definition found. A branch whose definition comes from the reference's
 * declared target is checked strictly like the main one; when the target is undeclared, each kind of object found
 * is tried and names it lacks just match nothing.
 *
 * <p>Runs on the agent loop (it reads the tree). Cost: linear in the path length plus the objects visited.
 */
public final class PathResolver {
    private final DataModel model;

    public PathResolver(DataModel model) {
        this.model = model;
    }

    /**
     * @throws ModelException 7008 for bad syntax (including constants that do not fit a parameter's type), 7026 when
     *                        the path is not in the supported model
     */
    public Resolution resolve(String text, ReadAccess access) {
        return resolve(Path.parse(text), access);
    }

    /** @throws ModelException 7026 when the path is not in the supported model, 7008 for a type-invalid search */
    public Resolution resolve(Path path, ReadAccess access) {
        ObjectNode root = model.root();
        if (!path.rootName().equals(root.def().name())) {
            throw notSupported(path, "the root object is '" + root.def().name() + ".', not '" + path.rootName() + ".'");
        }
        Walk walk = new Walk(path, access);
        Branch start = new Branch(root.def(), true);
        if (access.canReadObject(root)) {
            start.nodes.add(root);
        }
        List<Branch> branches = List.of(start);
        List<PathSegment> segs = path.segments();
        int end = path.kind() == PathKind.OBJECT ? segs.size() : segs.size() - 1;
        for (int i = 0; i < end && !branches.isEmpty(); i++) {
            branches = walk.step(branches, segs.get(i));
        }
        return walk.finish(branches);
    }

    /** The objects of one supported definition matched so far; either objects, or tables awaiting an instance. */
    private static final class Branch {
        final ObjectDef def;
        boolean strict;             // names not in the schema are errors (else: the branch just ends)
        List<ObjectNode> nodes = new ArrayList<>();
        List<Table> tables;         // non-null after a table name, until the instance identifier
        Set<ObjectNode> seen;       // while collecting reference targets: several holders may name the same one

        Branch(ObjectDef def, boolean strict) {
            this.def = def;
            this.strict = strict;
        }

        boolean atTable() {
            return tables != null;
        }
    }

    private final class Walk {
        private final Path path;
        private final ReadAccess access;
        private boolean search;
        private boolean followed;

        Walk(Path path, ReadAccess access) {
            this.path = path;
            this.access = access;
        }

        List<Branch> step(List<Branch> branches, PathSegment seg) {
            if (seg instanceof PathSegment.ReferenceFollow f) {
                return follow(branches, f);
            }
            List<Branch> out = new ArrayList<>(branches.size());
            for (Branch b : branches) {
                Branch next;
                try {
                    next = step(b, seg);
                } catch (ModelException e) {
                    if (b.strict) {
                        throw e;
                    }
                    next = null; // a kind of object reached through an undeclared reference that lacks this name
                }
                if (next != null) {
                    out.add(next);
                }
            }
            return out;
        }

        private Branch step(Branch b, PathSegment seg) {
            if (seg instanceof PathSegment.Name n) {
                return name(b, n.name());
            }
            if (!b.atTable()) {
                throw notSupported(path, "'" + seg + "' follows " + b.def.path() + ", which is not a table");
            }
            Branch next = new Branch(b.def, b.strict);
            if (seg instanceof PathSegment.InstanceNumber in) {
                for (Table t : b.tables) {
                    ObjectNode row = t.row(in.number());
                    if (row != null && access.canReadObject(row)) {
                        next.nodes.add(row);
                    }
                }
            } else if (seg instanceof PathSegment.Wildcard) {
                search = true;
                for (Table t : b.tables) {
                    addReadableRows(t, next.nodes);
                }
            } else {
                SearchFilter filter = new SearchFilter(model, b.def, (PathSegment.SearchExpression) seg, path.text());
                search |= !filter.isKeyAddress();
                for (Table t : b.tables) {
                    for (ObjectNode row : t.rows()) {
                        if (access.canReadObject(row) && filter.matches(row, access)) {
                            next.nodes.add(row);
                        }
                    }
                }
            }
            return next;
        }

        private Branch name(Branch b, String name) {
            if (b.atTable()) {
                throw notSupported(path, b.def.tablePath() + " is a table: an instance number, '*' or a search"
                        + " expression must come before '" + name + "'");
            }
            ObjectDef child = b.def.child(name);
            if (child == null) {
                throw notSupported(path, missing(b.def, name, "an object"));
            }
            Branch next = new Branch(child, b.strict);
            if (child.isMultiInstance()) {
                next.tables = new ArrayList<>(b.nodes.size());
                for (ObjectNode n : b.nodes) {
                    next.tables.add(n.table(name));
                }
            } else {
                for (ObjectNode n : b.nodes) {
                    ObjectNode c = n.child(name); // absent optional objects (a mount's missing class object) drop out
                    if (c != null && access.canReadObject(c)) {
                        next.nodes.add(c);
                    }
                }
            }
            return next;
        }

        /** Reference following (PATH-7): only object references; dangling or unreadable targets match nothing. */
        private List<Branch> follow(List<Branch> branches, PathSegment.ReferenceFollow f) {
            followed = true;
            if (f.all()) {
                search = true;
            }
            Map<ObjectDef, Branch> byDef = new IdentityHashMap<>();
            List<Branch> out = new ArrayList<>();
            for (Branch b : branches) {
                ParamDef p = b.atTable() ? null : b.def.param(f.param());
                if (b.atTable() || p == null || !References.isObjectReference(p)) {
                    if (!b.strict) {
                        continue;
                    }
                    if (b.atTable()) {
                        throw notSupported(path, b.def.tablePath() + " is a table: an instance number, '*' or a"
                                + " search expression must come before '" + f + "'");
                    }
                    if (p == null) {
                        throw notSupported(path, missing(b.def, f.param(), "a reference parameter"));
                    }
                    throw notSupported(path, p.supportedPath() + " is not a reference to an object, so '" + f
                            + "' cannot follow it");
                }
                ObjectDef declared = References.declaredTarget(model, p);
                boolean strict = b.strict && declared != null;
                if (declared != null) {
                    // Even with no instance to follow, the rest of the path is checked against the target's schema.
                    byDef.computeIfAbsent(declared, d -> add(out, new Branch(d, strict))).strict |= strict;
                }
                for (ObjectNode holder : b.nodes) {
                    if (!access.canReadParam(holder, p)) {
                        continue;
                    }
                    References.follow(model, holder, p, f.index(), access, target -> {
                        if (declared != null && target.def() != declared) {
                            return; // a weak reference now naming something else: not what the path expects
                        }
                        Branch tb = byDef.computeIfAbsent(target.def(), d -> add(out, new Branch(d, strict)));
                        if (tb.seen == null) {
                            tb.seen = Collections.newSetFromMap(new IdentityHashMap<>());
                        }
                        if (tb.seen.add(target)) {
                            tb.nodes.add(target);
                        }
                    });
                }
            }
            for (Branch b : out) {
                b.seen = null;
                // Targets arrive in the order of the references: restore tree order for the next steps.
                b.nodes.sort(TreeOrder.INSTANCE);
            }
            return out;
        }

        Resolution finish(List<Branch> branches) {
            PathKind kind = path.kind();
            List<ObjectNode> objects = new ArrayList<>();
            List<Table> tables = new ArrayList<>();
            ObjectDef def = null;
            boolean oneDef = true;
            for (Branch b : branches) {
                if (kind == PathKind.OBJECT) {
                    if (b.atTable()) {
                        tables.addAll(b.tables);
                        for (Table t : b.tables) {
                            addReadableRows(t, objects);
                        }
                    } else {
                        objects.addAll(b.nodes);
                    }
                } else {
                    try {
                        checkLeaf(b, path.leafName(), kind);
                    } catch (ModelException e) {
                        if (b.strict) {
                            throw e;
                        }
                        continue;
                    }
                    objects.addAll(b.nodes);
                }
                if (def == null) {
                    def = b.def;
                } else if (def != b.def) {
                    oneDef = false;
                }
            }
            if (followed && branches.size() > 1) {
                // Branches of different kinds interleave in the tree. Within one branch, the sort after each
                // reference hop and the level-by-level walk keep tree order and distinctness.
                objects = TreeOrder.sortedDistinct(objects);
                tables.sort((x, y) -> TreeOrder.INSTANCE.compare(x.parent(), y.parent()));
            }
            return new Resolution(path, kind, oneDef ? def : null, objects, tables, search);
        }

        private void checkLeaf(Branch b, String leaf, PathKind kind) {
            if (b.atTable()) {
                throw notSupported(path, b.def.tablePath() + " is a table: an instance number, '*' or a search"
                        + " expression must come before '" + leaf + "'");
            }
            boolean found = switch (kind) {
                case PARAMETER -> b.def.param(leaf) != null;
                case COMMAND -> b.def.command(leaf) != null;
                case EVENT -> b.def.event(leaf) != null;
                case OBJECT -> true;
            };
            if (!found) {
                String what = switch (kind) {
                    case PARAMETER -> "a parameter";
                    case COMMAND -> "a command";
                    default -> "an event";
                };
                throw notSupported(path, missing(b.def, leaf, what));
            }
        }

        private void addReadableRows(Table t, List<ObjectNode> into) {
            for (ObjectNode row : t.rows()) {
                if (access.canReadObject(row)) {
                    into.add(row);
                }
            }
        }
    }

    private static Branch add(List<Branch> out, Branch b) {
        out.add(b);
        return b;
    }

    /** A message that tells what the name is instead, when it exists as something else. */
    private static String missing(ObjectDef def, String name, String what) {
        String base = name.endsWith("()") ? name.substring(0, name.length() - 2)
                : name.endsWith("!") ? name.substring(0, name.length() - 1) : name;
        String actually = null;
        if (def.child(base) != null) {
            actually = def.child(base).isMultiInstance() ? "a table" : "an object";
        } else if (def.param(base) != null) {
            actually = "a parameter";
        } else if (def.command(base + "()") != null) {
            actually = "a command (" + base + "())";
        } else if (def.event(base + "!") != null) {
            actually = "an event (" + base + "!)";
        }
        return "'" + name + "' is not " + what + " of " + def.path()
                + (actually != null ? " (it is " + actually + ")" : " in the supported data model");
    }

    static ModelException notSupported(Path path, String why) {
        return new ModelException(ErrorCode.INVALID_PATH,
                "path '" + Path.excerpt(path.text()) + "' is not in the supported data model: " + why);
    }
}
