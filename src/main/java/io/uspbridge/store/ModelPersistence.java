package io.uspbridge.store;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelChange;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ModelListener;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Schema;
import io.uspbridge.model.Table;
import io.uspbridge.model.Transaction;
import io.uspbridge.model.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps what a controller can change in the {@link StateStore}, and puts it back at start-up.
 *
 * <p>What is kept: the values of persisted parameters ({@link ParamDef#isPersisted()}) of static objects and of
 * persisted rows; the rows of tables with {@link ObjectDef#isPersistedRows()}, with their instance numbers; and the
 * next instance number of every table whose parent is static or a persisted row, so that a number is never given to
 * another row after a restart (ARC-5). Rows under an agent-managed row are not kept: their owner re-creates them
 * (a proxied device's capabilities, for example, with the proxy's own instance-number map).
 *
 * <p>Start-up order, on the agent loop: build the model and apply the configuration (the factory defaults); then
 * {@link #restore}, which lays what controllers changed over them; then {@link #attach} before anything else changes
 * the model. Rows the agent seeds from configuration into kept tables (an MTP, a configured controller) are added
 * after {@link #attach}, once, with a "seeded" marker in the store's key-value area, so that what controllers later
 * do to them survives. Everything here runs on the agent loop; the store writes on a thread of its own.
 *
 * <p>A strong reference from a kept object to an agent-managed row (a proxied device) can only be restored when
 * that row exists at {@link #restore} time: owners that keep such rows re-create them before it.
 */
public final class ModelPersistence implements ModelListener {
    private static final Logger LOG = Logger.getLogger(ModelPersistence.class.getName());

    private final StateStore store;
    private DataModel attached;

    public ModelPersistence(StateStore store) {
        this.store = store;
    }

    public StateStore store() {
        return store;
    }

    /** What {@link #restore} did. */
    public record RestoreReport(int rows, int values, int counters, int skipped) {
    }

    // ---- restoring ----------------------------------------------------------------------------------------------

    /**
     * Re-creates the persisted rows with their instance numbers (parents first), applies the persisted values and
     * raises the tables' next instance numbers, in one transaction. Whatever the schema no longer has or no longer
     * accepts (an upgrade removed a parameter, narrowed a range) is skipped with one log line and forgotten: an
     * upgrade must never stop the agent from starting. Never throws for bad stored state.
     */
    public RestoreReport restore(DataModel model) {
        return new Restore(model, store.modelState()).run();
    }

    private final class Restore {
        private final DataModel model;
        private final Schema schema;
        private final SortedMap<String, String> values;
        private final Set<String> storedRows;
        private final SortedMap<String, Integer> counters;
        private final Set<String> appliedValues = new HashSet<>();
        private final Set<String> failedRows = new HashSet<>();
        private final List<String> deferred = new ArrayList<>();
        /** Forgetting what was skipped waits until the transaction committed. */
        private final List<Runnable> forget = new ArrayList<>();
        private int rowCount;
        private int valueCount;
        private int skipped;

        Restore(DataModel model, StateStore.ModelState state) {
            this.model = model;
            this.schema = model.schema();
            this.values = state.values();
            this.storedRows = new LinkedHashSet<>(state.rows());
            this.counters = state.counters();
        }

        RestoreReport run() {
            try (Transaction tx = model.begin(null)) {
                for (String row : rowOrder()) {
                    restoreRow(tx, row);
                }
                // Strong references to rows restored later than their holder (a cycle, or a row's reference to
                // its own sub-row).
                for (String paramPath : deferred) {
                    applyValueAlone(tx, paramPath);
                }
                List<String> staticValues = new ArrayList<>();
                for (String path : values.keySet()) {
                    if (!appliedValues.contains(path) && isStatic(path)) {
                        staticValues.add(path);
                    }
                }
                // Shallower first: an object's discriminators before its union members' values (MSG-8).
                staticValues.sort(java.util.Comparator.comparingLong(p -> p.chars().filter(c -> c == '.').count()));
                for (String path : staticValues) {
                    applyValueAlone(tx, path);
                }
                tx.commit();
            } catch (RuntimeException e) {
                // Not expected: every step above contains its own failures. Start from the configuration rather
                // than not at all; the store keeps its contents for a fixed version to try again.
                LOG.log(Level.SEVERE, "restoring the persisted state failed; starting from the configuration", e);
                int counterCount = restoreCounters(); // numbers are still never given twice (ARC-5)
                return new RestoreReport(0, 0, counterCount, storedRows.size() + values.size());
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (!appliedValues.contains(e.getKey()) && !handledElsewhere(e.getKey())) {
                    skip("value " + e.getKey() + ": its object does not exist", () -> store.removeValue(e.getKey()));
                }
            }
            int counterCount = restoreCounters();
            forget.forEach(Runnable::run);
            LOG.info("restored the persisted state: " + rowCount + " rows, " + valueCount + " values, "
                    + counterCount + " instance counters" + (skipped > 0 ? "; skipped " + skipped : ""));
            return new RestoreReport(rowCount, valueCount, counterCount, skipped);
        }

        /** Stored rows, parents first, and the targets of a row's strong references before the row. */
        private List<String> rowOrder() {
            List<String> byDepth = new ArrayList<>(storedRows);
            byDepth.sort((a, b) -> {
                int d = Integer.compare(depth(a), depth(b));
                return d != 0 ? d : a.compareTo(b);
            });
            Map<String, List<String>> deps = new HashMap<>();
            for (String row : byDepth) {
                List<String> d = new ArrayList<>();
                String parent = enclosingStoredRow(parentPath(row));
                if (parent != null) {
                    d.add(parent);
                }
                for (String paramPath : unitValues(row)) {
                    for (String target : strongTargets(paramPath)) {
                        String t = enclosingStoredRow(target + ".");
                        if (t != null && !t.startsWith(row)) { // a reference into its own sub-rows is deferred
                            d.add(t);
                        }
                    }
                }
                deps.put(row, d);
            }
            List<String> byReference = new ArrayList<>(byDepth.size());
            Set<String> done = new HashSet<>();
            Set<String> visiting = new HashSet<>();
            for (String row : byDepth) {
                visit(row, deps, done, visiting, byReference);
            }
            // A reference cycle may have put a row before its parent: parents always come first (the reference
            // that cannot be set yet is deferred instead).
            List<String> order = new ArrayList<>(byReference.size());
            Set<String> placed = new HashSet<>();
            for (String row : byReference) {
                placeWithParents(row, placed, order);
            }
            return order;
        }

        private void placeWithParents(String row, Set<String> placed, List<String> order) {
            if (placed.contains(row)) {
                return;
            }
            String parent = enclosingStoredRow(parentPath(row));
            if (parent != null) {
                placeWithParents(parent, placed, order);
            }
            placed.add(row);
            order.add(row);
        }

        private void visit(String row, Map<String, List<String>> deps, Set<String> done, Set<String> visiting,
                List<String> order) {
            if (done.contains(row) || !visiting.add(row)) {
                return; // done, or a reference cycle: that value is deferred when it meets a missing target
            }
            for (String d : deps.get(row)) {
                visit(d, deps, done, visiting, order);
            }
            visiting.remove(row);
            done.add(row);
            order.add(row);
        }

        private void restoreRow(Transaction tx, String rowPath) {
            String parentPath = parentPath(rowPath);
            String table = tableName(rowPath);
            int instance = instanceOf(rowPath);
            ObjectNode parent = model.find(parentPath);
            if (parent == null) {
                String parentRow = enclosingStoredRow(parentPath);
                if (parentRow != null && failedRows.contains(parentRow)) {
                    failedRows.add(rowPath);   // said once, for the parent
                    return;
                }
                failRow(rowPath, "its parent " + parentPath + " does not exist", true);
                return;
            }
            Table t = parent.table(table);
            if (t == null || instance <= 0) {
                failRow(rowPath, "the data model has no such table any more", true);
                return;
            }
            if (!t.def().isPersistedRows()) {
                failRow(rowPath, t.def().tablePath() + " no longer keeps its rows across restarts", true);
                return;
            }
            Transaction.Savepoint sp = tx.savepoint();
            int valuesBefore = valueCount;
            int skippedBefore = skipped;
            int forgetBefore = forget.size();
            int deferredBefore = deferred.size();
            try {
                ObjectNode row = t.row(instance);
                if (row == null) {             // a parent's lifecycle may have created it already
                    row = tx.addRow(t, instance);
                }
                for (String paramPath : unitValues(rowPath)) {
                    if (hasMissingStrongTarget(paramPath)) {
                        deferred.add(paramPath);
                    } else {
                        applyValue(tx, paramPath);
                    }
                }
                tx.validateSince(sp);
                rowCount++;
                return;
            } catch (ModelException e) {
                tx.rollbackTo(sp);
                undoUnit(valuesBefore, skippedBefore, forgetBefore, deferredBefore);
                failRow(rowPath, e.getMessage(), true);
            } catch (RuntimeException e) {
                tx.rollbackTo(sp);
                undoUnit(valuesBefore, skippedBefore, forgetBefore, deferredBefore);
                LOG.log(Level.WARNING, "persisted state: cannot restore " + rowPath + "; kept in the store", e);
                failRow(rowPath, null, false);
            }
        }

        /** The row failed as a whole: what its values did no longer counts, the row's own line says it. */
        private void undoUnit(int valuesBefore, int skippedBefore, int forgetBefore, int deferredBefore) {
            valueCount = valuesBefore;
            skipped = skippedBefore;
            forget.subList(forgetBefore, forget.size()).clear();
            deferred.subList(deferredBefore, deferred.size()).clear();
        }

        private void failRow(String rowPath, String why, boolean forgetIt) {
            failedRows.add(rowPath);
            if (why != null) {
                skip("row " + rowPath + ": " + why, forgetIt ? () -> store.removeTree(rowPath) : null);
            } else {
                skipped++;
            }
            appliedValues.addAll(under(rowPath)); // its values and sub-rows go (or stay) with it
        }

        /** Applies one stored value inside the current unit; a value the schema rejects is skipped. */
        private void applyValue(Transaction tx, String paramPath) {
            appliedValues.add(paramPath);
            int dot = paramPath.lastIndexOf('.');
            ObjectNode node = model.find(paramPath.substring(0, dot + 1));
            String name = paramPath.substring(dot + 1);
            if (node == null) {
                skip("value " + paramPath + ": its object does not exist", () -> store.removeValue(paramPath));
                return;
            }
            ParamDef p = node.def().param(name);
            if (p == null) {
                skip("value " + paramPath + ": the data model has no such parameter any more",
                        () -> store.removeValue(paramPath));
                return;
            }
            if (!p.isPersisted()) {
                skip("value " + paramPath + ": no longer kept across restarts", () -> store.removeValue(paramPath));
                return;
            }
            String stored = values.get(paramPath);
            try {
                tx.set(node, p, stored);
            } catch (ModelException e) {
                skip("value " + paramPath + " = '" + abbreviate(stored) + "': " + e.getMessage(),
                        () -> store.removeValue(paramPath));
                return;
            }
            valueCount++;
            String now = node.value(p);
            if (!stored.equals(now)) {
                forget.add(() -> store.putValue(paramPath, now)); // the schema canonicalises it differently now
            }
        }

        /** Applies and validates one value on its own (static objects, deferred references). */
        private void applyValueAlone(Transaction tx, String paramPath) {
            Transaction.Savepoint sp = tx.savepoint();
            int before = valueCount;
            try {
                applyValue(tx, paramPath);
                tx.validateSince(sp);
            } catch (ModelException e) {
                tx.rollbackTo(sp);
                valueCount = before;
                skip("value " + paramPath + ": " + e.getMessage(), () -> store.removeValue(paramPath));
            }
        }

        private int restoreCounters() {
            int n = 0;
            for (Map.Entry<String, Integer> e : counters.entrySet()) {
                Table t = model.findTable(e.getKey());
                if (t == null) {
                    String row = enclosingStoredRow(e.getKey());
                    if (row == null || !failedRows.contains(row)) {
                        // A table the schema dropped, or under a row that is gone: nothing left to protect.
                        forget.add(() -> store.removeCounter(e.getKey()));
                    }
                    continue;
                }
                t.reserveInstancesBelow(e.getValue());
                n++;
            }
            return n;
        }

        private void skip(String what, Runnable forgetIt) {
            skipped++;
            LOG.warning("persisted state: skipped " + what);
            if (forgetIt != null) {
                forget.add(forgetIt);
            }
        }

        // ---- stored paths -------------------------------------------------------------------------------------

        /** Values held by the row itself or its single-instance children, not by its sub-rows. */
        /**
         * The stored values of a row and of its single-instance sub-objects, the row's own first: they include
         * the discriminators that bring union members (e.g. {@code MTP.{i}.MQTT.}) into existence (MSG-8).
         */
        private List<String> unitValues(String rowPath) {
            List<String> out = new ArrayList<>();
            for (String paramPath : under(rowPath)) {
                if (!hasInstanceSegment(paramPath, rowPath.length())) {
                    out.add(paramPath);
                }
            }
            out.sort(java.util.Comparator.comparingLong(p -> p.chars().filter(c -> c == '.').count()));
            return out;
        }

        private List<String> under(String rowPath) {
            String end = rowPath.substring(0, rowPath.length() - 1) + '/';
            return new ArrayList<>(values.subMap(rowPath, end).keySet());
        }

        /** The stored row that is {@code objectPath} or contains it, or null. */
        private String enclosingStoredRow(String objectPath) {
            String p = objectPath;
            while (!p.isEmpty()) {
                if (storedRows.contains(p)) {
                    return p;
                }
                int dot = p.lastIndexOf('.', p.length() - 2);
                if (dot < 0) {
                    return null;
                }
                p = p.substring(0, dot + 1);
            }
            return null;
        }

        /** The rows (instance paths, no trailing dot) that a stored strong-reference value names. */
        private List<String> strongTargets(String paramPath) {
            int dot = paramPath.lastIndexOf('.');
            ObjectDef def = schema.object(Schema.supportedPathOf(paramPath.substring(0, dot + 1)));
            ParamDef p = def == null ? null : def.param(paramPath.substring(dot + 1));
            if (p == null) {
                return List.of();
            }
            ValueType.Reference ref = p.type().reference();
            if (ref == null || ref.kind() != ValueType.Reference.Kind.PATH || !ref.strong()) {
                return List.of();
            }
            String v = values.get(paramPath);
            if (v.isEmpty()) {
                return List.of();
            }
            return p.type().isList() ? ValueType.splitList(v) : List.of(v);
        }

        private boolean hasMissingStrongTarget(String paramPath) {
            for (String target : strongTargets(paramPath)) {
                String row = enclosingStoredRow(target + ".");
                if (row != null && model.find(row) == null && !failedRows.contains(row)) {
                    return true;
                }
            }
            return false;
        }

        private boolean handledElsewhere(String paramPath) {
            String row = enclosingStoredRow(paramPath.substring(0, paramPath.lastIndexOf('.') + 1));
            return row != null && failedRows.contains(row);
        }

        private static boolean isStatic(String paramPath) {
            return !hasInstanceSegment(paramPath, 0);
        }
    }

    /** Whether a path has a numeric segment after position {@code from}. */
    static boolean hasInstanceSegment(String path, int from) {
        int start = from;
        for (int i = from; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '.') {
                if (i > start && Character.isDigit(path.charAt(start))) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static int depth(String rowPath) {
        int n = 0;
        int start = 0;
        for (int i = 0; i < rowPath.length(); i++) {
            if (rowPath.charAt(i) == '.') {
                if (i > start && Character.isDigit(rowPath.charAt(start))) {
                    n++;
                }
                start = i + 1;
            }
        }
        return n;
    }

    /** {@code Device.A.3.B.7.} → {@code Device.A.3.} */
    private static String parentPath(String rowPath) {
        int numDot = rowPath.lastIndexOf('.', rowPath.length() - 2);
        int nameDot = rowPath.lastIndexOf('.', numDot - 1);
        return rowPath.substring(0, nameDot + 1);
    }

    /** {@code Device.A.3.B.7.} → {@code B} */
    private static String tableName(String rowPath) {
        int numDot = rowPath.lastIndexOf('.', rowPath.length() - 2);
        int nameDot = rowPath.lastIndexOf('.', numDot - 1);
        return rowPath.substring(nameDot + 1, numDot);
    }

    /** {@code Device.A.3.B.7.} → 7, or -1 when the last segment is not a number. */
    private static int instanceOf(String rowPath) {
        int numDot = rowPath.lastIndexOf('.', rowPath.length() - 2);
        try {
            return Integer.parseInt(rowPath.substring(numDot + 1, rowPath.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    // ---- persisting -----------------------------------------------------------------------------------------------

    /** Starts persisting the model's changes. Call after {@link #restore}, on the agent loop. */
    public void attach(DataModel model) {
        if (attached != null) {
            throw new IllegalStateException("already attached to a data model");
        }
        attached = model;
        model.addListener(this);
    }

    /**
     * Forgets everything ({@code FactoryReset()}), key-value area included, and stops persisting this model's
     * changes: the agent restarts from its configuration next. The caller may record what must survive the reset
     * (e.g. the boot cause) in the key-value area afterwards.
     *
     * @return completes with true once the empty state is in the file
     */
    public CompletableFuture<Boolean> wipe() {
        if (attached != null) {
            attached.removeListener(this);
            attached = null;
        }
        store.wipe();
        return store.flush();
    }

    @Override
    public void onChanges(List<ModelChange> changes) {
        for (ModelChange c : changes) {
            if (c instanceof ModelChange.ValueChanged vc) {
                if (vc.param().isPersisted() && vc.object().isLive() && isKept(vc.object())) {
                    store.putValue(vc.path(), vc.newValue());
                }
            } else if (c instanceof ModelChange.ObjectCreated oc) {
                rowCreated(oc.object());
            } else if (c instanceof ModelChange.ObjectDeleted od) {
                store.removeTree(od.object().path());
            }
        }
    }

    private void rowCreated(ObjectNode row) {
        ObjectNode parent = row.parent();
        if (!isKept(parent)) {
            return;
        }
        Table t = row.table();
        store.putCounter(t.path(), t.nextInstance());
        if (row.isLive() && row.def().isPersistedRows()) {
            store.putRow(row.path());
            // Values set in the creating transaction are not in the feed (one ObjectCreated says it all).
            putValues(row);
        }
    }

    private void putValues(ObjectNode node) {
        for (ParamDef p : node.def().params()) {
            if (p.isPersisted()) {
                String v = node.value(p);
                if (v != null) {
                    store.putValue(node.path() + p.name(), v);
                }
            }
        }
        for (Object slot : node.childSlots()) {
            if (slot instanceof ObjectNode child) {
                putValues(child);   // single-instance children; sub-rows have their own ObjectCreated
            }
        }
    }

    /** Whether the state of {@code node} survives restarts: it is static, or every row above it is persisted. */
    static boolean isKept(ObjectNode node) {
        for (ObjectNode r = node.enclosingRow(); r != null; r = r.parent().enclosingRow()) {
            if (!r.def().isPersistedRows()) {
                return false;
            }
        }
        return true;
    }
}
