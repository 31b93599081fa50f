package io.uspbridge.security;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One entry of a Permission's {@code Targets}: a partial path (the object and everything below it), an instance
 * path, a parameter/command/event path, or a search path. {@code *} is matched segment by segment (it also matches
 * a supported-model {@code {i}}); search expressions are resolved against the tree through the path layer.
 */
final class PermissionTarget {
    private final String text;
    private final boolean objectTarget;   // ends with '.': applies to the object and its descendants
    private final String[] segments;      // null when the target is a plain prefix
    private final boolean search;

    private PermissionTarget(String text) {
        this.text = text;
        this.objectTarget = text.endsWith(".");
        this.search = text.indexOf('[') >= 0;
        this.segments = text.indexOf('*') >= 0 && !search ? split(text) : null;
    }

    static PermissionTarget parse(String text) {
        return new PermissionTarget(text.strip());
    }

    boolean isSearch() {
        return search;
    }

    String text() {
        return text;
    }

    /**
     * Whether the element at {@code objectPath} (an instance or supported path with trailing dot) plus {@code leaf}
     * (parameter/command/event name, or null for the object itself) is covered.
     *
     * @param searchMatches resolves a search target to the instance paths it matches now (only used for searches)
     */
    boolean covers(String objectPath, String leaf, Function<String, List<String>> searchMatches) {
        if (search) {
            for (String matched : searchMatches.apply(text)) {
                String m = objectTarget && !matched.endsWith(".") ? matched + "." : matched;
                if (coversPrefix(m, objectPath, leaf)) {
                    return true;
                }
            }
            return false;
        }
        if (segments != null) {
            return coversPattern(objectPath, leaf);
        }
        return coversPrefix(text, objectPath, leaf);
    }

    private static boolean coversPrefix(String target, String objectPath, String leaf) {
        if (target.endsWith(".")) {
            return objectPath.startsWith(target);
        }
        // A parameter, command or event target covers exactly that element.
        return leaf != null && target.length() == objectPath.length() + leaf.length() && target.startsWith(objectPath)
                && target.endsWith(leaf);
    }

    private boolean coversPattern(String objectPath, String leaf) {
        String[] element = split(leaf == null ? objectPath : objectPath + leaf);
        int n = segments.length;
        if (objectTarget ? element.length < n : element.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            String t = segments[i];
            String e = element[i];
            if (t.equals("*")) {
                if (e.isEmpty() || !(Character.isDigit(e.charAt(0)) || e.equals("{i}"))) {
                    return false;
                }
            } else if (!t.equals(e)) {
                return false;
            }
        }
        return true;
    }

    private static String[] split(String path) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.') {
                out.add(path.substring(start, i));
                start = i + 1;
            }
        }
        if (start < path.length()) {
            out.add(path.substring(start));
        }
        return out.toArray(String[]::new);
    }

    @Override
    public String toString() {
        return text;
    }
}
