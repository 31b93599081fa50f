package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.UniqueKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search expression compiled against the rows of one table definition: each component's relative path checked
 * against the schema (7026 when it names no parameter or descends into a child table, PATH-6), its constant converted
 * to the parameter's type (7008 when it does not fit), and whether the whole is a unique-key address (PATH-4).
 */
final class SearchFilter {
    private final DataModel model;
    private final List<Compiled> conditions;
    private final boolean keyAddress;

    /**
     * @throws ModelException 7026 for a relative path that is not in the supported model, 7008 for an operator or
     *                        constant that does not fit the parameter's type
     */
    SearchFilter(DataModel model, ObjectDef rowDef, PathSegment.SearchExpression expr, String pathText) {
        this.model = model;
        this.conditions = new ArrayList<>(expr.conditions().size());
        for (SearchCondition c : expr.conditions()) {
            conditions.add(compile(rowDef, c, pathText));
        }
        this.keyAddress = isKeyAddress(rowDef, expr);
    }

    /** Unique-key addressing: every parameter of one unique key, each compared with {@code ==}, and nothing else. */
    boolean isKeyAddress() {
        return keyAddress;
    }

    boolean matches(ObjectNode row, ReadAccess access) {
        for (Compiled c : conditions) {
            if (!c.test(row, access)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKeyAddress(ObjectDef def, PathSegment.SearchExpression expr) {
        Set<String> names = new HashSet<>();
        for (SearchCondition c : expr.conditions()) {
            if (c.operator() != SearchOperator.EQ || !c.isDirect() || !names.add(c.paramName())) {
                return false;
            }
        }
        for (UniqueKey k : def.uniqueKeys()) {
            if (k.params().size() == names.size() && names.containsAll(k.params())) {
                return true;
            }
        }
        return false;
    }

    private Compiled compile(ObjectDef rowDef, SearchCondition c, String pathText) {
        List<PathSegment> rel = c.relPath();
        ObjectDef d = rowDef;
        for (int i = 0; i < rel.size() - 1; i++) {
            PathSegment s = rel.get(i);
            if (s instanceof PathSegment.Name n) {
                ObjectDef child = d.child(n.name());
                if (child == null) {
                    throw invalid(pathText, c, "'" + n.name() + "' is not an object of " + d.path());
                }
                if (child.isMultiInstance()) {
                    throw invalid(pathText, c, "it descends into the table " + child.tablePath()
                            + " (use a separate search expression at that table's level)");
                }
                d = child;
            } else {
                PathSegment.ReferenceFollow f = (PathSegment.ReferenceFollow) s;
                ParamDef p = d.param(f.param());
                if (p == null) {
                    throw invalid(pathText, c, "'" + f.param() + "' is not a parameter of " + d.path());
                }
                if (!References.isObjectReference(p)) {
                    throw invalid(pathText, c, p.supportedPath() + " is not an object reference and cannot be followed");
                }
                d = References.declaredTarget(model, p);
                if (d == null) {
                    // The reference may name objects of several kinds: the rest is checked on each one found.
                    return new Compiled(c, null, null);
                }
            }
        }
        ParamDef p = d.param(c.paramName());
        if (p == null) {
            String why = d.child(c.paramName()) != null ? "'" + c.paramName() + "' is an object, not a parameter"
                    : "'" + c.paramName() + "' is not a parameter of " + d.path();
            throw invalid(pathText, c, why);
        }
        return new Compiled(c, p, SearchConstant.of(c.relPathText(), p.type(), c.operator(), c.value()));
    }

    private static ModelException invalid(String pathText, SearchCondition c, String why) {
        return new ModelException(ErrorCode.INVALID_PATH,
                "path '" + Path.excerpt(pathText) + "': the search condition '" + c + "' is not valid: " + why);
    }

    /** One compiled component. */
    private final class Compiled {
        private final SearchCondition condition;
        private final ParamDef staticParam;        // null when only known per target (dynamic reference)
        private final SearchConstant staticConstant;
        private Map<ParamDef, SearchConstant> dynamic;

        Compiled(SearchCondition condition, ParamDef staticParam, SearchConstant staticConstant) {
            this.condition = condition;
            this.staticParam = staticParam;
            this.staticConstant = staticConstant;
        }

        boolean test(ObjectNode row, ReadAccess access) {
            if (condition.isDirect()) {
                // The common case, [Enable==true]: the row's own parameter.
                return access.canReadParam(row, staticParam) && staticConstant.test(row.value(staticParam));
            }
            List<PathSegment> rel = condition.relPath();
            List<ObjectNode> current = List.of(row);
            for (int i = 0; i < rel.size() - 1 && !current.isEmpty(); i++) {
                current = step(current, rel.get(i), access);
            }
            // With #*+ several objects may be reached: the condition holds when one of them satisfies it.
            for (ObjectNode n : current) {
                ParamDef p = n.def().param(condition.paramName());
                if (p == null || !access.canReadParam(n, p)) {
                    continue;
                }
                SearchConstant k = p == staticParam ? staticConstant : constantFor(p);
                if (k != null && k.test(n.value(p))) {
                    return true;
                }
            }
            return false;
        }

        private List<ObjectNode> step(List<ObjectNode> current, PathSegment s, ReadAccess access) {
            List<ObjectNode> next = new ArrayList<>();
            Set<ObjectNode> seen = current.size() > 1 ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
            for (ObjectNode n : current) {
                if (s instanceof PathSegment.Name name) {
                    ObjectNode c = n.child(name.name()); // null for absent optional objects and for tables
                    if (c != null && access.canReadObject(c) && (seen == null || seen.add(c))) {
                        next.add(c);
                    }
                } else {
                    PathSegment.ReferenceFollow f = (PathSegment.ReferenceFollow) s;
                    ParamDef p = n.def().param(f.param());
                    if (p == null || !References.isObjectReference(p) || !access.canReadParam(n, p)) {
                        continue;
                    }
                    Set<ObjectNode> dedup = seen != null ? seen : Collections.newSetFromMap(new IdentityHashMap<>());
                    References.follow(model, n, p, f.index(), access, t -> {
                        if (dedup.add(t)) {
                            next.add(t);
                        }
                    });
                }
            }
            return next;
        }

        /** The constant for a parameter reached through a reference of undeclared target; null if it cannot apply. */
        private SearchConstant constantFor(ParamDef p) {
            if (dynamic == null) {
                dynamic = new IdentityHashMap<>();
            }
            if (dynamic.containsKey(p)) {
                return dynamic.get(p);
            }
            SearchConstant k;
            try {
                k = SearchConstant.of(condition.relPathText(), p.type(), condition.operator(), condition.value());
            } catch (ModelException e) {
                k = null;
            }
            dynamic.put(p, k);
            return k;
        }
    }
}
