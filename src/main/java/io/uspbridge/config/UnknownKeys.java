package io.uspbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Finds {@code uspbridge.*} keys that no configuration mapping of this build knows (an adapter's settings on a build
 * without that adapter, a typo), so the application can warn instead of refusing to start (issue 4's contract).
 * The known keys are read from the {@link ConfigMapping} interfaces themselves, so they cannot drift apart.
 */
public final class UnknownKeys {
    private final List<Node> roots = new ArrayList<>();

    /** A mapping interface and where it is rooted. */
    private record Node(String prefix, Class<?> type) {
    }

    public UnknownKeys(List<Class<?>> mappings) {
        for (Class<?> m : mappings) {
            ConfigMapping cm = m.getAnnotation(ConfigMapping.class);
            roots.add(new Node(cm == null ? "" : cm.prefix(), m));
        }
    }

    /** The keys among {@code names} under {@code prefix} that no mapping knows. */
    public List<String> unknown(Iterable<String> names, String prefix) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(prefix) && !known(n)) {
                out.add(n);
            }
        }
        return out;
    }

    boolean known(String key) {
        for (Node r : roots) {
            if (key.startsWith(r.prefix() + ".") && matches(r.type(), segments(key.substring(r.prefix().length() + 1)), 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Type type, List<String> segs, int i) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            return matches(arg(type, 0), segs, i);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return i < segs.size() && matches(arg(type, 1), segs, i + 1);
        }
        if (raw.isInterface() && !raw.getName().startsWith("java.")) {
            if (i >= segs.size()) {
                return false;
            }
            for (Method m : raw.getMethods()) {
                if (m.getParameterCount() == 0 && name(m).equals(segs.get(i))
                        && matches(m.getGenericReturnType(), segs, i + 1)) {
                    return true;
                }
            }
            return false;
        }
        return i == segs.size(); // a leaf value
    }

    private static String name(Method m) {
        WithName n = m.getAnnotation(WithName.class);
        if (n != null) {
            return n.value();
        }
        StringBuilder sb = new StringBuilder();
        for (char c : m.getName().toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Splits a key into segments; a quoted segment ({@code "acs.1"}) may contain dots. */
    static List<String> segments(String key) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : key.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c == OptionalInt.class || c == OptionalLong.class ? Object.class : c;
        }
        return (Class<?>) ((ParameterizedType) t).getRawType();
    }

    private static Type arg(Type t, int i) {
        return ((ParameterizedType) t).getActualTypeArguments()[i];
    }
}
