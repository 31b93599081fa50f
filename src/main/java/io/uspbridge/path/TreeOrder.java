package io.uspbridge.path;

import io.uspbridge.model.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Pre-order of the instantiated tree: a parent before its children, children in declaration order, rows by instance
 * number. Results are listed in this order; only paths that follow references need the sort, since walking a path
 * level by level keeps the order by itself.
 */
final class TreeOrder implements Comparator<ObjectNode> {
    static final TreeOrder INSTANCE = new TreeOrder();

    private TreeOrder() {
    }

    @Override
    public int compare(ObjectNode a, ObjectNode b) {
        if (a == b) {
            return 0;
        }
        int da = depth(a);
        int db = depth(b);
        ObjectNode x = a;
        ObjectNode y = b;
        while (da > db) {
            x = x.parent();
            da--;
        }
        while (db > da) {
            y = y.parent();
            db--;
        }
        if (x == y) {
            return a == x ? -1 : 1; // one is the other's ancestor: the ancestor comes first
        }
        while (x.parent() != y.parent()) {
            x = x.parent();
            y = y.parent();
        }
        int c = Integer.compare(x.def().childIndex(), y.def().childIndex());
        return c != 0 ? c : Integer.compare(x.instance(), y.instance());
    }

    private static int depth(ObjectNode n) {
        int d = 0;
        for (ObjectNode p = n.parent(); p != null; p = p.parent()) {
            d++;
        }
        return d;
    }

    /** The nodes without duplicates (by identity), in tree order. */
    static List<ObjectNode> sortedDistinct(List<ObjectNode> nodes) {
        if (nodes.size() < 2) {
            return nodes;
        }
        Set<ObjectNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<ObjectNode> out = new ArrayList<>(nodes.size());
        for (ObjectNode n : nodes) {
            if (seen.add(n)) {
                out.add(n);
            }
        }
        out.sort(INSTANCE);
        return out;
    }
}
