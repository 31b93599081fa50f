package io.uspbridge.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One object of the instantiated tree: {@code Device.}, {@code Device.LocalAgent.Controller.2.}. Holds the values
 * of its parameters (canonical strings, indexed like its {@link ObjectDef}'s parameters), its single-instance child
 * objects and its tables. Read it anywhere on the agent loop; change it only through a {@link Transaction}.
 */
public final class ObjectNode {
    private final ObjectDef def;
    private final ObjectNode parent;
    private final int instance;
    private final String path;
    final String[] values;
    private final Object[] children;       // by ObjectDef.childIndex: ObjectNode, Table or null
    ObjectOwner owner;
    boolean live = true;
    /** What an upper layer derived from this object's values; cleared whenever one of them changes. */
    private Object memo;
    Transaction creatingTx;                // set while the transaction that created it is open

    ObjectNode(ObjectDef def, ObjectNode parent, int instance) {
        this.def = def;
        this.parent = parent;
        this.instance = instance;
        this.path = parent == null ? def.path()
                : parent.path + def.name() + "." + (def.isMultiInstance() ? instance + "." : "");
        this.values = new String[def.params().size()];
        for (ParamDef p : def.params()) {
            values[p.index()] = p.storage() == ParamDef.Storage.COMPUTED ? null : p.defaultValue();
        }
        this.children = new Object[def.children().size()];
        for (ObjectDef c : def.children()) {
            if (c.isMultiInstance()) {
                children[c.childIndex()] = new Table(c, this);
            } else if (!c.isOptional()) {
                children[c.childIndex()] = new ObjectNode(c, this, 0);
            }
        }
    }

    public ObjectDef def() {
        return def;
    }

    public ObjectNode parent() {
        return parent;
    }

    /** The instance number of a table row; 0 for a single-instance object. */
    public int instance() {
        return instance;
    }

    /** The instance path with its trailing dot, e.g. {@code Device.LocalAgent.Controller.2.}. */
    public String path() {
        return path;
    }

    /** The path as a reference parameter holds it: no trailing dot ({@code Device.LocalAgent.Controller.2}). */
    public String referencePath() {
        return path.substring(0, path.length() - 1);
    }

    public boolean isRow() {
        return def.isMultiInstance();
    }

    /** False once the object was deleted (a deleted node may still be held by a pending notification). */
    public boolean isLive() {
        return live;
    }

    public ObjectOwner owner() {
        return owner;
    }

    /** The table this row belongs to; null for single-instance objects. */
    public Table table() {
        return def.isMultiInstance() && parent != null ? parent.table(def.name()) : null;
    }

    /**
     * The value of a stored or bound parameter, or the computed value. Null when {@code param} is not a parameter
     * of this object.
     */
    public String value(String param) {
        ParamDef p = def.param(param);
        return p == null ? null : value(p);
    }

    public String value(ParamDef p) {
        if (p.storage() == ParamDef.Storage.COMPUTED) {
            String v = p.computer().apply(this);
            return v == null ? "" : v;
        }
        return values[p.index()];
    }

    /** Sets a stored or bound value; only {@link Transaction} changes values (and undoes them). */
    void setValue(ParamDef p, String value) {
        values[p.index()] = value;
        memo = null;
    }

    /**
     * What an upper layer derived from this object's parameter values and keeps with the object, e.g. the encoded
     * result a Get of it produced; null when nothing is kept. The model forgets it whenever one of the object's
     * stored or bound values changes (or a change is undone), so it is never older than those values. Computed
     * values are not covered: whoever derives from them must not keep the result here. Agent loop only.
     */
    public Object memo() {
        return memo;
    }

    public void memo(Object derived) {
        memo = derived;
    }

    public boolean booleanValue(String param) {
        return "true".equals(value(param));
    }

    /** The single-instance child object {@code name}, or null when absent (or when {@code name} is a table). */
    public ObjectNode child(String name) {
        ObjectDef c = def.child(name);
        if (c == null) {
            return null;
        }
        Object o = children[c.childIndex()];
        return o instanceof ObjectNode n ? n : null;
    }

    /** The child table {@code name}, or null. */
    public Table table(String name) {
        ObjectDef c = def.child(name);
        if (c == null) {
            return null;
        }
        Object o = children[c.childIndex()];
        return o instanceof Table t ? t : null;
    }

    Object childSlot(ObjectDef c) {
        return children[c.childIndex()];
    }

    void setChildSlot(ObjectDef c, Object o) {
        children[c.childIndex()] = o;
    }

    /** The rows of the child table {@code name}, in instance-number order (empty when there is no such table). */
    public Collection<ObjectNode> rows(String name) {
        Table t = table(name);
        return t == null ? List.of() : t.rows();
    }

    /** Present single-instance children and the tables, in declaration order. */
    public List<Object> childSlots() {
        List<Object> out = new ArrayList<>(children.length);
        for (Object o : children) {
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /** Present child objects: single-instance children and every row of every child table. */
    public List<ObjectNode> childObjects() {
        List<ObjectNode> out = new ArrayList<>();
        for (Object o : children) {
            if (o instanceof ObjectNode n) {
                out.add(n);
            } else if (o instanceof Table t) {
                out.addAll(t.rows());
            }
        }
        return out;
    }

    /**
     * Calls {@code action} for each present child object, in {@link #childObjects()} order, without building that
     * list (a Get of the whole tree visits every object).
     */
    public void forEachChildObject(Consumer<? super ObjectNode> action) {
        for (Object o : children) {
            if (o instanceof ObjectNode n) {
                action.accept(n);
            } else if (o instanceof Table t) {
                t.forEachRow(action);
            }
        }
    }

    /** The values of every unique-key parameter of this row (relative names). */
    public Map<String, String> uniqueKeyValues() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String k : def.uniqueKeyParams()) {
            keys.put(k, value(k));
        }
        return keys;
    }

    /** The nearest enclosing row (this node if it is one), or null. */
    public ObjectNode enclosingRow() {
        ObjectNode n = this;
        while (n != null && !n.isRow()) {
            n = n.parent;
        }
        return n;
    }

    /** Whether this node is {@code ancestor} or lies below it. */
    public boolean isWithin(ObjectNode ancestor) {
        for (ObjectNode n = this; n != null; n = n.parent) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return path;
    }
}
