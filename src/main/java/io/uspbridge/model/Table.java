package io.uspbridge.model;

import java.util.Collection;
import java.util.Collections;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The rows of one multi-instance object under one parent instance, e.g. {@code Device.LocalAgent.Controller.}.
 * Instance numbers only grow while the agent lives and are restored from the store across restarts (ARC-5), so a
 * number is never reused for another row.
 */
public final class Table {
    private final ObjectDef def;
    private final ObjectNode parent;
    final TreeMap<Integer, ObjectNode> rows = new TreeMap<>();
    int nextInstance = 1;

    Table(ObjectDef def, ObjectNode parent) {
        this.def = def;
        this.parent = parent;
    }

    public ObjectDef def() {
        return def;
    }

    public ObjectNode parent() {
        return parent;
    }

    /** The table path with trailing dot, e.g. {@code Device.LocalAgent.Controller.}. */
    public String path() {
        return parent.path() + def.name() + ".";
    }

    public Collection<ObjectNode> rows() {
        return Collections.unmodifiableCollection(rows.values());
    }

    /** Calls {@code action} for each row in instance-number order; {@code action} must not add or delete rows. */
    public void forEachRow(Consumer<? super ObjectNode> action) {
        for (ObjectNode row : rows.values()) {
            action.accept(row);
        }
    }

    public ObjectNode row(int instance) {
        return rows.get(instance);
    }

    public int size() {
        return rows.size();
    }

    /** The number the next new row gets unless an explicit one is requested. */
    public int nextInstance() {
        return nextInstance;
    }

    /** Raises the next instance number (restoring from the store); never lowers it. */
    public void reserveInstancesBelow(int next) {
        nextInstance = Math.max(nextInstance, next);
    }

    @Override
    public String toString() {
        return path();
    }
}
