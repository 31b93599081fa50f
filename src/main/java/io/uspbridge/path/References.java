package io.uspbridge.path;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.ValueType;
import java.util.List;
import java.util.function.Consumer;

/** Reference following (PATH-7), shared by path segments and search-expression relative paths. */
final class References {
    private References() {
    }

    /** Only references to objects can be followed: path references (TR-106 pathRef), not enumeration references. */
    static boolean isObjectReference(ParamDef p) {
        ValueType.Reference r = p.type().reference();
        return r != null && r.kind() == ValueType.Reference.Kind.PATH;
    }

    /**
     * The row definition a reference points into, when its declared target names one table
     * ({@code Device.LocalAgent.Controller.}); null when it may point at objects of several kinds (no target, or a
     * single-instance object under which anything may be named).
     */
    static ObjectDef declaredTarget(DataModel model, ParamDef p) {
        String target = p.type().reference().target();
        if (target == null || target.isBlank() || target.indexOf(' ') >= 0) {
            return null;
        }
        String t = target.endsWith(".") ? target : target + ".";
        ObjectDef d = model.schema().object(t);
        return d != null && d.isMultiInstance() ? d : null;
    }

    /**
     * Passes every existing, readable object that {@code holder}'s reference {@code p} names at {@code index}
     * (1-based, or ALL) to {@code sink}. Empty values, items beyond the list and dangling references yield nothing.
     */
    static void follow(DataModel model, ObjectNode holder, ParamDef p, int index, ReadAccess access,
            Consumer<ObjectNode> sink) {
        String value = holder.value(p);
        if (value == null || value.isEmpty()) {
            return;
        }
        if (!p.type().isList()) {
            // A single reference is a list of one: Ref+ and Ref#1+ follow it, Ref#2+ finds nothing.
            if (index == PathSegment.ReferenceFollow.ALL || index == 1) {
                emit(model, value, access, sink);
            }
            return;
        }
        List<String> items = ValueType.splitList(value);
        if (index == PathSegment.ReferenceFollow.ALL) {
            for (String item : items) {
                emit(model, item, access, sink);
            }
        } else if (index <= items.size()) {
            emit(model, items.get(index - 1), access, sink);
        }
    }

    private static void emit(DataModel model, String ref, ReadAccess access, Consumer<ObjectNode> sink) {
        if (ref.isEmpty()) {
            return;
        }
        ObjectNode target = model.find(ref);
        if (target != null && target.isLive() && access.canReadObject(target)) {
            sink.accept(target);
        }
    }
}
