package io.uspbridge.path;

import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * A search-expression constant converted to the type of the parameter it is compared with, and the test of a stored
 * value against it (PATH-6). Built once per condition and parameter type; {@link #test} is cheap and never throws.
 *
 * <p>Rules (TR-369 "Searching with Expressions"; errors are 7008, invalid path syntax):
 * <ul>
 * <li>strings (enumerations and references included) are written quoted; only {@code ==} and {@code !=};</li>
 * <li>booleans are written unquoted ({@code true}, {@code false}, {@code 1}, {@code 0}): {@code [Enable=="true"]} is
 * invalid; only {@code ==} and {@code !=};</li>
 * <li>numbers are written unquoted and compared numerically ({@code 123}, {@code +123} and {@code 0123} are equal);
 * a constant outside the parameter's range is allowed and simply compared;</li>
 * <li>date-times are compared as instants; the Unknown Time ({@code 0001-01-01T00:00:00Z}) allows only {@code ==} and
 * {@code !=}, and a stored Unknown Time never satisfies an ordering; TR-369 writes them unquoted, quoted is accepted
 * too, as are quoted or unquoted hexBinary (compared ignoring case) and base64;</li>
 * <li>{@code ~=} is valid only on list parameters and tests whether one item equals the constant, written as an item
 * of the list's type ({@code [Targets~="Device."]}, {@code [Ports~=8080]}); {@code ==}/{@code !=} on a list compare the
 * whole list, written as a quoted string.</li>
 * </ul>
 */
final class SearchConstant {

    private enum Kind { TEXT, BOOLEAN, ORDERED, HEX, LIST_WHOLE, LIST_CONTAINS }

    private final Kind kind;
    private final SearchOperator op;
    private final ValueType type;        // the (item) type compared
    private final String constant;       // canonical form
    private final SearchConstant item;   // for ~=: the equality test of one item
    private final BigDecimal number;     // the constant of a numeric type, parsed once

    private SearchConstant(Kind kind, SearchOperator op, ValueType type, String constant, SearchConstant item) {
        this.kind = kind;
        this.op = op;
        this.type = type;
        this.constant = constant;
        this.item = item;
        this.number = kind == Kind.ORDERED && type.base().isNumeric() ? new BigDecimal(constant) : null;
    }

    /**
     * Converts {@code value} for a parameter of {@code type} compared with {@code op}.
     *
     * @throws ModelException 7008 when the operator or the constant does not fit the type
     */
    static SearchConstant of(String param, ValueType type, SearchOperator op, SearchValue value) {
        if (op == SearchOperator.CONTAINS) {
            if (!type.isList()) {
                throw invalid(param, "'~=' applies only to list parameters, and " + param + " is not a list");
            }
            SearchConstant one = scalar(param, type.itemType(), SearchOperator.EQ, value);
            return new SearchConstant(Kind.LIST_CONTAINS, op, type.itemType(), one.constant, one);
        }
        if (type.isList()) {
            if (op.isOrdering()) {
                throw invalid(param, param + " is a list: only ==, != and ~= apply");
            }
            if (!value.quoted()) {
                throw invalid(param, "compare the list " + param + " with a quoted string, or test one item with ~=");
            }
            return new SearchConstant(Kind.LIST_WHOLE, op, type, String.join(",", ValueType.splitList(value.text())),
                    null);
        }
        return scalar(param, type, op, value);
    }

    private static SearchConstant scalar(String param, ValueType type, SearchOperator op, SearchValue value) {
        String text = value.text();
        switch (type.base()) {
            case STRING -> {
                if (!value.quoted()) {
                    throw invalid(param, param + " is a string: write the value in double quotes (\"" + text + "\")");
                }
                equalityOnly(param, "a string", op);
                return new SearchConstant(Kind.TEXT, op, type, text, null);
            }
            case BOOLEAN -> {
                if (value.quoted()) {
                    throw invalid(param, param + " is a boolean: write true, false, 1 or 0 without quotes");
                }
                equalityOnly(param, "a boolean", op);
                String b = canonicalBoolean(text);
                if (b == null) {
                    throw invalid(param, "'" + text + "' is not a boolean (true, false, 1 or 0)");
                }
                return new SearchConstant(Kind.BOOLEAN, op, type, b, null);
            }
            case INT, UNSIGNED_INT, LONG, UNSIGNED_LONG, DECIMAL -> {
                if (value.quoted()) {
                    throw invalid(param, param + " is a number: write the value without quotes");
                }
                String canonical = type.base() == ValueType.Base.DECIMAL ? decimal(text) : integer(text);
                if (canonical == null) {
                    throw invalid(param, "'" + text + "' is not " + (type.base() == ValueType.Base.DECIMAL
                            ? "a decimal number" : "an integer") + ", as " + param + " requires");
                }
                return new SearchConstant(Kind.ORDERED, op, type, canonical, null);
            }
            case DATE_TIME -> {
                String canonical = convert(param, ValueType.dateTime(), text, "a dateTime");
                if (op.isOrdering() && ValueType.UNKNOWN_TIME.equals(canonical)) {
                    throw invalid(param, "the Unknown Time can only be compared with == or !=");
                }
                return new SearchConstant(Kind.ORDERED, op, type, canonical, null);
            }
            case HEX_BINARY -> {
                equalityOnly(param, "hexBinary", op);
                return new SearchConstant(Kind.HEX, op, type, convert(param, ValueType.hexBinary(), text, "hexBinary"),
                        null);
            }
            case BASE64 -> {
                equalityOnly(param, "base64", op);
                return new SearchConstant(Kind.TEXT, op, type, convert(param, ValueType.base64(), text, "base64"),
                        null);
            }
            default -> throw new IllegalStateException("unknown type " + type.base());
        }
    }

    /** Whether a stored (canonical) value satisfies the condition. Values that cannot be compared do not. */
    boolean test(String stored) {
        if (stored == null) {
            return false;
        }
        switch (kind) {
            case LIST_CONTAINS -> {
                List<String> items = ValueType.splitList(stored);
                for (String i : items) {
                    if (item.test(i)) {
                        return true;
                    }
                }
                return false;
            }
            case LIST_WHOLE -> {
                return equality(String.join(",", ValueType.splitList(stored)).equals(constant));
            }
            case TEXT -> {
                return equality(stored.equals(constant));
            }
            case HEX -> {
                return equality(stored.equalsIgnoreCase(constant));
            }
            case BOOLEAN -> {
                String b = canonicalBoolean(stored);
                return b != null && equality(b.equals(constant));
            }
            case ORDERED -> {
                if (op.isOrdering() && type.base() == ValueType.Base.DATE_TIME
                        && ValueType.UNKNOWN_TIME.equals(stored)) {
                    return false;
                }
                try {
                    // Numbers: what ValueType.compare does, without parsing the constant for every row.
                    int c = number != null ? new BigDecimal(stored).compareTo(number) : type.compare(stored, constant);
                    return op.accepts(c);
                } catch (RuntimeException e) {
                    return false; // e.g. a computed number that reads "": it matches no comparison
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private boolean equality(boolean equal) {
        return op == SearchOperator.NE ? !equal : equal;
    }

    // ---- conversions without facets: a constant outside a parameter's range is still a valid comparison -------

    private static String canonicalBoolean(String s) {
        return switch (s) {
            case "true", "1" -> "true";
            case "false", "0" -> "false";
            default -> null;
        };
    }

    /** [+-]?[0-9]+ as a canonical integer, or null. */
    private static String integer(String s) {
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            i = 1;
        }
        if (i == s.length() || s.length() > 100) {
            return null;
        }
        for (int k = i; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return null;
            }
        }
        return new BigInteger(s.charAt(0) == '+' ? s.substring(1) : s).toString();
    }

    /** [+-]?([0-9]+(.[0-9]*)?|.[0-9]+) as a canonical decimal, or null. */
    private static String decimal(String s) {
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            i = 1;
        }
        if (s.length() > 100) {
            return null;
        }
        int digits = 0;
        int dots = 0;
        for (int k = i; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '.') {
                dots++;
            } else if (c >= '0' && c <= '9') {
                digits++;
            } else {
                return null;
            }
        }
        if (digits == 0 || dots > 1) {
            return null;
        }
        return ValueType.formatDecimal(new BigDecimal(s.charAt(0) == '+' ? s.substring(1) : s));
    }

    private static String convert(String param, ValueType plain, String text, String what) {
        try {
            return plain.canonical(text);
        } catch (ModelException e) {
            throw invalid(param, "'" + abbreviate(text) + "' is not " + what + ", as " + param + " requires");
        }
    }

    private static void equalityOnly(String param, String what, SearchOperator op) {
        if (op.isOrdering() || op == SearchOperator.CONTAINS) {
            throw invalid(param, param + " is " + what + ": only == and != apply, not " + op.symbol());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static ModelException invalid(String param, String why) {
        return new ModelException(ErrorCode.INVALID_PATH_SYNTAX, "invalid search expression: " + why);
    }
}
