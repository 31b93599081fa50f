package io.uspbridge.path;

import java.util.List;

/**
 * One element of a parsed instantiated-model path after the root name (PATH-2): an object or leaf name, an instance
 * number, the wildcard {@code *}, a search expression {@code [...]}, or a reference to follow ({@code Ref+},
 * {@code Ref#2+}, {@code Ref#*+}). The leaf of a parameter, command or event path is a {@link Name} that carries the
 * name as written: {@code Enable}, {@code Reboot()}, {@code Boot!}.
 */
public sealed interface PathSegment {

    /** An object name followed by a dot, or the leaf name at the end of a parameter/command/event path. */
    record Name(String name) implements PathSegment {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Instance-number addressing (PATH-3): a positive integer. */
    record InstanceNumber(int number) implements PathSegment {
        @Override
        public String toString() {
            return Integer.toString(number);
        }
    }

    /** The wildcard {@code *}: all current instances (PATH-5). */
    record Wildcard() implements PathSegment {
        public static final Wildcard INSTANCE = new Wildcard();

        @Override
        public String toString() {
            return "*";
        }
    }

    /**
     * A bracketed expression {@code [c1&&c2]}: a search (PATH-6), or unique-key addressing (PATH-4) when it gives
     * every parameter of one unique key with {@code ==} (only the resolver, which knows the keys, can tell).
     */
    record SearchExpression(List<SearchCondition> conditions) implements PathSegment {
        public SearchExpression {
            conditions = List.copyOf(conditions);
            if (conditions.isEmpty()) {
                throw new IllegalArgumentException("a search expression must not be empty");
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[");
            for (SearchCondition c : conditions) {
                if (sb.length() > 1) {
                    sb.append("&&");
                }
                sb.append(c);
            }
            return sb.append(']').toString();
        }
    }

    /**
     * Reference following (PATH-7): read the object reference parameter {@code param} and continue from the object it
     * names. {@code index} is the 1-based list item to follow ({@code +} alone is item 1), or {@link #ALL} for
     * {@code #*+}.
     */
    record ReferenceFollow(String param, int index) implements PathSegment {
        public static final int ALL = 0;

        public ReferenceFollow {
            if (index < 0) {
                throw new IllegalArgumentException("index must be positive or ALL");
            }
        }

        public boolean all() {
            return index == ALL;
        }

        @Override
        public String toString() {
            return param + (index == 1 ? "+" : index == ALL ? "#*+" : "#" + index + "+");
        }
    }
}
