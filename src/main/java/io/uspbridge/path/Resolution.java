package io.uspbridge.path;

import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.Table;
import java.util.List;

/**
 * What a {@link Path} resolved to in the instantiated model.
 *
 * @param path      the path resolved
 * @param kind      the path's kind
 * @param objectDef the supported object addressed: for a parameter, command or event path the object holding it; for
 *                  a table path ({@code Device.LocalAgent.Controller.}) the row definition. Null only when the path
 *                  follows a reference whose declared target is not one table and the matched objects are of
 *                  several kinds (or there are none)
 * @param objects   the matched objects in tree order without duplicates: the addressed objects for an object path,
 *                  every (readable) row of the matched tables for a table path, the holders for a parameter, command
 *                  or event path
 * @param tables    the matched tables, only for an object path that ends at a table name without an instance
 * @param search    whether {@code *}, a search expression or {@code #*+} took part (unique-key addressing is not a
 *                  search, PATH-4). A non-search path that matches nothing names something that does not exist
 *                  (Get: 7026, GET-5; Delete: empty success, DEL-2); a search that matches nothing is an empty
 *                  success (MSG-6)
 */
public record Resolution(Path path, PathKind kind, ObjectDef objectDef, List<ObjectNode> objects, List<Table> tables,
        boolean search) {

    public Resolution {
        objects = List.copyOf(objects);
        tables = List.copyOf(tables);
    }

    /** Whether nothing was matched. */
    public boolean isEmpty() {
        return objects.isEmpty();
    }

    /**
     * Whether the path is an object path ending at a table name without instance ({@code Device.LocalAgent.Controller.}
     * or {@code Device.LocalAgent.Controller.*.BootParameter.}), the form Add and GetInstances expect. True even when no
     * parent instance exists (then {@link #tables()} is empty).
     */
    public boolean isTablePath() {
        if (kind != PathKind.OBJECT || path.segments().isEmpty()) {
            return false;
        }
        PathSegment last = path.segments().get(path.segments().size() - 1);
        return last instanceof PathSegment.Name && objectDef != null && objectDef.isMultiInstance();
    }

    /** {@code Enable}, {@code Reboot()}, {@code Boot!}; null for an object path. */
    public String leafName() {
        return path.leafName();
    }
}
