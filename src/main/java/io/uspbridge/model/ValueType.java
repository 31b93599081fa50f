package io.uspbridge.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A TR-106 parameter type: one of the ten primitive base types, with its facets (string length, numeric ranges and
 * step, enumeration, patterns, list-ness with item counts, reference target). Immutable; the {@code with…} methods
 * return a changed copy, so declarations read like the TR-181 XML: {@code ValueType.unsignedInt().range(1, 65535)}.
 *
 * <p>{@link #canonical(String)} validates a value received from a controller and returns the canonical lexical form
 * the agent stores and sends (ENC-5): {@code 1} becomes {@code true}, {@code +007} becomes {@code 7}, list items lose
 * the spaces around commas, date-times are expressed in UTC with {@code Z}. Lexical failures are 7011 (invalid
 * type), facet violations 7012 (invalid value).
 */
public final class ValueType {

    /** The TR-106 primitive types; the order is irrelevant, the wire mapping lives in the message layer. */
    public enum Base {
        STRING, BOOLEAN, INT, UNSIGNED_INT, LONG, UNSIGNED_LONG, DECIMAL, DATE_TIME, BASE64, HEX_BINARY;

        public boolean isNumeric() {
            return this == INT || this == UNSIGNED_INT || this == LONG || this == UNSIGNED_LONG || this == DECIMAL;
        }
    }

    /** An inclusive numeric range with an optional step (TR-106 {@code range minInclusive maxInclusive step}). */
    public record Range(BigDecimal min, BigDecimal max, BigDecimal step) {
        boolean contains(BigDecimal v) {
            if (min != null && v.compareTo(min) < 0) {
                return false;
            }
            if (max != null && v.compareTo(max) > 0) {
                return false;
            }
            if (step != null && step.signum() > 0) {
                BigDecimal origin = min != null ? min : BigDecimal.ZERO;
                return v.subtract(origin).remainder(step).signum() == 0;
            }
            return true;
        }

        @Override
        public String toString() {
            return "[" + (min == null ? "" : min.toPlainString()) + ":" + (max == null ? "" : max.toPlainString())
                    + (step == null ? "" : " step " + step.toPlainString()) + "]";
        }
    }

    /** What a reference parameter points at (TR-106 pathRef / enumerationRef). */
    public record Reference(Kind kind, String target, boolean strong) {
        public enum Kind {
            /** The value is a path to an object (or parameter) under {@code target} (a supported-path prefix). */
            PATH,
            /** The value must be one of the items of the list parameter named by {@code target}. */
            ENUMERATION
        }
    }

    public static final String UNKNOWN_TIME = "0001-01-01T00:00:00Z";

    private static final BigDecimal MAX_UNSIGNED_INT = new BigDecimal("4294967295");
    private static final BigDecimal MIN_INT = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal MAX_INT = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal MIN_LONG = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal MAX_UNSIGNED_LONG = new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");
    private static final Pattern DATE_TIME = Pattern.compile(
            "-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?");
    private static final Pattern HEX = Pattern.compile("([0-9A-Fa-f]{2})*");
    /** TR-106 3.3 vendor values: {@code X_<OUI>_<Name>} or {@code X_<DOMAIN-WITH-HYPHENS>_<Name>}. */
    private static final Pattern VENDOR_VALUE =
            Pattern.compile("X_(?:[0-9A-F]{6}|[A-Z0-9]+(?:-[A-Z0-9]+)+)_[A-Za-z][A-Za-z0-9_-]*");
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

    private final Base base;
    private final int minLength;
    private final int maxLength;          // -1 = unbounded; chars for string, bytes for base64/hexBinary
    private final List<Range> ranges;
    private final List<String> enumeration;
    private final List<Pattern> patterns;
    private final boolean list;
    private final int minItems;
    private final int maxItems;           // -1 = unbounded
    private final int listMaxLength;      // -1 = unbounded; length of the whole comma-separated string
    private final Reference reference;
    private final String unit;
    private final String name;            // named TR-106/TR-181 data type, e.g. "Alias", informative
    private final boolean vendorValues;   // an enumeration that also takes X_<VENDOR>_<Name> values

    private ValueType(Base base, int minLength, int maxLength, List<Range> ranges, List<String> enumeration,
            List<Pattern> patterns, boolean list, int minItems, int maxItems, int listMaxLength, Reference reference,
            String unit, String name, boolean vendorValues) {
        this.base = base;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.ranges = List.copyOf(ranges);
        this.enumeration = List.copyOf(enumeration);
        this.patterns = List.copyOf(patterns);
        this.list = list;
        this.minItems = minItems;
        this.maxItems = maxItems;
        this.listMaxLength = listMaxLength;
        this.reference = reference;
        this.unit = unit;
        this.name = name;
        this.vendorValues = vendorValues;
    }

    private static ValueType of(Base base) {
        return new ValueType(base, 0, -1, List.of(), List.of(), List.of(), false, 0, -1, -1, null, null, null, false);
    }

    // ---- factories for the primitive types -------------------------------------------------------------------

    public static ValueType string() {
        return of(Base.STRING);
    }

    public static ValueType string(int maxLength) {
        return of(Base.STRING).maxLength(maxLength);
    }

    public static ValueType bool() {
        return of(Base.BOOLEAN);
    }

    public static ValueType integer() {
        return of(Base.INT);
    }

    public static ValueType unsignedInt() {
        return of(Base.UNSIGNED_INT);
    }

    public static ValueType longInt() {
        return of(Base.LONG);
    }

    public static ValueType unsignedLong() {
        return of(Base.UNSIGNED_LONG);
    }

    public static ValueType decimal() {
        return of(Base.DECIMAL);
    }

    public static ValueType dateTime() {
        return of(Base.DATE_TIME);
    }

    public static ValueType base64() {
        return of(Base.BASE64);
    }

    public static ValueType hexBinary() {
        return of(Base.HEX_BINARY);
    }

    /** {@code _AliasUSP}: string(64), non-empty, starting with a letter (TR-181 Alias rules). */
    public static ValueType alias() {
        return string(64).minLength(1).pattern("[A-Za-z].*").named("Alias");
    }

    /** A string enumeration. */
    public static ValueType enumeration(String... values) {
        return string().values(values);
    }

    // ---- facets ----------------------------------------------------------------------------------------------

    public ValueType minLength(int n) {
        return new ValueType(base, n, maxLength, ranges, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    public ValueType maxLength(int n) {
        return new ValueType(base, minLength, n, ranges, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    public ValueType length(int min, int max) {
        return minLength(min).maxLength(max);
    }

    /** Adds an inclusive range; a value must lie in at least one of the declared ranges. Null = open end. */
    public ValueType range(Number min, Number max) {
        return range(min, max, null);
    }

    public ValueType range(Number min, Number max, Number step) {
        List<Range> r = new ArrayList<>(ranges);
        r.add(new Range(dec(min), dec(max), dec(step)));
        return new ValueType(base, minLength, maxLength, r, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    public ValueType values(String... values) {
        List<String> e = new ArrayList<>(enumeration);
        e.addAll(List.of(values));
        return new ValueType(base, minLength, maxLength, ranges, e, patterns, list, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    public ValueType values(List<String> values) {
        return values(values.toArray(String[]::new));
    }

    public ValueType pattern(String regex) {
        List<Pattern> p = new ArrayList<>(patterns);
        p.add(Pattern.compile(regex));
        return new ValueType(base, minLength, maxLength, ranges, enumeration, p, list, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    /** Makes this a comma-separated list of values of this type. */
    public ValueType list() {
        return list(0, -1);
    }

    public ValueType list(int minItems, int maxItems) {
        return new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, true, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    /** Maximum length of the whole comma-separated list string (TR-106 list {@code size}). */
    public ValueType listMaxLength(int n) {
        return new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, list, minItems, maxItems, n,
                reference, unit, name, vendorValues);
    }

    public ValueType pathRef(String targetParent, boolean strong) {
        return new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, new Reference(Reference.Kind.PATH, targetParent, strong), unit, name, vendorValues);
    }

    public ValueType enumRef(String targetParam) {
        return new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, new Reference(Reference.Kind.ENUMERATION, targetParam, false), unit, name, vendorValues);
    }

    public ValueType unit(String unit) {
        return new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    /**
     * Lets this enumeration also take vendor values {@code X_<VENDOR>_<Name>} (TR-106 3.3; VENDOR an OUI or an
     * upper-case domain name with hyphens for dots), e.g. {@code X_USPBRIDGE-IO_Virtual} for
     * {@code ProxyProtocol}. For enumerations the agent fills from outside knowledge (an adapter's device types and
     * units); one a controller writes keeps to its declared values.
     */
    public ValueType vendorValues() {
        return new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, reference, unit, name, true);
    }

    public ValueType named(String name) {
        return new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, list, minItems, maxItems,
                listMaxLength, reference, unit, name, vendorValues);
    }

    // ---- accessors -------------------------------------------------------------------------------------------

    public Base base() {
        return base;
    }

    public int minLength() {
        return minLength;
    }

    public int maxLength() {
        return maxLength;
    }

    public List<Range> ranges() {
        return ranges;
    }

    public List<String> enumeration() {
        return enumeration;
    }

    public List<Pattern> patterns() {
        return patterns;
    }

    public boolean isList() {
        return list;
    }

    public int minItems() {
        return minItems;
    }

    public int maxItems() {
        return maxItems;
    }

    public int listMaxLength() {
        return listMaxLength;
    }

    public Reference reference() {
        return reference;
    }

    public String unit() {
        return unit;
    }

    public String name() {
        return name;
    }

    /** Whether this enumeration also takes vendor values {@code X_<VENDOR>_<Name>} ({@link #vendorValues()}). */
    public boolean allowsVendorValues() {
        return vendorValues;
    }

    /** The type of one item of a list type (this type, without the list facets). */
    public ValueType itemType() {
        return list ? new ValueType(base, minLength, maxLength, ranges, enumeration, patterns, false, 0, -1, -1,
                reference, unit, name, vendorValues) : this;
    }

    /** The value a parameter of this type has when nothing else was said. */
    public String defaultValue() {
        if (list) {
            return "";
        }
        return switch (base) {
            case BOOLEAN -> "false";
            case INT, UNSIGNED_INT, LONG, UNSIGNED_LONG, DECIMAL -> "0";
            case DATE_TIME -> UNKNOWN_TIME;
            default -> "";
        };
    }

    // ---- validation ------------------------------------------------------------------------------------------

    /**
     * Validates {@code raw} and returns its canonical form.
     *
     * @throws ModelException 7011 when the text is not of this type, 7012 when a facet (range, length, enumeration,
     *                        pattern, item count) rejects it
     */
    public String canonical(String raw) {
        Objects.requireNonNull(raw, "value");
        if (!list) {
            return canonicalItem(raw);
        }
        List<String> items = splitList(raw);
        if (items.size() < minItems || (maxItems >= 0 && items.size() > maxItems)) {
            throw invalidValue("list has " + items.size() + " items, allowed " + minItems + ".."
                    + (maxItems < 0 ? "unbounded" : maxItems));
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (String item : items) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(canonicalItem(item));
        }
        if (listMaxLength >= 0 && sb.length() > listMaxLength) {
            throw invalidValue("list is longer than " + listMaxLength + " characters");
        }
        return sb.toString();
    }

    /** True when {@code raw} is acceptable; convenience for callers that do not need the reason. */
    public boolean accepts(String raw) {
        try {
            canonical(raw);
            return true;
        } catch (ModelException e) {
            return false;
        }
    }

    /**
     * Splits a comma-separated list value into items, tolerating spaces after commas (ENC-5 guidance). An empty
     * string is the empty list.
     */
    public static List<String> splitList(String raw) {
        if (raw.isBlank()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= raw.length(); i++) {
            if (i == raw.length() || raw.charAt(i) == ',') {
                items.add(raw.substring(start, i).strip());
                start = i + 1;
            }
        }
        return items;
    }

    private String canonicalItem(String raw) {
        return switch (base) {
            case STRING -> checkString(raw);
            case BOOLEAN -> canonicalBoolean(raw);
            case INT -> canonicalInteger(raw, MIN_INT, MAX_INT);
            case UNSIGNED_INT -> canonicalInteger(raw, BigDecimal.ZERO, MAX_UNSIGNED_INT);
            case LONG -> canonicalInteger(raw, MIN_LONG, MAX_LONG);
            case UNSIGNED_LONG -> canonicalInteger(raw, BigDecimal.ZERO, MAX_UNSIGNED_LONG);
            case DECIMAL -> canonicalDecimal(raw);
            case DATE_TIME -> canonicalDateTime(raw);
            case BASE64 -> canonicalBase64(raw);
            case HEX_BINARY -> canonicalHex(raw);
        };
    }

    private String checkString(String s) {
        int len = s.codePointCount(0, s.length());
        if (len < minLength || (maxLength >= 0 && len > maxLength)) {
            throw invalidValue("length " + len + " outside " + minLength + ".."
                    + (maxLength < 0 ? "unbounded" : maxLength));
        }
        if (!enumeration.isEmpty() && !enumeration.contains(s) && !(vendorValues && VENDOR_VALUE.matcher(s).matches())) {
            throw invalidValue("'" + abbreviate(s) + "' is not one of " + enumeration);
        }
        if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> p.matcher(s).matches())) {
            throw invalidValue("'" + abbreviate(s) + "' does not match the required pattern");
        }
        return s;
    }

    private static String canonicalBoolean(String s) {
        return switch (s) {
            case "true", "1" -> "true";
            case "false", "0" -> "false";
            default -> throw invalidType("'" + abbreviate(s) + "' is not a boolean");
        };
    }

    private String canonicalInteger(String s, BigDecimal typeMin, BigDecimal typeMax) {
        if (!INTEGER.matcher(s).matches()) {
            throw invalidType("'" + abbreviate(s) + "' is not an integer");
        }
        BigDecimal v = new BigDecimal(new BigInteger(s.startsWith("+") ? s.substring(1) : s));
        if (v.compareTo(typeMin) < 0 || v.compareTo(typeMax) > 0) {
            throw invalidType(s + " is outside the range of " + base);
        }
        checkRanges(v, s);
        return v.toBigInteger().toString();
    }

    private String canonicalDecimal(String s) {
        if (!DECIMAL.matcher(s).matches()) {
            throw invalidType("'" + abbreviate(s) + "' is not a decimal");
        }
        BigDecimal v = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        checkRanges(v, s);
        return formatDecimal(v);
    }

    /** The canonical text of a decimal: no exponent, no trailing zeros after the point, "0" not "-0". */
    public static String formatDecimal(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        return v.stripTrailingZeros().toPlainString();
    }

    private void checkRanges(BigDecimal v, String raw) {
        if (!ranges.isEmpty() && ranges.stream().noneMatch(r -> r.contains(v))) {
            throw invalidValue(raw + " is outside " + ranges);
        }
    }

    private static String canonicalDateTime(String s) {
        if (!DATE_TIME.matcher(s).matches()) {
            throw invalidType("'" + abbreviate(s) + "' is not a dateTime");
        }
        try {
            boolean hasZone = s.endsWith("Z") || s.length() > 19 && s.matches(".*[+-][0-9]{2}:[0-9]{2}$");
            OffsetDateTime t = hasZone ? OffsetDateTime.parse(s)
                    : LocalDateTime.parse(s).atOffset(ZoneOffset.UTC);
            return formatDateTime(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } catch (DateTimeParseException e) {
            throw invalidType("'" + abbreviate(s) + "' is not a valid dateTime");
        }
    }

    /** Formats a UTC time as TR-106 dateTime ({@code 2021-06-06T08:00:00Z}, fractions kept when present). */
    public static String formatDateTime(LocalDateTime utc) {
        String whole = utc.withNano(0).format(UTC_SECONDS);
        if (utc.getNano() == 0) {
            return whole;
        }
        // Nine digits without trailing zeros; by hand, because String.format builds a Formatter and
        // DecimalFormatSymbols each time (device reports carry times: most of their garbage).
        int nano = utc.getNano();
        int digits = 9;
        while (nano % 10 == 0) {
            nano /= 10;
            digits--;
        }
        String n = Integer.toString(nano);
        StringBuilder b = new StringBuilder(whole.length() + 10).append(whole, 0, whole.length() - 1).append('.');
        for (int i = n.length(); i < digits; i++) {
            b.append('0');
        }
        return b.append(n).append('Z').toString();
    }

    private String canonicalBase64(String s) {
        String compact = s.replaceAll("\\s", "");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw invalidType("value is not base64");
        }
        checkByteLength(bytes.length);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private String canonicalHex(String s) {
        if (!HEX.matcher(s).matches()) {
            throw invalidType("'" + abbreviate(s) + "' is not hexBinary");
        }
        checkByteLength(s.length() / 2);
        return s;
    }

    private void checkByteLength(int n) {
        if (n < minLength || (maxLength >= 0 && n > maxLength)) {
            throw invalidValue(n + " bytes outside " + minLength + ".." + (maxLength < 0 ? "unbounded" : maxLength));
        }
    }

    // ---- comparison (search expressions, PATH-6) -----------------------------------------------------------

    /** Whether {@code <, >, <=, >=} are meaningful for this type (numbers and date-times). */
    public boolean isOrdered() {
        return !list && (base.isNumeric() || base == Base.DATE_TIME);
    }

    /**
     * Compares two canonical values of this (non-list) type: numbers numerically, date-times by instant, anything
     * else by text. Both must already be canonical (stored values are; search literals are canonicalised first).
     */
    public int compare(String a, String b) {
        if (base.isNumeric()) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        if (base == Base.DATE_TIME) {
            return a.compareTo(b) == 0 ? 0 : instant(a).compareTo(instant(b));
        }
        return a.compareTo(b);
    }

    private static OffsetDateTime instant(String canonical) {
        return OffsetDateTime.parse(canonical);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static BigDecimal dec(Number n) {
        if (n == null) {
            return null;
        }
        if (n instanceof BigDecimal bd) {
            return bd;
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static ModelException invalidType(String msg) {
        return new ModelException(ErrorCode.INVALID_TYPE, msg);
    }

    private static ModelException invalidValue(String msg) {
        return new ModelException(ErrorCode.INVALID_VALUE, msg);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(list ? "list of " : "").append(base.name().toLowerCase());
        if (maxLength >= 0) {
            sb.append('(').append(minLength).append("..").append(maxLength).append(')');
        }
        if (!ranges.isEmpty()) {
            sb.append(ranges);
        }
        if (!enumeration.isEmpty()) {
            sb.append(enumeration);
        }
        return sb.toString();
    }
}
