package io.uspbridge.path;

/** The operators of a search expression component (PATH-6). */
public enum SearchOperator {
    EQ("=="), NE("!="), CONTAINS("~="), LT("<"), GT(">"), LE("<="), GE(">=");

    private final String symbol;

    SearchOperator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** {@code <, >, <=, >=}: valid only for ordered types (numbers, date-times). */
    public boolean isOrdering() {
        return this == LT || this == GT || this == LE || this == GE;
    }

    /** Applies this ordering or (in)equality operator to the result of a comparison. */
    boolean accepts(int comparison) {
        return switch (this) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case LT -> comparison < 0;
            case GT -> comparison > 0;
            case LE -> comparison <= 0;
            case GE -> comparison >= 0;
            case CONTAINS -> throw new IllegalStateException("~= is not a comparison");
        };
    }

    @Override
    public String toString() {
        return symbol;
    }
}
