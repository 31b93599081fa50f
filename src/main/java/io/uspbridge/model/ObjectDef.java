package io.uspbridge.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object of the supported data model: {@code Device.LocalAgent.} (single-instance) or
 * {@code Device.LocalAgent.Controller.{i}.} (multi-instance, a table). Holds its parameters, commands, events, child
 * objects, unique keys and behaviour. Built by {@link SchemaBuilder}; unchanging once the {@link Schema} exists.
 */
public final class ObjectDef {
    private final ObjectDef parent;
    private final String name;
    private final String path;
    private final boolean multiInstance;
    final int childIndex;

    TableAccess access = TableAccess.READ_ONLY;
    final List<UniqueKey> uniqueKeys = new ArrayList<>();
    final Map<String, ParamDef> params = new LinkedHashMap<>();
    final List<ParamDef> paramList = new ArrayList<>();
    final Map<String, CommandDef> commands = new LinkedHashMap<>();
    final Map<String, EventDef> events = new LinkedHashMap<>();
    final Map<String, ObjectDef> children = new LinkedHashMap<>();
    final List<ObjectDef> childList = new ArrayList<>();
    String numEntriesParam;
    String enableParam;
    boolean mountPoint;
    boolean optional;
    Boolean persistedRows;
    String dataModelUri;
    int maxEntries = -1;
    String discriminatorParam;
    String discriminatorValue;
    final List<RowLifecycle> lifecycles = new ArrayList<>();

    ObjectDef(ObjectDef parent, String name, boolean multiInstance, int childIndex) {
        this.parent = parent;
        this.name = name;
        this.multiInstance = multiInstance;
        this.childIndex = childIndex;
        this.path = parent == null ? name + "." : parent.path + name + "." + (multiInstance ? "{i}." : "");
    }

    ParamDef addParam(String pname, ValueType type) {
        if (params.containsKey(pname)) {
            return params.get(pname);
        }
        ParamDef p = new ParamDef(this, pname, type, paramList.size());
        params.put(pname, p);
        paramList.add(p);
        return p;
    }

    ObjectDef addChild(String cname, boolean multi) {
        ObjectDef existing = children.get(cname);
        if (existing != null) {
            if (existing.multiInstance != multi) {
                throw new IllegalStateException(path + cname + " declared both as table and as single object");
            }
            return existing;
        }
        ObjectDef c = new ObjectDef(this, cname, multi, childList.size());
        children.put(cname, c);
        childList.add(c);
        return c;
    }

    public ObjectDef parent() {
        return parent;
    }

    /** The object's own name, e.g. {@code Controller}. */
    public String name() {
        return name;
    }

    /** Supported-model path with {@code {i}} and trailing dot, e.g. {@code Device.LocalAgent.Controller.{i}.}. */
    public String path() {
        return path;
    }

    /** The table path without the trailing {@code {i}.}: {@code Device.LocalAgent.Controller.}. */
    public String tablePath() {
        return multiInstance ? path.substring(0, path.length() - 4) : path;
    }

    public boolean isMultiInstance() {
        return multiInstance;
    }

    public TableAccess access() {
        return access;
    }

    public List<UniqueKey> uniqueKeys() {
        return Collections.unmodifiableList(uniqueKeys);
    }

    /** Every parameter that takes part in some unique key, in declaration order of the keys. */
    public List<String> uniqueKeyParams() {
        List<String> all = new ArrayList<>();
        for (UniqueKey k : uniqueKeys) {
            for (String p : k.params()) {
                if (!all.contains(p)) {
                    all.add(p);
                }
            }
        }
        return all;
    }

    public boolean isNonFunctionalKey(String param) {
        for (UniqueKey k : uniqueKeys) {
            if (!k.functional() && k.params().contains(param)) {
                return true;
            }
        }
        return false;
    }

    public ParamDef param(String pname) {
        return params.get(pname);
    }

    public List<ParamDef> params() {
        return Collections.unmodifiableList(paramList);
    }

    /** Whether a parameter of this object is computed on every read (its value can change without a transaction). */
    public boolean hasComputedParams() {
        for (ParamDef p : paramList) {
            if (p.storage() == ParamDef.Storage.COMPUTED) {
                return true;
            }
        }
        return false;
    }

    public CommandDef command(String cname) {
        return commands.get(cname);
    }

    public Collection<CommandDef> commands() {
        return Collections.unmodifiableCollection(commands.values());
    }

    public EventDef event(String ename) {
        return events.get(ename);
    }

    public Collection<EventDef> events() {
        return Collections.unmodifiableCollection(events.values());
    }

    public ObjectDef child(String cname) {
        return children.get(cname);
    }

    public List<ObjectDef> children() {
        return Collections.unmodifiableList(childList);
    }

    /** Name of the parent's {@code …NumberOfEntries} parameter counting this table's rows, or null. */
    public String numEntriesParam() {
        return numEntriesParam;
    }

    /** The table's enable parameter: functional keys need only be unique among enabled rows (TR-106). */
    public String enableParam() {
        return enableParam;
    }

    /**
     * A mount point ({@code ProxiedDevice.{i}}, {@code Node.{i}}): each instance may mount different objects, so
     * GetSupportedDM reports the instances as divergent paths (GSDM-5).
     */
    public boolean isMountPoint() {
        return mountPoint;
    }

    /**
     * A single-instance object that exists only where its owner creates it (the one class object of an
     * {@code IoTCapability.{i}}, a mounted {@code DeviceInfo.}). Tables are always present, possibly empty.
     */
    public boolean isOptional() {
        return optional;
    }

    /** Whether rows of this table survive restarts (default: the tables controllers may add to). */
    public boolean isPersistedRows() {
        return persistedRows != null ? persistedRows : access.canAdd();
    }

    /**
     * For an optional object that is one member of a union (MSG-8, TR-106 discriminators): the parent's parameter
     * that decides whether it exists, e.g. {@code Protocol} for {@code MTP.{i}.MQTT.}, {@code Class} for
     * {@code IoTCapability.{i}.BinaryControl.}; null otherwise.
     */
    public String discriminatorParam() {
        return discriminatorParam;
    }

    /** The value of {@link #discriminatorParam()} for which this object exists. */
    public String discriminatorValue() {
        return discriminatorValue;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** URI of the model that defines the object (GSDM-6); null means the schema's own. */
    public String dataModelUri() {
        return dataModelUri;
    }

    public List<RowLifecycle> lifecycles() {
        return Collections.unmodifiableList(lifecycles);
    }

    public int childIndex() {
        return childIndex;
    }

    /** Whether this object is {@code other} or lies below it. */
    public boolean isWithin(ObjectDef other) {
        for (ObjectDef d = this; d != null; d = d.parent) {
            if (d == other) {
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
