package io.uspbridge.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The instantiated data model: the tree of {@link ObjectNode}s built on a {@link Schema}, and its change feed.
 *
 * <p>Threading (ARCHITECTURE.md): the tree has one owner, the agent loop. Once {@link #bindToCurrentThread()} was
 * called from the loop, any change from another thread fails fast. Every change goes through a
 * {@link Transaction}; the short-cut methods here ({@link #set}, {@link #addRow}, {@link #delete},
 * {@link #raiseEvent}) each run one small transaction of their own, or join the one that is open.
 */
public final class DataModel {
    private static final Logger LOG = Logger.getLogger(DataModel.class.getName());

    private final Schema schema;
    private final ObjectNode root;
    private final List<ModelListener> listeners = new CopyOnWriteArrayList<>();
    /** Live nodes of the objects that hold strong references, to clear references to deleted rows (R-ARC.12). */
    private final Map<ObjectDef, Set<ObjectNode>> referenceHolders = new IdentityHashMap<>();
    private Function<String, String> referenceResolver = this::resolveExactReference;
    private volatile Thread owner;
    Transaction openTx;

    public DataModel(Schema schema) {
        this.schema = schema;
        for (ParamDef p : schema.strongReferences()) {
            referenceHolders.put(p.object(), new LinkedHashSet<>());
        }
        this.root = new ObjectNode(schema.root(), null, 0);
        registerStatic(root);
    }

    public Schema schema() {
        return schema;
    }

    public ObjectNode root() {
        return root;
    }

    /** Makes the calling thread (the agent loop) the only one allowed to change the tree. */
    public void bindToCurrentThread() {
        owner = Thread.currentThread();
    }

    void checkThread() {
        Thread t = owner;
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException("the data model is owned by " + t.getName()
                    + " and was changed from " + Thread.currentThread().getName());
        }
    }

    public void addListener(ModelListener l) {
        listeners.add(l);
    }

    public void removeListener(ModelListener l) {
        listeners.remove(l);
    }

    /**
     * Installs the function that turns a reference value a controller wrote (an instance path, or a unique-key
     * address, R-ARC.11) into the canonical instance-number path, or throws {@link ModelException}. The path layer
     * installs one that understands unique-key addressing; the default understands instance paths only.
     */
    public void setReferenceResolver(Function<String, String> resolver) {
        this.referenceResolver = resolver;
    }

    Function<String, String> referenceResolver() {
        return referenceResolver;
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * The object at an exact instance path ({@code Device.LocalAgent.Controller.2.}; the trailing dot may be
     * omitted), or null. No wildcards or searches: that is the path layer's job.
     */
    public ObjectNode find(String instancePath) {
        String p = instancePath.endsWith(".") ? instancePath : instancePath + ".";
        String rootPrefix = root.path();
        if (!p.startsWith(rootPrefix)) {
            return null;
        }
        ObjectNode n = root;
        int start = rootPrefix.length();
        while (start < p.length()) {
            int dot = p.indexOf('.', start);
            String name = p.substring(start, dot);
            ObjectDef c = n.def().child(name);
            if (c == null) {
                return null;
            }
            if (c.isMultiInstance()) {
                int dot2 = p.indexOf('.', dot + 1);
                if (dot2 < 0) {
                    return null;
                }
                int inst;
                try {
                    inst = Integer.parseInt(p.substring(dot + 1, dot2));
                } catch (NumberFormatException e) {
                    return null;
                }
                Table t = (Table) n.childSlot(c);
                n = t.row(inst);
                start = dot2 + 1;
            } else {
                n = (ObjectNode) n.childSlot(c);
                start = dot + 1;
            }
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** The table at an exact path ({@code Device.LocalAgent.Controller.}), or null. */
    public Table findTable(String tablePath) {
        String p = tablePath.endsWith(".") ? tablePath.substring(0, tablePath.length() - 1) : tablePath;
        int dot = p.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        ObjectNode parent = find(p.substring(0, dot + 1));
        return parent == null ? null : parent.table(p.substring(dot + 1));
    }

    /** The value at a full parameter path, or null if there is no such parameter. */
    public String value(String paramPath) {
        int dot = paramPath.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        ObjectNode n = find(paramPath.substring(0, dot + 1));
        return n == null ? null : n.value(paramPath.substring(dot + 1));
    }

    // ---- changing -------------------------------------------------------------------------------------------

    /** Opens a transaction on behalf of {@code originator} (a controller's Endpoint ID, or null for the agent). */
    public Transaction begin(String originator) {
        checkThread();
        if (openTx != null) {
            throw new IllegalStateException("a transaction is already open");
        }
        openTx = new Transaction(this, originator);
        return openTx;
    }

    /** Runs {@code work} in the open transaction, or in a new agent transaction that it commits. */
    public void update(Consumer<Transaction> work) {
        checkThread();
        if (openTx != null) {
            work.accept(openTx);
            return;
        }
        try (Transaction tx = begin(null)) {
            work.accept(tx);
            tx.commit();
        }
    }

    /** Sets a parameter as the agent (no access check; the value is validated and canonicalised). */
    public void set(ObjectNode node, String param, String value) {
        ParamDef p = requireParam(node, param);
        update(tx -> tx.set(node, p, value));
    }

    /** Adds a row as the agent, with the given values (relative names) and the next free instance number. */
    public ObjectNode addRow(ObjectNode parent, String table, Map<String, String> values) {
        return addRow(parent, table, 0, values);
    }

    /** Adds a row as the agent with a chosen instance number (0 = the next free one). */
    public ObjectNode addRow(ObjectNode parent, String table, int instance, Map<String, String> values) {
        Table t = parent.table(table);
        if (t == null) {
            throw new IllegalArgumentException(parent.path() + table + " is not a table");
        }
        ObjectNode[] created = new ObjectNode[1];
        update(tx -> {
            created[0] = tx.addRow(t, instance);
            // The row's own parameters first: they include the discriminators that bring union members such as
            // MTP.{i}.MQTT. into existence before their parameters are set (MSG-8).
            for (boolean nested : new boolean[] {false, true}) {
                values.forEach((k, v) -> {
                    if ((k.indexOf('.') >= 0) == nested) {
                        Transaction.ParamRef ref = tx.resolveRelative(created[0], k);
                        tx.set(ref.object(), ref.param(), v);
                    }
                });
            }
        });
        return created[0];
    }

    public void delete(ObjectNode row) {
        update(tx -> tx.delete(row));
    }

    public void raiseEvent(ObjectNode node, String event, Map<String, String> args) {
        EventDef e = node.def().event(event);
        if (e == null) {
            throw new IllegalArgumentException(node.path() + event + " is not a supported event");
        }
        update(tx -> tx.raiseEvent(node, e, args));
    }

    /** Creates an optional single-instance child (e.g. {@code BinaryControl.} of a capability) if absent. */
    public ObjectNode ensureChild(ObjectNode parent, String name) {
        ObjectNode[] c = new ObjectNode[1];
        update(tx -> c[0] = tx.ensureChild(parent, name));
        return c[0];
    }

    /** Sets the owner that handles writes of bound parameters and device commands of {@code node}. */
    public void setOwner(ObjectNode node, ObjectOwner owner) {
        checkThread();
        node.owner = owner;
    }

    static ParamDef requireParam(ObjectNode node, String param) {
        ParamDef p = node.def().param(param);
        if (p == null) {
            throw new ModelException(ErrorCode.UNSUPPORTED_PARAMETER, node.path() + param + " is not a parameter");
        }
        return p;
    }

    // ---- feed -----------------------------------------------------------------------------------------------

    void publish(List<ModelChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<ModelChange> batch = List.copyOf(changes);
        for (ModelListener l : listeners) {
            try {
                l.onChanges(batch);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "change listener " + l + " failed; the model is unaffected", e);
            }
        }
    }

    // ---- bookkeeping used by Transaction ---------------------------------------------------------------------

    private void registerStatic(ObjectNode node) {
        register(node);
    }

    /** Registers a node (and its present descendants) that became live. */
    void register(ObjectNode node) {
        Set<ObjectNode> holders = referenceHolders.get(node.def());
        if (holders != null) {
            holders.add(node);
        }
        for (ObjectNode c : node.childObjects()) {
            register(c);
        }
    }

    void unregister(ObjectNode node) {
        Set<ObjectNode> holders = referenceHolders.get(node.def());
        if (holders != null) {
            holders.remove(node);
        }
        for (ObjectNode c : node.childObjects()) {
            unregister(c);
        }
    }

    Collection<ObjectNode> referenceHolders(ObjectDef def) {
        Set<ObjectNode> s = referenceHolders.get(def);
        return s == null ? List.of() : new ArrayList<>(s);
    }

    private String resolveExactReference(String raw) {
        ObjectNode n = find(raw);
        if (n == null) {
            throw new ModelException(ErrorCode.INVALID_VALUE, "'" + raw + "' does not name an existing object");
        }
        return n.referencePath();
    }
}
