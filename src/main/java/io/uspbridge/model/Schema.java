package io.uspbridge.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supported data model: every object the agent implements, by supported path. Built once at start-up by
 * {@link SchemaBuilder} from the contributions of each feature; read-only afterwards.
 */
public final class Schema {
    private final ObjectDef root;
    private final String dataModelUri;
    private final Map<String, ObjectDef> byPath = new LinkedHashMap<>();
    private final List<ParamDef> strongReferences = new ArrayList<>();

    Schema(ObjectDef root, String dataModelUri) {
        this.root = root;
        this.dataModelUri = dataModelUri;
        index(root);
    }

    private void index(ObjectDef d) {
        byPath.put(d.path(), d);
        for (ParamDef p : d.params()) {
            ValueType.Reference ref = p.type().reference();
            if (ref != null && ref.kind() == ValueType.Reference.Kind.PATH && ref.strong()) {
                strongReferences.add(p);
            }
        }
        for (ObjectDef c : d.children()) {
            index(c);
        }
    }

    public ObjectDef root() {
        return root;
    }

    /** URI of the standard model this schema implements, e.g. {@code urn:broadband-forum-org:tr-181-2-19-1}. */
    public String dataModelUri() {
        return dataModelUri;
    }

    /**
     * The object at a supported path ({@code Device.LocalAgent.Controller.{i}.}); a table may also be named
     * without its final {@code {i}.} (GSDM-1). Null when not supported.
     */
    public ObjectDef object(String supportedPath) {
        ObjectDef d = byPath.get(supportedPath);
        if (d == null && supportedPath.endsWith(".")) {
            d = byPath.get(supportedPath + "{i}.");
        }
        return d;
    }

    /** Every object, parents before children, in declaration order. */
    public Iterable<ObjectDef> objects() {
        return Collections.unmodifiableCollection(byPath.values());
    }

    /** Parameters holding strong path references: cleared when their target is deleted (R-ARC.12). */
    public List<ParamDef> strongReferences() {
        return Collections.unmodifiableList(strongReferences);
    }

    /** The supported path of an instantiated path: {@code Device.X.3.Y.} → {@code Device.X.{i}.Y.}. */
    public static String supportedPathOf(String instancePath) {
        StringBuilder sb = new StringBuilder(instancePath.length() + 8);
        int start = 0;
        for (int i = 0; i <= instancePath.length(); i++) {
            if (i == instancePath.length() || instancePath.charAt(i) == '.') {
                String seg = instancePath.substring(start, i);
                if (!seg.isEmpty() && Character.isDigit(seg.charAt(0))) {
                    sb.append("{i}");
                } else {
                    sb.append(seg);
                }
                if (i < instancePath.length()) {
                    sb.append('.');
                }
                start = i + 1;
            }
        }
        return sb.toString();
    }
}
