package io.uspbridge.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Writes a compact, diff-friendly extract of selected objects of a TR-181 "full" XML (all imports resolved, as
 * produced by the Broadband Forum's {@code bbfreport}); {@link Tr181Conformance} checks the agent's schema against it,
 * so the tests never need the 5 MB XML.
 *
 * <pre>
 * java -cp target/test-classes io.uspbridge.tools.Tr181Extract \
 *     /work/shared/usp/tr-181-2-19-1-usp-full.xml \
 *     src/test/resources/tr181/objects.txt src/test/resources/tr181/tr-181-2-19-1-extract.tsv
 * </pre>
 *
 * <p>Format: one line per item, tab-separated; {@code kind}, {@code path}, for arguments the argument name relative to
 * its command or event, then {@code key=value} attributes (a key repeats for lists such as {@code enum}, {@code range},
 * {@code pattern}, {@code key}, {@code target}). Kinds: {@code object}, {@code param}, {@code command}, {@code event},
 * {@code input}/{@code output} (command arguments), {@code arg} (event arguments); an argument name ending in
 * {@code .} is an argument object ({@code TimeWindow.{i}.}).
 *
 * <p>Named data types are resolved through their {@code base} chain to the primitive base type and its facets (the
 * most derived definition of a facet wins); the name the parameter used is kept as {@code dataType}. Relative
 * reference targets ({@code #.Role.}, {@code .MQTT.Client.}, {@code Role.}) are resolved to absolute supported paths
 * and must exist in the XML. Deleted and obsoleted items (objects, parameters, commands, events, arguments,
 * enumeration values) are left out; deprecated ones are kept and marked {@code status=deprecated}. List defaults are
 * written without the TR-106 brackets ({@code [a,b]} becomes {@code a,b}).
 */
public final class Tr181Extract {

    private static final Set<String> PRIMITIVES = Set.of("string", "boolean", "int", "unsignedInt", "long",
            "unsignedLong", "decimal", "dateTime", "base64", "hexBinary");

    private final Map<String, Element> dataTypes = new HashMap<>();
    private final Map<String, Element> objects = new LinkedHashMap<>();
    private final Set<String> allParamPaths = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private final String spec;
    private final String modelName;

    private Tr181Extract(Document doc) {
        Element root = doc.getDocumentElement();
        spec = root.getAttribute("spec");
        String model = null;
        for (Element e : children(root)) {
            if (e.getTagName().equals("dataType") && e.hasAttribute("name")) {
                dataTypes.put(e.getAttribute("name"), e);
            } else if (e.getTagName().equals("model")) {
                model = e.getAttribute("name");
                for (Element o : children(e, "object")) {
                    objects.put(o.getAttribute("name"), o);
                    for (Element p : children(o, "parameter")) {
                        allParamPaths.add(o.getAttribute("name") + p.getAttribute("name"));
                    }
                }
            }
        }
        modelName = model;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: Tr181Extract <tr-181-full.xml> [objects.txt] [extract.tsv]");
            System.exit(2);
        }
        Path xml = Path.of(args[0]);
        Path list = Path.of(args.length > 1 ? args[1] : "src/test/resources/tr181/objects.txt");
        Path out = Path.of(args.length > 2 ? args[2] : "src/test/resources/tr181/tr-181-2-19-1-extract.tsv");
        List<String> wanted = readObjectList(list);
        Document doc;
        try (InputStream in = Files.newInputStream(xml)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setExpandEntityReferences(false);
            doc = f.newDocumentBuilder().parse(in);
        }
        Tr181Extract extract = new Tr181Extract(doc);
        List<String> lines = extract.extract(wanted, xml.getFileName().toString());
        if (!extract.problems.isEmpty()) {
            extract.problems.forEach(p -> System.err.println("error: " + p));
            System.exit(1);
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
        System.out.println("wrote " + lines.size() + " lines for " + wanted.size() + " objects to " + out);
    }

    static List<String> readObjectList(Path list) throws IOException {
        List<String> wanted = new ArrayList<>();
        for (String l : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String s = l.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                wanted.add(s);
            }
        }
        return wanted;
    }

    /** Extracts the objects named in {@code wanted} (XML document order); problems are collected, not thrown. */
    List<String> extract(List<String> wanted, String sourceName) {
        for (String w : wanted) {
            Element o = objects.get(w);
            if (o == null) {
                problems.add("object " + w + " is not in the model");
            } else if (isGone(o)) {
                problems.add("object " + w + " is " + o.getAttribute("status") + " in the model");
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("# TR-181 extract of " + sourceName + " (spec " + spec + ", model " + modelName + ").");
        lines.add("# Generated by io.uspbridge.tools.Tr181Extract from the objects in objects.txt; do not edit by hand.");
        lines.add("# kind<TAB>path[<TAB>argument]<TAB>key=value...  (see the Tr181Extract javadoc for the format)");
        Set<String> want = new LinkedHashSet<>(wanted);
        for (Map.Entry<String, Element> e : objects.entrySet()) {
            if (want.contains(e.getKey()) && !isGone(e.getValue())) {
                object(e.getKey(), e.getValue(), lines);
            }
        }
        return lines;
    }

    List<String> problems() {
        return problems;
    }

    static Tr181Extract of(Document doc) {
        return new Tr181Extract(doc);
    }

    // ---- objects, parameters, commands, events ---------------------------------------------------------------

    private void object(String path, Element o, List<String> lines) {
        Line l = new Line("object", path);
        l.put("access", o.getAttribute("access"));
        l.put("minEntries", o.getAttribute("minEntries"));
        l.put("maxEntries", o.getAttribute("maxEntries"));
        l.put("numEntries", o.getAttribute("numEntriesParameter"));
        l.put("enable", o.getAttribute("enableParameter"));
        for (Element k : children(o, "uniqueKey")) {
            if (isGone(k)) {
                continue;
            }
            List<String> refs = new ArrayList<>();
            for (Element p : children(k, "parameter")) {
                refs.add(p.getAttribute("ref"));
            }
            boolean functional = !"false".equals(k.getAttribute("functional"));
            l.put("key", (functional ? "functional:" : "nonfunctional:") + String.join(",", refs));
        }
        l.put("mountType", o.getAttribute("mountType"));
        l.put("discriminator", o.getAttribute("discriminatorParameter"));
        status(o, l);
        lines.add(l.text());
        List<String> context = levels(path);
        for (Element c : children(o)) {
            if (isGone(c)) {
                continue;
            }
            switch (c.getTagName()) {
                case "parameter" -> {
                    Line p = new Line("param", path + c.getAttribute("name"));
                    // bbfreport leaves out access="readOnly" on a few parameters; TR-106 makes readOnly the default.
                    p.put("access", c.hasAttribute("access") ? c.getAttribute("access") : "readOnly");
                    syntax(c, context, p);
                    status(c, p);
                    lines.add(p.text());
                }
                case "command" -> command(path, c, context, lines);
                case "event" -> event(path, c, context, lines);
                default -> { }
            }
        }
    }

    private void command(String objectPath, Element c, List<String> objectLevels, List<String> lines) {
        String path = objectPath + c.getAttribute("name");
        Line l = new Line("command", path);
        l.put("async", "true".equals(c.getAttribute("async")) ? "true" : "false");
        status(c, l);
        lines.add(l.text());
        // A relative reference in an argument is resolved from the command, as if it were an object level.
        List<String> context = new ArrayList<>(objectLevels);
        context.add(c.getAttribute("name"));
        for (Element io : children(c)) {
            if (io.getTagName().equals("input") || io.getTagName().equals("output")) {
                arguments(io.getTagName(), path, "", io, context, lines);
            }
        }
    }

    private void event(String objectPath, Element e, List<String> objectLevels, List<String> lines) {
        String path = objectPath + e.getAttribute("name");
        Line l = new Line("event", path);
        status(e, l);
        lines.add(l.text());
        List<String> context = new ArrayList<>(objectLevels);
        context.add(e.getAttribute("name"));
        arguments("arg", path, "", e, context, lines);
    }

    private void arguments(String kind, String owner, String prefix, Element container, List<String> context,
            List<String> lines) {
        for (Element a : children(container)) {
            if (isGone(a)) {
                continue;
            }
            if (a.getTagName().equals("parameter")) {
                Line l = new Line(kind, owner, prefix + a.getAttribute("name"));
                if (kind.equals("input")) {
                    l.put("mandatory", "true".equals(a.getAttribute("mandatory")) ? "true" : "false");
                }
                syntax(a, context, l);
                status(a, l);
                lines.add(l.text());
            } else if (a.getTagName().equals("object")) {
                String name = a.getAttribute("name");
                Line l = new Line(kind, owner, prefix + name);
                l.put("minEntries", a.getAttribute("minEntries"));
                l.put("maxEntries", a.getAttribute("maxEntries"));
                status(a, l);
                lines.add(l.text());
                List<String> inner = new ArrayList<>(context);
                inner.addAll(levels(name));
                arguments(kind, owner, prefix + name, a, inner, lines);
            }
        }
    }

    // ---- syntax and data types -------------------------------------------------------------------------------

    /** The facets of a type, most derived definition winning per facet kind. */
    private static final class Facets {
        String base;
        String dataType;
        Element list;
        Element size;
        List<Element> ranges;
        List<Element> enums;
        List<Element> patterns;
        Element units;
        Element pathRef;
        Element enumRef;

        /** Takes every facet kind present among {@code holder}'s children, replacing what a base type said. */
        void apply(Element holder) {
            List<Element> r = children(holder, "range");
            List<Element> e = children(holder, "enumeration");
            List<Element> p = children(holder, "pattern");
            if (!r.isEmpty()) {
                ranges = r;
            }
            if (!e.isEmpty()) {
                enums = e;
            }
            if (!p.isEmpty()) {
                patterns = p;
            }
            Element s = first(holder, "size");
            if (s != null) {
                size = s;
            }
            Element u = first(holder, "units");
            if (u != null) {
                units = u;
            }
            Element pr = first(holder, "pathRef");
            if (pr != null) {
                pathRef = pr;
            }
            Element er = first(holder, "enumerationRef");
            if (er != null) {
                enumRef = er;
            }
            Element l = first(holder, "list");
            if (l != null) {
                list = l;
            }
        }
    }

    private void syntax(Element param, List<String> context, Line l) {
        Element syntax = first(param, "syntax");
        if (syntax == null) {
            problems.add(l.path + " " + l.arg + ": no syntax");
            return;
        }
        Facets f = new Facets();
        Element list = first(syntax, "list");
        for (Element t : children(syntax)) {
            String tag = t.getTagName();
            if (PRIMITIVES.contains(tag)) {
                f.base = tag;
                f.apply(t);
            } else if (tag.equals("dataType")) {
                if (t.hasAttribute("ref")) {
                    f.dataType = t.getAttribute("ref");
                    resolve(t.getAttribute("ref"), f, l);
                } else if (t.hasAttribute("base")) {
                    f.dataType = t.getAttribute("base");
                    resolve(t.getAttribute("base"), f, l);
                }
                f.apply(t);
            }
        }
        if (list != null) {
            f.list = list;
        }
        if (f.base == null) {
            problems.add(l.path + " " + (l.arg == null ? "" : l.arg) + ": no base type");
            return;
        }
        l.put("type", f.base);
        l.put("dataType", f.dataType);
        if (f.list != null) {
            l.put("list", "true");
            l.put("minItems", f.list.getAttribute("minItems"));
            l.put("maxItems", f.list.getAttribute("maxItems"));
            Element ls = first(f.list, "size");
            if (ls != null) {
                l.put("listMinLength", ls.getAttribute("minLength"));
                l.put("listMaxLength", ls.getAttribute("maxLength"));
            }
            l.put("nestedBrackets", f.list.getAttribute("nestedBrackets"));
        }
        if (f.size != null) {
            l.put("minLength", f.size.getAttribute("minLength"));
            l.put("maxLength", f.size.getAttribute("maxLength"));
        }
        if (f.ranges != null) {
            for (Element r : f.ranges) {
                if (!isGone(r)) {
                    String step = r.getAttribute("step");
                    l.put("range", r.getAttribute("minInclusive") + ":" + r.getAttribute("maxInclusive")
                            + (step.isEmpty() ? "" : ":" + step));
                }
            }
        }
        if (f.enums != null) {
            for (Element e : f.enums) {
                if (!isGone(e)) {
                    l.putAlways("enum", e.getAttribute("value"));
                }
            }
        }
        if (f.patterns != null) {
            for (Element p : f.patterns) {
                if (!isGone(p)) {
                    l.putAlways("pattern", p.getAttribute("value"));
                }
            }
        }
        if (f.units != null) {
            l.put("units", f.units.getAttribute("value"));
        }
        if (f.pathRef != null) {
            l.put("pathRef", f.pathRef.getAttribute("refType").isEmpty() ? "weak" : f.pathRef.getAttribute("refType"));
            l.put("targetType", f.pathRef.getAttribute("targetType"));
            String parents = f.pathRef.getAttribute("targetParent").strip();
            if (!parents.isEmpty()) {
                for (String t : parents.split("\\s+")) {
                    String abs = resolvePath(t, context);
                    if (!objects.containsKey(abs) && !objects.containsKey(abs + "{i}.")) {
                        problems.add(l.path + ": reference target " + t + " resolves to unknown " + abs);
                    }
                    l.put("target", abs);
                }
            }
        }
        if (f.enumRef != null) {
            String t = f.enumRef.getAttribute("targetParam");
            String abs = resolvePath(t, context);
            if (!allParamPaths.contains(abs)) {
                problems.add(l.path + ": enumeration reference " + t + " resolves to unknown " + abs);
            }
            l.put("enumRef", abs);
            if (f.enumRef.hasAttribute("nullValue")) {
                l.putAlways("nullValue", f.enumRef.getAttribute("nullValue"));
            }
        }
        for (Element d : children(syntax, "default")) {
            if (isGone(d)) {
                continue;
            }
            String v = d.getAttribute("value");
            if (f.list != null && v.startsWith("[") && v.endsWith("]")) {
                v = v.substring(1, v.length() - 1);
            }
            l.putAlways("default", d.getAttribute("type") + ":" + v);
        }
        if ("true".equals(syntax.getAttribute("secured"))) {
            l.put("secured", "true");
        }
        if ("true".equals(syntax.getAttribute("hidden"))) {
            l.put("hidden", "true");
        }
    }

    /** Applies a named data type and its base chain to {@code f}, base first. */
    private void resolve(String name, Facets f, Line l) {
        Element dt = dataTypes.get(name);
        if (dt == null) {
            problems.add(l.path + ": unknown data type " + name);
            return;
        }
        if (dt.hasAttribute("base")) {
            resolve(dt.getAttribute("base"), f, l);
        }
        for (Element t : children(dt)) {
            if (PRIMITIVES.contains(t.getTagName())) {
                f.base = t.getTagName();
                f.apply(t);
            }
        }
        f.apply(dt);
    }

    // ---- relative paths (TR-106 A.2.3.4) ---------------------------------------------------------------------

    /**
     * Resolves a reference target: {@code Device.…} is absolute, {@code .X.} is relative to the root object, each
     * leading {@code #} goes one level up from the current object, anything else is relative to the current object.
     */
    static String resolvePath(String ref, List<String> context) {
        if (ref.startsWith("Device.")) {
            return ref;
        }
        if (ref.startsWith(".")) {
            return context.get(0) + ref;
        }
        int up = 0;
        while (up < ref.length() && ref.charAt(up) == '#') {
            up++;
        }
        String rest = ref.substring(up);
        if (rest.startsWith(".")) {
            rest = rest.substring(1);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < context.size() - up; i++) {
            sb.append(context.get(i)).append('.');
        }
        return sb + rest;
    }

    /** The levels of an object path, a table's {@code {i}} staying with its name: [Device, LocalAgent, MTP.{i}]. */
    static List<String> levels(String objectPath) {
        List<String> out = new ArrayList<>();
        for (String t : objectPath.split("\\.")) {
            if (t.isEmpty()) {
                continue;
            }
            if (t.equals("{i}")) {
                out.set(out.size() - 1, out.get(out.size() - 1) + ".{i}");
            } else {
                out.add(t);
            }
        }
        return out;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static void status(Element e, Line l) {
        String s = e.getAttribute("status");
        if (!s.isEmpty() && !s.equals("current")) {
            l.put("status", s);
        }
    }

    private static boolean isGone(Element e) {
        String s = e.getAttribute("status");
        return s.equals("deleted") || s.equals("obsoleted");
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Element e : children(parent)) {
            if (e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    static Element first(Element parent, String tag) {
        for (Element e : children(parent)) {
            if (e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    /** One output line: attributes in insertion order, empty values left out unless they are meaningful. */
    private final class Line {
        final String kind;
        final String path;
        final String arg;
        final StringBuilder attrs = new StringBuilder();

        Line(String kind, String path) {
            this(kind, path, null);
        }

        Line(String kind, String path, String arg) {
            this.kind = kind;
            this.path = path;
            this.arg = arg;
        }

        void put(String key, String value) {
            if (value != null && !value.isEmpty()) {
                putAlways(key, value);
            }
        }

        /** Adds the attribute even when empty ({@code enum=} and {@code pattern=} may be the empty string). */
        void putAlways(String key, String value) {
            if (value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0) {
                problems.add(path + ": value of " + key + " contains a tab or a line break");
                return;
            }
            attrs.append('\t').append(key).append('=').append(value);
        }

        String text() {
            return kind + '\t' + path + (arg == null ? "" : "\t" + arg) + attrs;
        }
    }
}
