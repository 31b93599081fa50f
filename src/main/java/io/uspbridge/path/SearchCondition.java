package io.uspbridge.path;

import java.util.List;

/**
 * One component of a search expression: {@code relpath oper value}. The relative path holds {@link PathSegment.Name}
 * and {@link PathSegment.ReferenceFollow} segments only and always ends with the {@link PathSegment.Name} of the
 * parameter compared, e.g. {@code Stats.ErrorsSent} or {@code Recipient+.EndpointID}.
 */
public record SearchCondition(List<PathSegment> relPath, SearchOperator operator, SearchValue value) {
    public SearchCondition {
        relPath = List.copyOf(relPath);
        if (relPath.isEmpty() || !(relPath.get(relPath.size() - 1) instanceof PathSegment.Name)) {
            throw new IllegalArgumentException("a relative path must end with a parameter name");
        }
    }

    /** The name of the parameter compared (the last element of the relative path). */
    public String paramName() {
        return ((PathSegment.Name) relPath.get(relPath.size() - 1)).name();
    }

    /** A plain parameter of the row itself (no sub-object, no reference following). */
    public boolean isDirect() {
        return relPath.size() == 1;
    }

    /** The relative path as written, e.g. {@code Recipient+.EndpointID}. */
    public String relPathText() {
        StringBuilder sb = new StringBuilder();
        for (PathSegment s : relPath) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(s);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return relPathText() + operator.symbol() + value;
    }
}
