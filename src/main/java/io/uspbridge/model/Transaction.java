package io.uspbridge.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A set of changes to the tree that becomes visible to the change feed all at once ({@link #commit()}) or not at
 * all ({@link #rollback()}). Savepoints give the per-object all-or-nothing that Set and Add need with
 * {@code allow_partial=true} (R-SET.0, R-ADD.2a) inside one message.
 *
 * <p>The methods named {@code …ByController} apply the rules a controller is held to (access, write-once,
 * non-functional keys, agent-managed tables); the others are for the agent itself.
 */
public final class Transaction implements AutoCloseable {

    /** A point to roll back to. */
    public record Savepoint(int undo, int changes, int touched) {
    }

    private final DataModel model;
    private final String originator;
    private final List<Runnable> undo = new ArrayList<>();
    private final List<ModelChange> changes = new ArrayList<>();
    private final List<ObjectNode> touched = new ArrayList<>();
    private final Set<ObjectNode> created = Collections.newSetFromMap(new IdentityHashMap<>());
    private int validatedUpTo;
    private boolean done;

    Transaction(DataModel model, String originator) {
        this.model = model;
        this.originator = originator;
    }

    /** The controller (Endpoint ID) on whose behalf the change is made; null when it is the agent's own. */
    public String originator() {
        return originator;
    }

    public DataModel model() {
        return model;
    }

    /** Whether {@code node} was created by this (still open) transaction. */
    public boolean isCreatedHere(ObjectNode node) {
        return node.creatingTx == this;
    }

    // ---- parameters -----------------------------------------------------------------------------------------

    /** A parameter named relative to an object, possibly inside nested single-instance objects (ADD-2). */
    public record ParamRef(ObjectNode object, ParamDef param) {
        public String path() {
            return object.path() + param.name();
        }
    }

    /**
     * Resolves {@code Stats.BytesSent} relative to {@code base}. Only single-instance objects may be crossed; a
     * table or an unknown name is 7010 (unsupported parameter).
     */
    public ParamRef resolveRelative(ObjectNode base, String relative) {
        ObjectNode n = base;
        int start = 0;
        int dot;
        while ((dot = relative.indexOf('.', start)) >= 0) {
            ObjectNode c = n.child(relative.substring(start, dot));
            if (c == null) {
                throw new ModelException(ErrorCode.UNSUPPORTED_PARAMETER,
                        base.path() + relative + " is not a parameter of this object");
            }
            n = c;
            start = dot + 1;
        }
        ParamDef p = n.def().param(relative.substring(start));
        if (p == null) {
            throw new ModelException(ErrorCode.UNSUPPORTED_PARAMETER,
                    base.path() + relative + " is not a parameter of this object");
        }
        return new ParamRef(n, p);
    }

    /** Sets a value as the agent: validated and canonicalised, references resolved, no access rules. */
    public void set(ObjectNode node, ParamDef p, String value) {
        checkOpen();
        if (p.storage() == ParamDef.Storage.COMPUTED) {
            throw new IllegalArgumentException(p + " is computed and cannot be set");
        }
        setCanonical(node, p, canonical(p, value));
    }

    public void set(ObjectNode node, String param, String value) {
        set(node, DataModel.requireParam(node, param), value);
    }

    /**
     * Sets a value as a controller: read-only → 7013; a write-once parameter already written → 7013; a
     * non-functional key of an existing row → 7013 (R-KEY.1); bad text → 7011; facet violation or dangling strong
     * reference → 7012. Bound parameters are not set here: their writes go to the object's owner.
     *
     * @return the canonical value that was stored
     */
    public String setByController(ObjectNode node, ParamDef p, String value) {
        checkOpen();
        checkWritableByController(node, p);
        if (p.storage() == ParamDef.Storage.BOUND) {
            throw new IllegalStateException(p + " is bound to a device; write it through its owner");
        }
        String canonical = canonical(p, value);
        setCanonical(node, p, canonical);
        return canonical;
    }

    /** The access checks of {@link #setByController}, for callers that route bound writes elsewhere. */
    public void checkWritableByController(ObjectNode node, ParamDef p) {
        if (!p.access().isWritable() || p.storage() == ParamDef.Storage.COMPUTED) {
            throw new ModelException(ErrorCode.NOT_WRITABLE, node.path() + p.name() + " is read-only");
        }
        boolean fresh = isCreatedHere(node) || isInsideCreated(node);
        if (p.access() == Access.WRITE_ONCE && !fresh && !node.value(p).isEmpty()) {
            throw new ModelException(ErrorCode.NOT_WRITABLE,
                    node.path() + p.name() + " can only be written once and already has a value");
        }
        if (!fresh && node.def().isNonFunctionalKey(p.name())) {
            throw new ModelException(ErrorCode.NOT_WRITABLE,
                    node.path() + p.name() + " is a non-functional unique key and cannot change after creation");
        }
    }

    /** Validates and canonicalises a value for {@code p}, resolving references (used before bound writes too). */
    public String canonical(ParamDef p, String value) {
        String c = p.type().canonical(value);
        ValueType.Reference ref = p.type().reference();
        if (ref == null || c.isEmpty()) {
            return c;
        }
        List<String> items = p.type().isList() ? ValueType.splitList(c) : List.of(c);
        List<String> out = new ArrayList<>(items.size());
        for (String item : items) {
            out.add(resolveReferenceItem(p, ref, item));
        }
        return String.join(",", out);
    }

    private String resolveReferenceItem(ParamDef p, ValueType.Reference ref, String item) {
        if (item.isEmpty()) {
            return item;
        }
        if (ref.kind() == ValueType.Reference.Kind.ENUMERATION) {
            String allowed = model.value(ref.target());
            if (allowed == null || !ValueType.splitList(allowed).contains(item)) {
                throw new ModelException(ErrorCode.INVALID_VALUE,
                        "'" + item + "' is not one of the values of " + ref.target());
            }
            return item;
        }
        String resolved;
        try {
            resolved = model.referenceResolver().apply(item);
        } catch (ModelException e) {
            if (ref.strong()) {
                throw new ModelException(ErrorCode.INVALID_VALUE,
                        p.name() + ": " + e.getMessage() + " (a strong reference must name an existing object)");
            }
            return item; // weak references may dangle (PATH-8)
        }
        String target = ref.target();
        if (target != null && !target.isEmpty() && !Schema.supportedPathOf(resolved + ".").startsWith(target)) {
            throw new ModelException(ErrorCode.INVALID_VALUE, p.name() + ": '" + item + "' is not under " + target);
        }
        return resolved;
    }

    void setCanonical(ObjectNode node, ParamDef p, String value) {
        checkOpen();
        String old = node.values[p.index()];
        touched.add(node);
        if (value.equals(old)) {
            return;
        }
        node.setValue(p, value);
        undo.add(() -> node.setValue(p, old));
        if (node.isLive() && !isCreatedHere(node) && !isInsideCreated(node)) {
            changes.add(new ModelChange.ValueChanged(node, p, old, value));
        }
        applyDiscriminators(node, p.name());
    }

    /** Creates or removes the union members that {@code param} of {@code node} decides (MSG-8). */
    private void applyDiscriminators(ObjectNode node, String param) {
        for (ObjectDef c : node.def().children()) {
            if (param.equals(c.discriminatorParam())) {
                if (c.discriminatorValue().equals(node.value(param))) {
                    ensureChild(node, c.name());
                } else {
                    removeChild(node, c.name());
                }
            }
        }
    }

    private boolean isInsideCreated(ObjectNode node) {
        for (ObjectNode n = node.parent(); n != null; n = n.parent()) {
            if (n.creatingTx == this) {
                return true;
            }
        }
        return false;
    }

    // ---- objects --------------------------------------------------------------------------------------------

    /** Adds a row as a controller: the table must allow Add (7019, TableAccess), and must not be full (7005). */
    public ObjectNode addRowByController(Table table) {
        if (!table.def().access().canAdd()) {
            throw new ModelException(ErrorCode.NOT_CREATABLE, table.path() + " does not allow controllers to add rows");
        }
        return addRow(table, 0);
    }

    /**
     * Adds a row with {@code instance} as its number (0 = the next one). Runs the definition's
     * {@link RowLifecycle#onCreate}; unique keys the creator leaves empty are generated when the transaction is
     * validated.
     */
    public ObjectNode addRow(Table table, int instance) {
        checkOpen();
        ObjectDef def = table.def();
        if (def.maxEntries() >= 0 && table.size() >= def.maxEntries()) {
            throw new ModelException(ErrorCode.RESOURCES_EXCEEDED,
                    table.path() + " already has its maximum of " + def.maxEntries() + " entries");
        }
        int n = instance > 0 ? instance : table.nextInstance;
        if (table.rows.containsKey(n)) {
            throw new ModelException(ErrorCode.OBJECT_NOT_CREATED, table.path() + n + ". already exists");
        }
        ObjectNode row = new ObjectNode(def, table.parent(), n);
        row.creatingTx = this;
        created.add(row);
        table.rows.put(n, row);
        table.nextInstance = Math.max(table.nextInstance, n + 1);
        model.register(row);
        undo.add(() -> {
            table.rows.remove(n);
            model.unregister(row);
            row.live = false;
        });
        touched.add(row);
        updateNumEntries(table);
        changes.add(new ModelChange.ObjectCreated(row));
        for (ParamDef p : def.params()) {
            applyDiscriminators(row, p.name());   // a default value may already select a union member
        }
        for (RowLifecycle l : def.lifecycles()) {
            l.onCreate(row, this);
        }
        return row;
    }

    /** Creates the optional single-instance child {@code name} of {@code parent} if it is absent. */
    public ObjectNode ensureChild(ObjectNode parent, String name) {
        checkOpen();
        ObjectDef c = parent.def().child(name);
        if (c == null || c.isMultiInstance()) {
            throw new IllegalArgumentException(parent.path() + name + ". is not a single-instance child");
        }
        ObjectNode existing = parent.child(name);
        if (existing != null) {
            return existing;
        }
        ObjectNode child = new ObjectNode(c, parent, 0);
        parent.setChildSlot(c, child);
        model.register(child);
        undo.add(() -> {
            parent.setChildSlot(c, null);
            model.unregister(child);
            child.live = false;
        });
        touched.add(child);
        return child;
    }

    /** Removes an optional single-instance child. */
    public void removeChild(ObjectNode parent, String name) {
        checkOpen();
        ObjectNode child = parent.child(name);
        if (child == null) {
            return;
        }
        if (!child.def().isOptional()) {
            throw new IllegalArgumentException(child.path() + " is not optional");
        }
        List<ObjectNode> rows = new ArrayList<>();
        collectRows(child, rows);
        for (ObjectNode r : rows) {
            delete(r);
        }
        parent.setChildSlot(child.def(), null);
        model.unregister(child);
        markLive(child, false);
        undo.add(() -> {
            parent.setChildSlot(child.def(), child);
            markLive(child, true);
            model.register(child);
        });
    }

    /**
     * Deletes a row as a controller: the table must allow Delete, and the definition's lifecycle may refuse
     * (7024).
     */
    public void deleteByController(ObjectNode row) {
        if (!row.isRow()) {
            throw new ModelException(ErrorCode.DELETE_FAILURE, row.path() + " is not a table row");
        }
        if (!row.def().access().canDelete()) {
            throw new ModelException(ErrorCode.DELETE_FAILURE, row.table().path() + " does not allow controllers to delete rows");
        }
        for (RowLifecycle l : row.def().lifecycles()) {
            l.checkDelete(row, this);
        }
        delete(row);
    }

    /**
     * Deletes a row with everything below it: dependants are removed by the lifecycles' {@code onDelete}, strong
     * references to it are cleared (R-ARC.12), and an ObjectDeleted is published for each row, innermost first.
     */
    public void delete(ObjectNode row) {
        checkOpen();
        if (!row.isRow()) {
            throw new IllegalArgumentException(row.path() + " is not a table row");
        }
        if (!row.isLive()) {
            return;
        }
        List<ObjectNode> rows = new ArrayList<>();
        collectRows(row, rows);          // innermost first, the row itself last
        for (ObjectNode r : rows) {
            for (RowLifecycle l : r.def().lifecycles()) {
                l.onDelete(r, this);
            }
        }
        if (!row.isLive()) {
            return;                      // a lifecycle already deleted it
        }
        Table table = row.table();
        table.rows.remove(row.instance());
        model.unregister(row);
        markLive(row, false);
        undo.add(() -> {
            table.rows.put(row.instance(), row);
            markLive(row, true);
            model.register(row);
        });
        touched.add(row);
        updateNumEntries(table);
        clearReferencesTo(row);
        for (ObjectNode r : rows) {
            changes.add(new ModelChange.ObjectDeleted(r));
        }
    }

    private static void collectRows(ObjectNode node, List<ObjectNode> out) {
        for (ObjectNode c : node.childObjects()) {
            collectRows(c, out);
        }
        if (node.isRow()) {
            out.add(node);
        }
    }

    private static void markLive(ObjectNode node, boolean live) {
        node.live = live;
        for (ObjectNode c : node.childObjects()) {
            markLive(c, live);
        }
    }

    private void clearReferencesTo(ObjectNode deleted) {
        String prefix = deleted.path();
        for (ParamDef p : model.schema().strongReferences()) {
            for (ObjectNode holder : model.referenceHolders(p.object())) {
                String v = holder.values[p.index()];
                if (v == null || v.isEmpty()) {
                    continue;
                }
                if (p.type().isList()) {
                    List<String> items = new ArrayList<>(ValueType.splitList(v));
                    if (items.removeIf(i -> refersTo(i, prefix))) {
                        setCanonical(holder, p, String.join(",", items));
                    }
                } else if (refersTo(v, prefix)) {
                    setCanonical(holder, p, "");
                }
            }
        }
    }

    private static boolean refersTo(String ref, String deletedPath) {
        String r = ref.endsWith(".") ? ref : ref + ".";
        return r.startsWith(deletedPath);
    }

    private void updateNumEntries(Table table) {
        String name = table.def().numEntriesParam();
        if (name == null) {
            return;
        }
        ParamDef p = table.parent().def().param(name);
        if (p != null) {
            setCanonical(table.parent(), p, Integer.toString(table.size()));
        }
    }

    /** Raises an event (published with the transaction's other changes). */
    public void raiseEvent(ObjectNode node, EventDef event, Map<String, String> args) {
        checkOpen();
        changes.add(new ModelChange.EventRaised(node, event, new LinkedHashMap<>(args)));
    }

    // ---- control --------------------------------------------------------------------------------------------

    public Savepoint savepoint() {
        checkOpen();
        return new Savepoint(undo.size(), changes.size(), touched.size());
    }

    public void rollbackTo(Savepoint sp) {
        checkOpen();
        for (int i = undo.size() - 1; i >= sp.undo(); i--) {
            undo.get(i).run();
        }
        undo.subList(sp.undo(), undo.size()).clear();
        changes.subList(sp.changes(), changes.size()).clear();
        touched.subList(sp.touched(), touched.size()).clear();
        validatedUpTo = Math.min(validatedUpTo, sp.touched());
    }

    /** Validates what changed since {@code sp} (see {@link #validate()}). */
    public void validateSince(Savepoint sp) {
        checkOpen();
        validateFrom(Math.min(sp.touched(), validatedUpTo));
    }

    /**
     * Completes and checks every object changed so far: generates unique keys the creator left empty (R-ADD.5),
     * runs the lifecycles' validators, and checks unique keys (7025). Throws {@link ModelException}; the caller
     * then rolls back (to a savepoint or entirely).
     */
    public void validate() {
        checkOpen();
        validateFrom(validatedUpTo);
    }

    private void validateFrom(int from) {
        Set<ObjectNode> nodes = new LinkedHashSet<>(touched.subList(from, touched.size()));
        for (ObjectNode n : nodes) {
            if (n.isLive() && isCreatedHere(n)) {
                generateKeys(n);
            }
        }
        for (ObjectNode n : nodes) {
            if (!n.isLive()) {
                continue;
            }
            for (RowLifecycle l : n.def().lifecycles()) {
                l.validate(n, this);
            }
            if (n.isRow()) {
                checkUniqueKeys(n);
            }
        }
        validatedUpTo = touched.size();
    }

    private void generateKeys(ObjectNode row) {
        for (String k : row.def().uniqueKeyParams()) {
            ParamDef p = row.def().param(k);
            if (p == null || p.keyGenerator() == null || !row.value(p).isEmpty()) {
                continue;
            }
            String base = p.keyGenerator().generate(row);
            String candidate = base;
            for (int i = 2; isTaken(row, p, candidate); i++) {
                candidate = base + "-" + i;
            }
            setCanonical(row, p, candidate);
        }
    }

    private static boolean isTaken(ObjectNode row, ParamDef p, String value) {
        for (ObjectNode other : row.table().rows()) {
            if (other != row && value.equals(other.value(p))) {
                return true;
            }
        }
        return false;
    }

    /**
     * R-ADD.6/7025: no other row of the table has the same values of a unique key. Runs for every changed row of
     * every transaction (a device report too), against every row of the table, so it compares in place: no list or
     * iterator per row (with 1,000 proxied devices the lists were most of the agent loop's garbage, docs/SCALE.md).
     */
    private void checkUniqueKeys(ObjectNode row) {
        ObjectDef def = row.def();
        for (UniqueKey key : def.uniqueKeys()) {
            if (key.functional() && !isEnabled(row)) {
                continue; // functional keys need only be unique among enabled rows (TR-106)
            }
            List<String> params = key.params();
            if (key.functional() && allEmpty(row, params)) {
                continue;
            }
            for (ObjectNode other : row.table().rows()) {
                if (other == row || (key.functional() && !isEnabled(other))) {
                    continue;
                }
                if (sameValues(row, other, params)) {
                    throw new ModelException(ErrorCode.DUPLICATE_KEY, row.path() + " has the same " + key.params()
                            + " as " + other.path() + " (" + String.join(",", keyValues(row, key)) + ")");
                }
            }
        }
    }

    private static boolean allEmpty(ObjectNode row, List<String> params) {
        for (int i = 0, n = params.size(); i < n; i++) {
            String v = row.value(params.get(i));
            if (v != null && !v.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValues(ObjectNode a, ObjectNode b, List<String> params) {
        for (int i = 0, n = params.size(); i < n; i++) {
            if (!Objects.equals(a.value(params.get(i)), b.value(params.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEnabled(ObjectNode row) {
        String enable = row.def().enableParam();
        return enable == null || row.booleanValue(enable);
    }

    private static List<String> keyValues(ObjectNode row, UniqueKey key) {
        List<String> v = new ArrayList<>(key.params().size());
        for (String p : key.params()) {
            v.add(row.value(p));
        }
        return v;
    }

    /** Validates what is left to validate and publishes every change to the feed. */
    public void commit() {
        checkOpen();
        validate();
        finish();
        model.publish(changes);
    }

    /** Undoes every change; nothing reaches the feed. */
    public void rollback() {
        if (done) {
            return;
        }
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        finish();
    }

    /** Rolls back unless committed, so that {@code try (Transaction tx = …)} never leaves half a change. */
    @Override
    public void close() {
        rollback();
    }

    private void finish() {
        done = true;
        for (ObjectNode n : created) {
            n.creatingTx = null;
        }
        if (model.openTx == this) {
            model.openTx = null;
        }
    }

    public boolean isOpen() {
        return !done;
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("transaction already finished");
        }
        model.checkThread();
    }
}
