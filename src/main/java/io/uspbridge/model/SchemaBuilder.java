package io.uspbridge.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Declares the supported data model. Each feature contributes its objects; the declarations read like the TR-181
 * tables they implement:
 *
 * <pre>{@code
 * ObjectBuilder c = b.table("Device.LocalAgent.Controller.{i}.").access(TableAccess.ADD_DELETE)
 *         .functionalKey("EndpointID").alias().enableParam("Enable");
 * c.param("EndpointID", ValueType.string()).writable().defaultValue("");
 * c.param("Enable", ValueType.bool()).writable().defaultValue("false");
 * c.command("SendOnBoardRequest()").handler(call -> ...);
 * }</pre>
 *
 * A table's {@code …NumberOfEntries} parameter is added to its parent automatically. {@link #mount} places a copy
 * of a mountable object (e.g. {@code Device.IoTCapability.{i}.}) under a mount point; mounts are applied when the
 * schema is built, so they include everything declared on the template.
 */
public final class SchemaBuilder {
    private final ObjectDef root;
    private final String dataModelUri;
    private final List<String[]> mounts = new ArrayList<>();
    private boolean built;

    public SchemaBuilder(String rootName, String dataModelUri) {
        this.root = new ObjectDef(null, rootName, false, 0);
        this.dataModelUri = dataModelUri;
    }

    /** Declares (or returns, to extend) a single-instance object. */
    public ObjectBuilder object(String path) {
        ObjectDef d = declare(path);
        if (d.isMultiInstance()) {
            throw new IllegalArgumentException(path + " is a table: use table()");
        }
        return new ObjectBuilder(d);
    }

    /** Declares (or returns, to extend) a multi-instance object; the path ends in {@code {i}.}. */
    public ObjectBuilder table(String path) {
        ObjectDef d = declare(path);
        if (!d.isMultiInstance()) {
            throw new IllegalArgumentException(path + " is not a table path (it must end in {i}.)");
        }
        return new ObjectBuilder(d);
    }

    /**
     * Mounts {@code templatePath} (an object declared under the root, e.g. {@code Device.IoTCapability.{i}.}) under
     * the mount point {@code mountPointPath} (e.g. {@code Device.ProxiedDevice.{i}.}); PRX-2, PRX-5.
     */
    public SchemaBuilder mount(String mountPointPath, String templatePath) {
        mounts.add(new String[] {mountPointPath, templatePath});
        return this;
    }

    public Schema build() {
        if (built) {
            throw new IllegalStateException("schema already built");
        }
        built = true;
        for (String[] m : mounts) {
            ObjectDef mountPoint = find(m[0]);
            ObjectDef template = find(m[1]);
            if (mountPoint == null || template == null) {
                throw new IllegalStateException("mount " + m[1] + " under " + m[0] + ": not declared");
            }
            if (!mountPoint.mountPoint) {
                throw new IllegalStateException(m[0] + " is not declared as a mount point");
            }
            copyInto(mountPoint, template);
        }
        return new Schema(root, dataModelUri);
    }

    private void copyInto(ObjectDef newParent, ObjectDef template) {
        ObjectDef copy = newParent.addChild(template.name(), template.isMultiInstance());
        copyContent(template, copy);
        if (template.isMultiInstance()) {
            addNumEntries(copy);
        } else {
            // A mounted single object describes the proxied (sub-)device only where it is mounted.
            copy.optional = true;
        }
    }

    private void copyContent(ObjectDef from, ObjectDef to) {
        to.access = from.access;
        to.uniqueKeys.addAll(from.uniqueKeys);
        // A mounted copy describes another (proxied) device: it takes the template's declarations, never the
        // behaviour a feature attached to the template for the hub itself (the hub's UpTime is not a proxied
        // device's UpTime). Whatever owns the mounted rows supplies their values and commands (ObjectOwner).
        for (ParamDef p : from.paramList) {
            ParamDef c = p.copyFor(to, to.paramList.size());
            if (c.storage == ParamDef.Storage.COMPUTED) {
                c.storage = ParamDef.Storage.STORED;
                c.computer = null;
            }
            to.params.put(c.name(), c);
            to.paramList.add(c);
        }
        from.commands.forEach((n, c) -> {
            CommandDef copy = c.copyFor(to);
            copy.handler = null;
            to.commands.put(n, copy);
        });
        from.events.forEach((n, e) -> to.events.put(n, e.copyFor(to)));
        to.numEntriesParam = from.numEntriesParam;
        to.enableParam = from.enableParam;
        to.mountPoint = from.mountPoint;
        to.optional = from.optional;
        to.persistedRows = from.persistedRows;
        to.dataModelUri = from.dataModelUri;
        to.maxEntries = from.maxEntries;
        to.discriminatorParam = from.discriminatorParam;
        to.discriminatorValue = from.discriminatorValue;
        for (ObjectDef child : from.childList) {
            ObjectDef c = to.addChild(child.name(), child.isMultiInstance());
            copyContent(child, c);
        }
    }

    private ObjectDef find(String path) {
        ObjectDef d = root;
        List<String> tokens = tokens(path);
        if (!tokens.get(0).equals(root.name())) {
            return null;
        }
        for (int i = 1; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("{i}")) {
                continue;
            }
            d = d.child(t);
            if (d == null) {
                return null;
            }
        }
        return d;
    }

    private ObjectDef declare(String path) {
        if (built) {
            throw new IllegalStateException("schema already built");
        }
        if (!path.endsWith(".")) {
            throw new IllegalArgumentException("object path must end with '.': " + path);
        }
        List<String> tokens = tokens(path);
        if (!tokens.get(0).equals(root.name())) {
            throw new IllegalArgumentException(path + " is not under " + root.path());
        }
        ObjectDef d = root;
        for (int i = 1; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("{i}")) {
                throw new IllegalArgumentException("misplaced {i} in " + path);
            }
            boolean multi = i + 1 < tokens.size() && tokens.get(i + 1).equals("{i}");
            boolean last = i == tokens.size() - 1 || (multi && i + 1 == tokens.size() - 1);
            ObjectDef existing = d.child(t);
            if (existing == null && !last) {
                throw new IllegalArgumentException("parent of " + path + " is not declared (" + t + ")");
            }
            d = d.addChild(t, multi);
            if (multi) {
                i++;
                if (existing == null) {
                    addNumEntries(d);
                }
            }
        }
        return d;
    }

    private static void addNumEntries(ObjectDef table) {
        if (table.numEntriesParam == null) {
            table.numEntriesParam = table.name() + "NumberOfEntries";
        }
        ParamDef p = table.parent().addParam(table.numEntriesParam, ValueType.unsignedInt());
        p.access = Access.READ_ONLY;
    }

    /** Adds an argument, or replaces the one of the same name (declaring twice refines, never duplicates). */
    private static List<ArgDef> withArg(List<ArgDef> args, ArgDef arg) {
        List<ArgDef> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).name().equals(arg.name())) {
                out.set(i, arg);
                return List.copyOf(out);
            }
        }
        out.add(arg);
        return List.copyOf(out);
    }

    private static List<String> tokens(String path) {
        String p = path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
        return Arrays.asList(p.split("\\."));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Fluent declarations on one object. */
    public static final class ObjectBuilder {
        private final ObjectDef def;

        ObjectBuilder(ObjectDef def) {
            this.def = def;
        }

        public ObjectDef def() {
            return def;
        }

        public ParamBuilder param(String name, ValueType type) {
            ParamDef p = def.addParam(name, type);
            p.type = type;
            return new ParamBuilder(p);
        }

        /**
         * Extends the declaration of a parameter declared earlier, keeping its type: how a feature adds behaviour
         * (a key generator, persistence) to a standard parameter without repeating its TR-181 declaration.
         */
        public ParamBuilder param(String name) {
            ParamDef p = def.param(name);
            if (p == null) {
                throw new IllegalArgumentException(def.path() + name + " is not declared");
            }
            return new ParamBuilder(p);
        }

        /** Declares {@code Alias} (writeOnceReadOnly, {@code cpe-…} when not given) as a non-functional key. */
        public ObjectBuilder alias() {
            ParamBuilder p = param("Alias", ValueType.alias()).writeOnce();
            p.def.keyGenerator = row -> "cpe-" + row.instance();
            return nonFunctionalKey("Alias");
        }

        public ObjectBuilder access(TableAccess access) {
            def.access = access;
            return this;
        }

        public ObjectBuilder functionalKey(String... params) {
            def.uniqueKeys.add(new UniqueKey(List.of(params), true));
            return this;
        }

        public ObjectBuilder nonFunctionalKey(String... params) {
            def.uniqueKeys.add(new UniqueKey(List.of(params), false));
            return this;
        }

        public ObjectBuilder enableParam(String name) {
            def.enableParam = name;
            return this;
        }

        public ObjectBuilder maxEntries(int n) {
            def.maxEntries = n;
            return this;
        }

        public ObjectBuilder mountPoint() {
            def.mountPoint = true;
            return this;
        }

        public ObjectBuilder optional() {
            def.optional = true;
            return this;
        }

        /**
         * Makes this optional object a union member: it exists exactly while the parent's {@code param} equals
         * {@code value}; the model creates and removes it as that parameter changes.
         */
        public ObjectBuilder presentWhen(String param, String value) {
            if (def.parent() == null || def.parent().param(param) == null) {
                throw new IllegalStateException(def.path() + ": discriminator " + param + " is not a parameter of "
                        + (def.parent() == null ? "its parent" : def.parent().path()));
            }
            def.optional = true;
            def.discriminatorParam = param;
            def.discriminatorValue = value;
            return this;
        }

        public ObjectBuilder persistedRows(boolean persisted) {
            def.persistedRows = persisted;
            return this;
        }

        public ObjectBuilder dataModelUri(String uri) {
            def.dataModelUri = uri;
            return this;
        }

        public ObjectBuilder lifecycle(RowLifecycle lifecycle) {
            def.lifecycles.add(lifecycle);
            return this;
        }

        public CommandBuilder command(String name) {
            if (!name.endsWith("()")) {
                throw new IllegalArgumentException("command name must end with (): " + name);
            }
            CommandDef c = def.commands.computeIfAbsent(name, n -> new CommandDef(def, n));
            return new CommandBuilder(c);
        }

        public EventBuilder event(String name) {
            if (!name.endsWith("!")) {
                throw new IllegalArgumentException("event name must end with !: " + name);
            }
            EventDef e = def.events.computeIfAbsent(name, n -> new EventDef(def, n));
            return new EventBuilder(e);
        }
    }

    /** Fluent declarations on one parameter. Read-only and stored unless said otherwise. */
    public static final class ParamBuilder {
        private final ParamDef def;

        ParamBuilder(ParamDef def) {
            this.def = def;
        }

        public ParamDef def() {
            return def;
        }

        public ParamBuilder writable() {
            def.access = Access.READ_WRITE;
            return this;
        }

        public ParamBuilder writeOnce() {
            def.access = Access.WRITE_ONCE;
            return this;
        }

        public ParamBuilder defaultValue(String value) {
            def.defaultValue = def.type.canonical(value);
            return this;
        }

        public ParamBuilder secured() {
            def.secured = true;
            return this;
        }

        /** GSDM reports VALUE_CHANGE_WILL_IGNORE; ValueChange subscriptions do not fire for it. */
        public ParamBuilder ignoreValueChange() {
            def.valueChangeIgnored = true;
            return this;
        }

        /** Read-only, computed on every read. */
        public ParamBuilder computed(Function<ObjectNode, String> computer) {
            def.storage = ParamDef.Storage.COMPUTED;
            def.computer = computer;
            def.access = Access.READ_ONLY;
            return this;
        }

        /** Cached in the tree, written through the object's {@link ObjectOwner}. */
        public ParamBuilder bound() {
            def.storage = ParamDef.Storage.BOUND;
            return this;
        }

        public ParamBuilder persisted(boolean persisted) {
            def.persisted = persisted;
            return this;
        }

        public ParamBuilder generatedBy(ParamDef.KeyGenerator generator) {
            def.keyGenerator = generator;
            return this;
        }
    }

    /** Fluent declarations on one command. */
    public static final class CommandBuilder {
        private final CommandDef def;

        CommandBuilder(CommandDef def) {
            this.def = def;
        }

        public CommandDef def() {
            return def;
        }

        public CommandBuilder async() {
            def.async = true;
            return this;
        }

        public CommandBuilder sync() {
            def.async = false;
            return this;
        }

        public CommandBuilder input(String name, ValueType type) {
            return addInput(new ArgDef(name, type, false, null));
        }

        public CommandBuilder input(String name, ValueType type, String defaultValue) {
            return addInput(new ArgDef(name, type, false, defaultValue));
        }

        public CommandBuilder mandatoryInput(String name, ValueType type) {
            return addInput(new ArgDef(name, type, true, null));
        }

        public CommandBuilder output(String name, ValueType type) {
            def.outputArgs = withArg(def.outputArgs, new ArgDef(name, type, false, null));
            return this;
        }

        public CommandBuilder handler(CommandHandler handler) {
            def.handler = handler;
            return this;
        }

        private CommandBuilder addInput(ArgDef arg) {
            def.inputArgs = withArg(def.inputArgs, arg);
            return this;
        }
    }

    /** Fluent declarations on one event. */
    public static final class EventBuilder {
        private final EventDef def;

        EventBuilder(EventDef def) {
            this.def = def;
        }

        public EventDef def() {
            return def;
        }

        public EventBuilder arg(String name, ValueType type) {
            def.args = withArg(def.args, new ArgDef(name, type, false, null));
            return this;
        }
    }
}
