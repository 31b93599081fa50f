package io.uspbridge.notify;

import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The watches of one NotifType, indexed by what they watch, so that a change is matched without looking at the
 * paths of all subscriptions (a hub may hold thousands, mostly one parameter each):
 *
 * <ul>
 * <li>paths naming one instance ({@code Device.ProxiedDevice.3.IoTCapability.2.LevelSensor.Value},
 * {@code Device.LocalAgent.Controller.1.}) by that instance path: a change is looked up with one hash probe per
 * enclosing object of the changed one;</li>
 * <li>paths with {@code *}, search expressions or a final table name by the definition they address: a change meets
 * only the patterns of its own definition (and of its enclosing objects' definitions, for object paths), each then
 * tested on the changed object's rows;</li>
 * <li>paths that follow references, which can reach any definition: kept in a list, resolved when a change of this
 * type happens.</li>
 * </ul>
 * Within each bucket, leaf paths are grouped by leaf name. Runs on the agent loop.
 */
final class WatchIndex {

    /** The watches at one instance path or one definition. */
    private static final class Bucket {
        final Map<String, List<Watch>> byLeaf = new HashMap<>();
        final List<Watch> objects = new ArrayList<>();

        void add(Watch w) {
            (w.leaf == null ? objects : byLeaf.computeIfAbsent(w.leaf, k -> new ArrayList<>())).add(w);
        }

        void remove(Watch w) {
            if (w.leaf == null) {
                objects.remove(w);
            } else {
                List<Watch> l = byLeaf.get(w.leaf);
                if (l != null) {
                    l.remove(w);
                    if (l.isEmpty()) {
                        byLeaf.remove(w.leaf);
                    }
                }
            }
        }

        boolean isEmpty() {
            return objects.isEmpty() && byLeaf.isEmpty();
        }
    }

    private final Map<String, Bucket> exact = new HashMap<>();
    private final Map<ObjectDef, Bucket> byDef = new IdentityHashMap<>();
    private final List<Watch> dynamic = new ArrayList<>();
    private int size;

    void add(Watch w) {
        size++;
        if (w.pattern == null) {
            dynamic.add(w);
        } else if (w.pattern.exactPath() != null) {
            exact.computeIfAbsent(w.pattern.exactPath(), k -> new Bucket()).add(w);
        } else {
            byDef.computeIfAbsent(w.pattern.target(), k -> new Bucket()).add(w);
        }
    }

    void remove(Watch w) {
        size--;
        if (w.pattern == null) {
            dynamic.remove(w);
        } else if (w.pattern.exactPath() != null) {
            removeFrom(exact, w.pattern.exactPath(), w);
        } else {
            removeFrom(byDef, w.pattern.target(), w);
        }
    }

    private static <K> void removeFrom(Map<K, Bucket> map, K key, Watch w) {
        Bucket b = map.get(key);
        if (b != null) {
            b.remove(w);
            if (b.isEmpty()) {
                map.remove(key);
            }
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Paths that follow references: the caller resolves them. */
    List<Watch> dynamic() {
        return dynamic;
    }

    /**
     * Candidates for a parameter, command or event {@code leaf} of {@code node}: leaf paths naming it, and object
     * paths naming {@code node} or an object above it. Each candidate is passed with the object its path must name
     * ({@code node}, or the enclosing object); patterns still have to be tested on it, exact paths already match.
     */
    void leafCandidates(ObjectNode node, String leaf, Candidates sink) {
        for (ObjectNode at = node; at != null; at = at.parent()) {
            Bucket e = exact.get(at.path());
            if (e != null) {
                if (at == node) {
                    offer(e.byLeaf.get(leaf), at, true, sink);
                }
                offer(e.objects, at, true, sink);
            }
            Bucket d = byDef.get(at.def());
            if (d != null) {
                if (at == node) {
                    offer(d.byLeaf.get(leaf), at, false, sink);
                }
                offer(d.objects, at, false, sink);
            }
        }
    }

    /** Candidates for a row created or deleted: object paths naming the row itself (9.2). */
    void rowCandidates(ObjectNode row, Candidates sink) {
        Bucket e = exact.get(row.path());
        if (e != null) {
            offer(e.objects, row, true, sink);
        }
        Bucket d = byDef.get(row.def());
        if (d != null) {
            offer(d.objects, row, false, sink);
        }
    }

    private static void offer(List<Watch> watches, ObjectNode at, boolean exactMatch, Candidates sink) {
        if (watches != null) {
            for (Watch w : watches) {
                sink.candidate(w, at, exactMatch);
            }
        }
    }

    /** Receives candidate watches. */
    @FunctionalInterface
    interface Candidates {
        /**
         * @param at         the object the watch's path must name
         * @param exactMatch whether that is already certain (an instance path equal to {@code at}'s)
         */
        void candidate(Watch w, ObjectNode at, boolean exactMatch);
    }

    /** Every watch (for diagnostics and tests). */
    void forEach(Consumer<Watch> c) {
        exact.values().forEach(b -> {
            b.objects.forEach(c);
            b.byLeaf.values().forEach(l -> l.forEach(c));
        });
        byDef.values().forEach(b -> {
            b.objects.forEach(c);
            b.byLeaf.values().forEach(l -> l.forEach(c));
        });
        dynamic.forEach(c);
    }
}
