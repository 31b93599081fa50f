package io.uspbridge.tools;

import io.uspbridge.model.Access;
import io.uspbridge.model.ArgDef;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.EventDef;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectDef;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.Schema;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.UniqueKey;
import io.uspbridge.model.ValueType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a supported data model ({@link Schema}) against the TR-181 extract written by {@link Tr181Extract}: every
 * declared object, parameter, command (with its arguments) and event must exist in TR-181 and agree with it on
 * multi-instance-ness, table access, unique keys, {@code …NumberOfEntries}, enable parameter, mount type, base type,
 * list-ness and item counts, lengths, ranges, enumerations, patterns, units, named data type, access, object
 * defaults, secured-ness, reference kind/target/strength, command mode and arguments.
 *
 * <p>A declaration may implement a subset of an object's parameters, may name an implementation default where TR-181
 * gives none, and may add vendor enumeration values; a command or event must declare all of its arguments.
 * Objects below a mount point that TR-181 does not define there are checked against the top-level object they copy
 * ({@code Device.ProxiedDevice.{i}.IoTCapability.{i}.} against {@code Device.IoTCapability.{i}.}). Vendor
 * extensions ({@code X_…}) are exempt, but their names must follow TR-106: {@code X_<VENDOR>_<Name>} with VENDOR an
 * OUI (6 upper-case hex digits) or an upper-case domain name with its dots written as hyphens.
 */
public final class Tr181Conformance {

    /** The classpath resource holding the committed extract. */
    public static final String EXTRACT_RESOURCE = "/tr181/tr-181-2-19-1-extract.tsv";

    private static final Pattern VENDOR_NAME =
            Pattern.compile("X_(?:[0-9A-F]{6}|[A-Z0-9]+(?:-[A-Z0-9]+)+)_[A-Za-z][A-Za-z0-9_-]*");
    private static final Set<String> ALIAS_TYPES = Set.of("_AliasUSP", "Alias");
    /** What {@link ValueType#alias()} adds to the XML facets, from the MUSTs in the _AliasUSP description. */
    private static final String ALIAS_PATTERN = "[A-Za-z].*";

    /** One line of the extract. {@code arg} is the argument name for input/output/arg lines, else null. */
    public record Item(String kind, String path, String arg, Map<String, List<String>> attrs) {
        String one(String key) {
            List<String> v = attrs.get(key);
            return v == null ? null : v.get(0);
        }

        List<String> all(String key) {
            return attrs.getOrDefault(key, List.of());
        }

        boolean has(String key) {
            return attrs.containsKey(key);
        }
    }

    /** The outcome: every mismatch found, and how much was compared (a check of nothing is no check). */
    public record Report(List<String> mismatches, int objects, int params, int commands, int events, int args) {
        public boolean conforms() {
            return mismatches.isEmpty();
        }
    }

    private final Map<String, Item> objects = new LinkedHashMap<>();
    private final Map<String, Item> params = new HashMap<>();
    private final Map<String, Item> commands = new HashMap<>();
    private final Map<String, Item> events = new HashMap<>();
    /** Arguments per owner and kind ("Device.Reboot() input"), in extract order. */
    private final Map<String, Map<String, Item>> args = new HashMap<>();

    private Tr181Conformance(List<String> lines) {
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Item item = parse(line);
            switch (item.kind()) {
                case "object" -> objects.put(item.path(), item);
                case "param" -> params.put(item.path(), item);
                case "command" -> commands.put(item.path(), item);
                case "event" -> events.put(item.path(), item);
                case "input", "output", "arg" -> {
                    if (!item.arg().endsWith(".")) { // argument objects carry no value
                        args.computeIfAbsent(item.path() + " " + item.kind(), k -> new LinkedHashMap<>())
                                .put(item.arg(), item);
                    }
                }
                default -> throw new IllegalArgumentException("unknown kind in extract line: " + line);
            }
        }
    }

    public static Tr181Conformance of(List<String> extractLines) {
        return new Tr181Conformance(extractLines);
    }

    /** Loads the committed extract from the test classpath. */
    public static Tr181Conformance load() {
        try (InputStream in = Tr181Conformance.class.getResourceAsStream(EXTRACT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(EXTRACT_RESOURCE + " is not on the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new Tr181Conformance(r.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Item parse(String line) {
        String[] cols = line.split("\t", -1);
        boolean isArg = cols[0].equals("input") || cols[0].equals("output") || cols[0].equals("arg");
        int first = isArg ? 3 : 2;
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        for (int i = first; i < cols.length; i++) {
            int eq = cols[i].indexOf('=');
            attrs.computeIfAbsent(cols[i].substring(0, eq), k -> new ArrayList<>()).add(cols[i].substring(eq + 1));
        }
        return new Item(cols[0], cols[1], isArg ? cols[2] : null, attrs);
    }

    /** The object paths the extract describes. */
    public Set<String> objectPaths() {
        return objects.keySet();
    }

    // ---- the check -------------------------------------------------------------------------------------------

    public Report check(Schema schema) {
        Run run = new Run();
        for (ObjectDef d : schema.objects()) {
            run.object(d);
        }
        return new Report(List.copyOf(run.mismatches), run.objects, run.params, run.commands, run.events, run.args);
    }

    private final class Run {
        final List<String> mismatches = new ArrayList<>();
        int objects;
        int params;
        int commands;
        int events;
        int args;

        void report(String path, String what) {
            mismatches.add(path + ": " + what);
        }

        void object(ObjectDef d) {
            String vendor = vendorSegment(d.path());
            if (vendor != null) {
                if (d.name().equals(vendor)) {
                    vendorName(d.path(), vendor);
                }
                return;
            }
            String template = templatePath(d);
            boolean mounted = !template.equals(d.path());
            Item o = Tr181Conformance.this.objects.get(template);
            if (o == null) {
                report(d.path(), mounted ? "mounted copy of " + template + ", which is not in TR-181 2.19"
                        : "not in TR-181 2.19 (or not listed in objects.txt)");
                return;
            }
            objects++;
            objectFacets(d, o, template, mounted);
            for (ParamDef p : d.params()) {
                if (p.name().startsWith("X_")) {
                    vendorName(p.supportedPath(), p.name());
                    continue;
                }
                Item x = Tr181Conformance.this.params.get(template + p.name());
                if (x == null) {
                    x = mountedCount(d, p);
                }
                if (x == null) {
                    report(p.supportedPath(), "parameter not in TR-181 2.19 " + template);
                    continue;
                }
                params++;
                param(p, x);
            }
            for (CommandDef c : d.commands()) {
                if (c.name().startsWith("X_")) {
                    vendorName(c.supportedPath(), c.name().substring(0, c.name().length() - 2));
                    continue;
                }
                Item x = Tr181Conformance.this.commands.get(template + c.name());
                if (x == null) {
                    report(c.supportedPath(), "command not in TR-181 2.19 " + template);
                    continue;
                }
                commands++;
                command(c, x, template + c.name());
            }
            for (EventDef e : d.events()) {
                if (e.name().startsWith("X_")) {
                    vendorName(e.supportedPath(), e.name().substring(0, e.name().length() - 1));
                    continue;
                }
                Item x = Tr181Conformance.this.events.get(template + e.name());
                if (x == null) {
                    report(e.supportedPath(), "event not in TR-181 2.19 " + template);
                    continue;
                }
                events++;
                arguments(e.supportedPath(), e.args(), template + e.name(), "arg");
            }
        }

        private void objectFacets(ObjectDef d, Item o, String template, boolean mounted) {
            String path = d.path();
            TableAccess access = switch (o.one("access")) {
                case "readWrite" -> TableAccess.ADD_DELETE;
                case "create" -> TableAccess.ADD_ONLY;
                case "delete" -> TableAccess.DELETE_ONLY;
                default -> TableAccess.READ_ONLY;
            };
            if (d.access() != access) {
                report(path, "object access " + d.access() + ", TR-181 says " + o.one("access") + " (" + access + ")");
            }
            if (d.isMultiInstance()) {
                String max = o.one("maxEntries");
                if (max != null && !max.equals("unbounded")
                        && (d.maxEntries() < 1 || d.maxEntries() > Integer.parseInt(max))) {
                    report(path, "maxEntries " + d.maxEntries() + ", TR-181 allows at most " + max);
                }
                if (!Objects.equals(d.numEntriesParam(), o.one("numEntries"))) {
                    report(path, "count parameter " + d.numEntriesParam() + ", TR-181 says " + o.one("numEntries"));
                }
            } else if (!mounted) {
                // A mounted single object is always optional: it exists only where the proxy creates it.
                boolean optional = "0".equals(o.one("minEntries"));
                if (d.isOptional() != optional) {
                    report(path, (optional ? "must be optional" : "must not be optional") + " (TR-181 minEntries "
                            + o.one("minEntries") + ")");
                }
            }
            if (!Objects.equals(d.enableParam(), o.one("enable"))) {
                report(path, "enable parameter " + d.enableParam() + ", TR-181 says " + o.one("enable"));
            }
            Set<String> keys = new TreeSet<>();
            for (String k : o.all("key")) {
                int colon = k.indexOf(':');
                keys.add(k.substring(0, colon) + ":" + new TreeSet<>(List.of(k.substring(colon + 1).split(","))));
            }
            Set<String> declared = new TreeSet<>();
            for (UniqueKey k : d.uniqueKeys()) {
                declared.add((k.functional() ? "functional:" : "nonfunctional:") + new TreeSet<>(k.params()));
            }
            if (!keys.equals(declared)) {
                report(path, "unique keys " + declared + ", TR-181 says " + keys);
            }
            boolean mountPoint = "mountPoint".equals(o.one("mountType"));
            if (d.isMountPoint() != mountPoint) {
                report(path, mountPoint ? "must be a mount point" : "is not a mount point in TR-181");
            }
            if (mounted && d.parent().isMountPoint() && Tr181Extract.levels(template).size() != 2) {
                report(path, "only top-level objects of Device. are mountable, not " + template);
            }
        }

        private void param(ParamDef p, Item x) {
            String path = p.supportedPath();
            Access access = switch (x.one("access")) {
                case "readWrite" -> Access.READ_WRITE;
                case "writeOnceReadOnly" -> Access.WRITE_ONCE;
                default -> Access.READ_ONLY;
            };
            if (p.access() != access) {
                report(path, "access " + p.access() + ", TR-181 says " + x.one("access"));
            }
            type(path, p.type(), x);
            for (String d : x.all("default")) {
                if (!d.startsWith("object:")) {
                    continue; // factory and implementation defaults are the implementer's choice
                }
                String value = d.substring("object:".length());
                if (!p.hasDeclaredDefault()) {
                    report(path, "TR-181 object default '" + value + "' is not declared");
                    continue;
                }
                defaultValue(path, p.type(), value, p.defaultValue());
            }
            if (p.isSecured() != x.has("secured")) {
                report(path, x.has("secured") ? "must be secured" : "is not secured in TR-181");
            }
            if (x.has("hidden")) {
                report(path, "TR-181 hides this parameter's value, which the model cannot express");
            }
        }

        private void defaultValue(String path, ValueType type, String xmlValue, String declared) {
            try {
                String canonical = type.canonical(xmlValue);
                if (!canonical.equals(declared)) {
                    report(path, "default '" + declared + "', TR-181 says '" + xmlValue + "'");
                }
            } catch (ModelException e) {
                report(path, "TR-181 default '" + xmlValue + "' is not a value of the declared type: " + e.getMessage());
            }
        }

        private void command(CommandDef c, Item x, String template) {
            boolean async = "true".equals(x.one("async"));
            if (c.isAsync() != async) {
                report(c.supportedPath(), async ? "must be asynchronous" : "must be synchronous");
            }
            arguments(c.supportedPath(), c.inputArgs(), template, "input");
            arguments(c.supportedPath(), c.outputArgs(), template, "output");
        }

        private void arguments(String path, List<ArgDef> declared, String template, String kind) {
            Map<String, Item> expected = Tr181Conformance.this.args.getOrDefault(template + " " + kind, Map.of());
            Set<String> seen = new LinkedHashSet<>();
            for (ArgDef a : declared) {
                String label = path + " " + kind + " " + a.name();
                if (a.name().startsWith("X_")) {
                    vendorName(label, a.name());
                    continue;
                }
                Item x = expected.get(a.name());
                if (x == null) {
                    report(label, "argument not in TR-181 2.19");
                    continue;
                }
                args++;
                seen.add(a.name());
                type(label, a.type(), x);
                if (kind.equals("input") && a.mandatory() != "true".equals(x.one("mandatory"))) {
                    report(label, a.mandatory() ? "is not mandatory in TR-181" : "must be mandatory");
                }
                boolean validDefault = a.defaultValue() == null || a.type().accepts(a.defaultValue());
                if (!validDefault) {
                    report(label, "declared default '" + a.defaultValue() + "' is not a value of its type");
                }
                for (String d : x.all("default")) {
                    String value = d.substring(d.indexOf(':') + 1);
                    if (a.defaultValue() == null) {
                        report(label, "TR-181 default '" + value + "' is not declared");
                    } else if (validDefault) {
                        defaultValue(label, a.type(), value, a.type().canonical(a.defaultValue()));
                    }
                }
            }
            for (String name : expected.keySet()) {
                if (!seen.contains(name)) {
                    report(path + " " + kind + " " + name, "TR-181 argument not declared");
                }
            }
        }

        // ---- types -------------------------------------------------------------------------------------------

        private void type(String path, ValueType t, Item x) {
            String base = switch (t.base()) {
                case STRING -> "string";
                case BOOLEAN -> "boolean";
                case INT -> "int";
                case UNSIGNED_INT -> "unsignedInt";
                case LONG -> "long";
                case UNSIGNED_LONG -> "unsignedLong";
                case DECIMAL -> "decimal";
                case DATE_TIME -> "dateTime";
                case BASE64 -> "base64";
                case HEX_BINARY -> "hexBinary";
            };
            if (!base.equals(x.one("type"))) {
                report(path, "type " + base + ", TR-181 says " + x.one("type"));
            }
            String dataType = x.one("dataType");
            boolean alias = dataType != null && ALIAS_TYPES.contains(dataType);
            if (t.name() != null || dataType != null) {
                boolean same = alias ? "Alias".equals(t.name()) : Objects.equals(t.name(), dataType);
                if (!same) {
                    report(path, "data type " + t.name() + ", TR-181 says " + dataType);
                }
            }
            list(path, t, x);
            int minLength = intAttr(x, "minLength", 0);
            List<String> patterns = x.all("pattern");
            if (alias && minLength == 0 && patterns.isEmpty()) {
                // TR-181: "MUST NOT be empty", "MUST start with a letter" (ValueType.alias()).
                minLength = 1;
                patterns = List.of(ALIAS_PATTERN);
            }
            compare(path, "minLength", t.minLength(), minLength);
            compare(path, "maxLength", t.maxLength(), intAttr(x, "maxLength", -1));
            ranges(path, t, x);
            enumeration(path, t, x);
            List<String> declaredPatterns = t.patterns().stream().map(Pattern::pattern).toList();
            if (!new TreeSet<>(declaredPatterns).equals(new TreeSet<>(patterns))) {
                report(path, "patterns " + declaredPatterns + ", TR-181 says " + patterns);
            }
            if (!Objects.equals(t.unit(), x.one("units"))) {
                report(path, "unit " + t.unit() + ", TR-181 says " + x.one("units"));
            }
            reference(path, t, x);
        }

        private void list(String path, ValueType t, Item x) {
            boolean list = x.has("list");
            if (t.isList() != list) {
                report(path, list ? "must be a list" : "is not a list in TR-181");
                return;
            }
            if (!list) {
                return;
            }
            compare(path, "minItems", t.minItems(), intAttr(x, "minItems", 0));
            compare(path, "maxItems", t.maxItems(), intAttr(x, "maxItems", -1));
            compare(path, "list length", t.listMaxLength(), intAttr(x, "listMaxLength", -1));
            if (x.has("listMinLength") || x.has("nestedBrackets")) {
                report(path, "list facets the model cannot express (listMinLength, nestedBrackets)");
            }
        }

        private void ranges(String path, ValueType t, Item x) {
            List<ValueType.Range> expected = new ArrayList<>();
            for (String r : x.all("range")) {
                String[] p = r.split(":", -1);
                expected.add(new ValueType.Range(dec(p[0]), dec(p[1]), p.length > 2 ? dec(p[2]) : null));
            }
            boolean same = expected.size() == t.ranges().size();
            for (int i = 0; same && i < expected.size(); i++) {
                ValueType.Range a = expected.get(i);
                ValueType.Range b = t.ranges().get(i);
                same = sameNumber(a.min(), b.min()) && sameNumber(a.max(), b.max()) && sameNumber(a.step(), b.step());
            }
            if (!same) {
                report(path, "ranges " + t.ranges() + ", TR-181 says " + expected);
            }
        }

        private void enumeration(String path, ValueType t, Item x) {
            List<String> expected = x.all("enum");
            Set<String> declared = new LinkedHashSet<>(t.enumeration());
            for (String v : expected) {
                if (!declared.contains(v)) {
                    report(path, "enumeration lacks TR-181 value '" + v + "'");
                }
            }
            for (String v : declared) {
                if (!expected.contains(v)) {
                    if (v.startsWith("X_")) {
                        vendorName(path, v);
                    } else {
                        report(path, "enumeration value '" + v + "' is not in TR-181 (vendor values are X_…)");
                    }
                }
            }
        }

        private void reference(String path, ValueType t, Item x) {
            ValueType.Reference ref = t.reference();
            if (x.has("pathRef")) {
                boolean strong = "strong".equals(x.one("pathRef"));
                if (ref == null || ref.kind() != ValueType.Reference.Kind.PATH) {
                    report(path, "must be a path reference (" + x.one("pathRef") + ")");
                    return;
                }
                if (ref.strong() != strong) {
                    report(path, "reference is " + (ref.strong() ? "strong" : "weak") + ", TR-181 says "
                            + x.one("pathRef"));
                }
                List<String> targets = x.all("target");
                String declared = ref.target() == null || ref.target().isEmpty() ? null : ref.target();
                if (targets.size() > 1) {
                    report(path, "TR-181 allows several reference targets " + targets + ", the model one");
                } else if (!Objects.equals(declared, targets.isEmpty() ? null : targets.get(0))) {
                    report(path, "reference target " + declared + ", TR-181 says "
                            + (targets.isEmpty() ? "any" : targets.get(0)));
                }
            } else if (x.has("enumRef")) {
                if (ref == null || ref.kind() != ValueType.Reference.Kind.ENUMERATION) {
                    report(path, "must be an enumeration reference to " + x.one("enumRef"));
                } else if (!ref.target().equals(x.one("enumRef"))) {
                    report(path, "enumeration reference to " + ref.target() + ", TR-181 says " + x.one("enumRef"));
                }
            } else if (ref != null) {
                report(path, "is a reference (" + ref.kind() + "), TR-181 says it is not");
            }
        }

        private void compare(String path, String what, int declared, int expected) {
            if (declared != expected) {
                report(path, what + " " + show(declared) + ", TR-181 says " + show(expected));
            }
        }

        private void vendorName(String path, String name) {
            if (!VENDOR_NAME.matcher(name).matches()) {
                report(path, "vendor extension '" + name + "' is not named X_<OUI or DOMAIN>_<Name> (TR-106)");
            }
        }
    }

    // ---- mounts ----------------------------------------------------------------------------------------------

    /**
     * The TR-181 object a declared object is checked against: itself where TR-181 defines that path, else the
     * top-level object it is a mounted copy of (the path below the nearest mount point, re-rooted at Device.).
     */
    private String templatePath(ObjectDef d) {
        if (objects.containsKey(d.path())) {
            return d.path();
        }
        for (ObjectDef a = d.parent(); a != null; a = a.parent()) {
            if (a.isMountPoint()) {
                return "Device." + d.path().substring(a.path().length());
            }
        }
        return d.path();
    }

    /** A mount point's count of a mounted table (PRX-5) is checked against the template's own count. */
    private Item mountedCount(ObjectDef d, ParamDef p) {
        for (ObjectDef c : d.children()) {
            if (c.isMultiInstance() && p.name().equals(c.numEntriesParam())) {
                String template = templatePath(c);
                if (!template.equals(c.path())) {
                    List<String> levels = Tr181Extract.levels(template);
                    String parent = String.join(".", levels.subList(0, levels.size() - 1)) + ".";
                    return params.get(parent + p.name());
                }
            }
        }
        return null;
    }

    private static String vendorSegment(String path) {
        for (String s : path.split("\\.")) {
            if (s.startsWith("X_")) {
                return s;
            }
        }
        return null;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static int intAttr(Item x, String key, int absent) {
        String v = x.one(key);
        return v == null || v.equals("unbounded") ? absent : Integer.parseInt(v);
    }

    private static BigDecimal dec(String s) {
        return s == null || s.isEmpty() ? null : new BigDecimal(s);
    }

    private static boolean sameNumber(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static String show(int n) {
        return n < 0 ? "unbounded" : Integer.toString(n);
    }
}
