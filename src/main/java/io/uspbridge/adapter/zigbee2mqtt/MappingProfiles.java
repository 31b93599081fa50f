package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uspbridge.proxy.spi.CapabilityClass;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The Zigbee2MQTT mapping profiles: data, not code (ARCHITECTURE.md, "How a technology's features become
 * capabilities"). The built-in profiles live in the project's top-level {@code adapters/zigbee2mqtt/} folder and are
 * packaged into the jar under the same path, listed by its {@code index.json}. A user folder may add profiles or
 * replace a built-in one by giving a file the same name; nothing needs rebuilding.
 *
 * <p>A profile file is one JSON object with any of: {@code priority} (default 0; higher is tried first),
 * {@code units} (Zigbee2MQTT unit → IoTUnitType and conversion), {@code rules} (expose feature → capability or
 * skip), {@code deviceTypes} and {@code nodeTypes} (exposes → IoTDeviceType). {@code adapters/zigbee2mqtt/README.md}
 * describes the format.
 */
public final class MappingProfiles {

    private static final Logger LOG = Logger.getLogger(MappingProfiles.class.getName());
    static final String RESOURCE_FOLDER = "adapters/zigbee2mqtt/";
    static final String INDEX = "index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, UnitConversion> units;
    private final List<FeatureRule> rules;
    private final List<DeviceTypeRule> deviceTypes;
    private final List<DeviceTypeRule> nodeTypes;
    private final List<String> files;

    private MappingProfiles(Map<String, UnitConversion> units, List<FeatureRule> rules,
            List<DeviceTypeRule> deviceTypes, List<DeviceTypeRule> nodeTypes, List<String> files) {
        this.units = Map.copyOf(units);
        this.rules = List.copyOf(rules);
        this.deviceTypes = List.copyOf(deviceTypes);
        this.nodeTypes = List.copyOf(nodeTypes);
        this.files = List.copyOf(files);
    }

    /** The built-in profiles only. */
    public static MappingProfiles builtIn() {
        return load(Optional.empty());
    }

    /**
     * The built-in profiles, with the {@code *.json} files of {@code userFolder} added; a user file with the name of
     * a built-in one replaces it. A user file that cannot be read or parsed is reported and left out: the adapter
     * keeps working with the rest. A broken built-in profile is a bug and fails loudly.
     */
    public static MappingProfiles load(Optional<Path> userFolder) {
        Map<String, ProfileFile> byName = new TreeMap<>();
        Map<String, ProfileFile> builtIns = new HashMap<>();
        for (String name : builtInNames()) {
            ProfileFile f = new ProfileFile(name, false, false, readBuiltIn(name));
            byName.put(name, f);
            builtIns.put(name, f);
        }
        userFolder.ifPresent(folder -> readUserFolder(folder, byName));
        List<ProfileFile> ordered = new ArrayList<>(byName.values());

        Map<String, UnitConversion> units = new HashMap<>();
        List<FeatureRule> rules = new ArrayList<>();
        List<DeviceTypeRule> deviceTypes = new ArrayList<>();
        List<DeviceTypeRule> nodeTypes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        // Units: lower priority first, built-in before user, so that later put()s win.
        ordered.sort(Comparator.comparingInt((ProfileFile f) -> priority(f.json)).thenComparing(f -> f.user)
                .thenComparing(f -> f.name));
        for (int i = 0; i < ordered.size(); i++) {
            ProfileFile f = ordered.get(i);
            try {
                ProfileParser parser = new ProfileParser(f.name, f.user, f.json);
                parser.units(units);
                rules.addAll(parser.rules());
                deviceTypes.addAll(parser.deviceTypes("deviceTypes"));
                nodeTypes.addAll(parser.deviceTypes("nodeTypes"));
                files.add((f.user ? "user:" : "") + f.name);
                if (f.user) {
                    LOG.info("Zigbee2MQTT mapping profile " + f.name + " from the user folder "
                            + (f.replaces ? "replaces the built-in one" : "is added"));
                }
            } catch (IllegalArgumentException e) {
                if (!f.user) {
                    throw new IllegalStateException("built-in Zigbee2MQTT profile " + f.name + ": " + e.getMessage(), e);
                }
                LOG.severe("Zigbee2MQTT mapping profile " + f.name + " from the user folder left out: "
                        + e.getMessage() + (f.replaces ? "; the built-in " + f.name + " stays in effect" : ""));
                if (f.replaces) {
                    ordered.add(i + 1, builtIns.get(f.name));
                }
            }
        }
        Comparator<FeatureRule> ruleOrder = Comparator.comparingInt(FeatureRule::priority).reversed()
                .thenComparing(FeatureRule::user, Comparator.reverseOrder())
                .thenComparing(FeatureRule::source, MappingProfiles::compareSource);
        rules.sort(ruleOrder);
        Comparator<DeviceTypeRule> typeOrder = Comparator.comparingInt(DeviceTypeRule::priority).reversed()
                .thenComparing(DeviceTypeRule::user, Comparator.reverseOrder())
                .thenComparing(DeviceTypeRule::source, MappingProfiles::compareSource);
        deviceTypes.sort(typeOrder);
        nodeTypes.sort(typeOrder);
        return new MappingProfiles(units, rules, deviceTypes, nodeTypes, files);
    }

    /** {@code a.json#10} after {@code a.json#9}: file name, then the number. */
    private static int compareSource(String a, String b) {
        int ha = a.lastIndexOf('#');
        int hb = b.lastIndexOf('#');
        int c = a.substring(0, ha).compareTo(b.substring(0, hb));
        return c != 0 ? c : Integer.compare(Integer.parseInt(a.substring(ha + 1)), Integer.parseInt(b.substring(hb + 1)));
    }

    private static int priority(JsonNode json) {
        JsonNode p = json.get("priority");
        return p != null && p.canConvertToInt() ? p.intValue() : 0;
    }

    static List<String> builtInNames() {
        JsonNode index = readBuiltIn(INDEX);
        JsonNode list = index.get("profiles");
        if (list == null || !list.isArray()) {
            throw new IllegalStateException(RESOURCE_FOLDER + INDEX + " has no \"profiles\" array");
        }
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static JsonNode readBuiltIn(String name) {
        String resource = RESOURCE_FOLDER + name;
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = MappingProfiles.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in profile missing from the class path: " + resource);
            }
            return object(JSON.readTree(in), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static void readUserFolder(Path folder, Map<String, ProfileFile> byName) {
        if (!Files.isDirectory(folder)) {
            LOG.warning("Zigbee2MQTT profile folder " + folder + " does not exist; using the built-in profiles");
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.equals(INDEX)) {
                    continue;
                }
                try {
                    JsonNode json = object(JSON.readTree(file.toFile()), file.toString());
                    byName.put(name, new ProfileFile(name, true, byName.containsKey(name), json));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.severe("Zigbee2MQTT mapping profile " + file + " left out: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.severe("cannot list Zigbee2MQTT profile folder " + folder + ": " + e.getMessage());
        }
    }

    private static JsonNode object(JsonNode json, String where) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object");
        }
        return json;
    }

    /** The conversion for a Zigbee2MQTT unit, or null when the profiles do not know it. */
    UnitConversion unit(String z2mUnit) {
        return units.get(z2mUnit);
    }

    /** The first rule (in priority order) that matches the feature, or null. */
    FeatureRule ruleFor(ExposeFeature feature) {
        for (FeatureRule r : rules) {
            if (r.match().matches(feature)) {
                return r;
            }
        }
        return null;
    }

    /** The device type for what a device exposes; null when no rule matches. */
    String deviceType(Map<String, Integer> exposed, String vendor, String model) {
        return firstType(deviceTypes, exposed, vendor, model);
    }

    /** The node type: the node rules first, then the device rules; null when neither matches. */
    String nodeType(Map<String, Integer> exposed, String vendor, String model) {
        String t = firstType(nodeTypes, exposed, vendor, model);
        return t != null ? t : firstType(deviceTypes, exposed, vendor, model);
    }

    private static String firstType(List<DeviceTypeRule> list, Map<String, Integer> exposed, String vendor,
            String model) {
        for (DeviceTypeRule r : list) {
            if (r.matches(exposed, vendor, model)) {
                return r.type();
            }
        }
        return null;
    }

    /** The files in effect, {@code user:} marking the user's; for the startup log line. */
    public List<String> files() {
        return files;
    }

    private record ProfileFile(String name, boolean user, boolean replaces, JsonNode json) {
    }

    /** Reads one profile file, with error messages that name the file and the rule. */
    private static final class ProfileParser {
        private final String file;
        private final boolean user;
        private final JsonNode json;
        private final int priority;

        ProfileParser(String file, boolean user, JsonNode json) {
            this.file = file;
            this.user = user;
            this.json = json;
            JsonNode p = json.get("priority");
            if (p != null && !p.canConvertToInt()) {
                throw new IllegalArgumentException("\"priority\" must be an integer");
            }
            this.priority = p == null ? 0 : p.intValue();
            for (Iterator<String> it = json.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (!Set.of("description", "priority", "units", "rules", "deviceTypes", "nodeTypes").contains(field)) {
                    throw new IllegalArgumentException("unknown top-level field \"" + field + "\"");
                }
            }
        }

        void units(Map<String, UnitConversion> into) {
            JsonNode units = json.get("units");
            if (units == null) {
                return;
            }
            if (!units.isObject()) {
                throw new IllegalArgumentException("\"units\" must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = units.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String where = "unit \"" + e.getKey() + "\"";
                JsonNode u = e.getValue();
                requireObject(u, where);
                allowOnly(u, where, "unit", "levelType", "scale", "offset", "reciprocal", "note");
                String unit = text(u, "unit", where, true);
                NumberConversion conversion = null;
                if (u.has("reciprocal")) {
                    if (u.has("scale") || u.has("offset")) {
                        throw new IllegalArgumentException(where + ": \"reciprocal\" excludes \"scale\"/\"offset\"");
                    }
                    conversion = new NumberConversion.Reciprocal(number(u, "reciprocal", where));
                } else if (u.has("scale") || u.has("offset")) {
                    BigDecimal scale = u.has("scale") ? number(u, "scale", where) : BigDecimal.ONE;
                    if (scale.signum() == 0) {
                        throw new IllegalArgumentException(where + ": \"scale\" must not be 0");
                    }
                    conversion = new NumberConversion.Linear(scale,
                            u.has("offset") ? number(u, "offset", where) : BigDecimal.ZERO);
                }
                into.put(e.getKey(), new UnitConversion(unit, text(u, "levelType", where, false), conversion,
                        text(u, "note", where, false)));
            }
        }

        List<FeatureRule> rules() {
            JsonNode rules = json.get("rules");
            if (rules == null) {
                return List.of();
            }
            if (!rules.isArray()) {
                throw new IllegalArgumentException("\"rules\" must be an array");
            }
            List<FeatureRule> out = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                String where = file + "#" + (i + 1);
                JsonNode r = rules.get(i);
                requireObject(r, "rule " + where);
                allowOnly(r, "rule " + where, "match", "capability", "skip", "quiet", "priority", "comment");
                FeatureRule.Match match = match(r.get("match"), "rule " + where);
                boolean hasSkip = r.has("skip");
                boolean hasCap = r.has("capability");
                if (hasSkip == hasCap) {
                    throw new IllegalArgumentException("rule " + where + " needs exactly one of \"capability\" or \"skip\"");
                }
                int p = r.has("priority") ? intValue(r, "priority", "rule " + where) : priority;
                FeatureRule.Template template = hasCap ? template(r.get("capability"), "rule " + where) : null;
                out.add(new FeatureRule(where, p, user, i, match, template,
                        hasSkip ? text(r, "skip", "rule " + where, true) : null,
                        r.path("quiet").asBoolean(false)));
            }
            return out;
        }

        List<DeviceTypeRule> deviceTypes(String field) {
            JsonNode list = json.get(field);
            if (list == null) {
                return List.of();
            }
            if (!list.isArray()) {
                throw new IllegalArgumentException("\"" + field + "\" must be an array");
            }
            List<DeviceTypeRule> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String where = file + "#" + field + (i + 1);
                JsonNode r = list.get(i);
                requireObject(r, where);
                allowOnly(r, where, "when", "type", "priority", "comment");
                JsonNode when = r.has("when") ? r.get("when") : JSON.createObjectNode();
                requireObject(when, where + " \"when\"");
                allowOnly(when, where + " \"when\"", "any", "all", "atLeast", "vendor", "model");
                Map<String, Integer> atLeast = new LinkedHashMap<>();
                JsonNode al = when.get("atLeast");
                if (al != null) {
                    requireObject(al, where + " \"atLeast\"");
                    al.fields().forEachRemaining(e -> {
                        if (!e.getValue().canConvertToInt()) {
                            throw new IllegalArgumentException(where + ": atLeast." + e.getKey() + " must be a count");
                        }
                        atLeast.put(e.getKey(), e.getValue().intValue());
                    });
                }
                int p = r.has("priority") ? intValue(r, "priority", where) : priority;
                // "file.json#deviceTypes3" → keep a "#n" suffix for ordering.
                out.add(new DeviceTypeRule(file + "#" + (i + 1), p, user, i, strings(when, "any", where),
                        strings(when, "all", where), atLeast, strings(when, "vendor", where),
                        strings(when, "model", where), text(r, "type", where, true)));
            }
            return out;
        }

        private FeatureRule.Match match(JsonNode m, String where) {
            if (m == null) {
                m = JSON.createObjectNode();
            }
            requireObject(m, where + " \"match\"");
            allowOnly(m, where + " \"match\"", "type", "name", "parent", "composite", "category", "unit", "vendor",
                    "model", "valueOn", "readable", "writable", "hasRange");
            return new FeatureRule.Match(strings(m, "type", where), strings(m, "name", where),
                    strings(m, "parent", where), strings(m, "composite", where), strings(m, "category", where),
                    strings(m, "unit", where), strings(m, "vendor", where), strings(m, "model", where),
                    strings(m, "valueOn", where), bool(m, "readable", where), bool(m, "writable", where),
                    bool(m, "hasRange", where));
        }

        private FeatureRule.Template template(JsonNode c, String where) {
            requireObject(c, where + " \"capability\"");
            allowOnly(c, where + " \"capability\"", "class", "type", "unit", "scaleTo", "min", "max", "step",
                    "description", "name", "values", "decimals", "convertUnit");
            String cls = text(c, "class", where, true);
            CapabilityClass capabilityClass = null;
            for (CapabilityClass k : CapabilityClass.values()) {
                if (k.modelName().equals(cls)) {
                    capabilityClass = k;
                }
            }
            if (capabilityClass == null) {
                throw new IllegalArgumentException(where + ": unknown class \"" + cls + "\"");
            }
            List<BigDecimal> scaleTo = null;
            if (c.has("scaleTo")) {
                JsonNode s = c.get("scaleTo");
                if (!s.isArray() || s.size() != 2 || !s.get(0).isNumber() || !s.get(1).isNumber()) {
                    throw new IllegalArgumentException(where + ": \"scaleTo\" must be [min, max]");
                }
                scaleTo = List.of(s.get(0).decimalValue(), s.get(1).decimalValue());
            }
            Map<String, String> values = new LinkedHashMap<>();
            if (c.has("values")) {
                requireObject(c.get("values"), where + " \"values\"");
                c.get("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            }
            return new FeatureRule.Template(capabilityClass, text(c, "type", where, true), text(c, "unit", where, false),
                    scaleTo, optNumber(c, "min", where), optNumber(c, "max", where), optNumber(c, "step", where),
                    text(c, "description", where, false), text(c, "name", where, false),
                    Collections.unmodifiableMap(values),
                    c.has("decimals") ? intValue(c, "decimals", where) : null,
                    !c.has("convertUnit") || c.get("convertUnit").asBoolean(true));
        }

        private static void requireObject(JsonNode n, String where) {
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException(where + " must be a JSON object");
            }
        }

        private static void allowOnly(JsonNode n, String where, String... fields) {
            Set<String> allowed = Set.of(fields);
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw new IllegalArgumentException(where + ": unknown field \"" + f + "\" (allowed: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
        }

        private static String text(JsonNode n, String field, String where, boolean required) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    throw new IllegalArgumentException(where + ": \"" + field + "\" is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string");
            }
            return v.asText();
        }

        private static BigDecimal number(JsonNode n, String field, String where) {
            JsonNode v = n.get(field);
            if (v == null || !v.isNumber()) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must be a number");
            }
            return v.decimalValue();
        }

        private static BigDecimal optNumber(JsonNode n, String field, String where) {
            return n.has(field) ? number(n, field, where) : null;
        }

        private static int intValue(JsonNode n, String field, String where) {
            JsonNode v = n.get(field);
            if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must be an integer");
            }
            return v.intValue();
        }

        private static Boolean bool(JsonNode n, String field, String where) {
            JsonNode v = n.get(field);
            if (v == null) {
                return null;
            }
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must be true or false");
            }
            return v.booleanValue();
        }

        /** A string or an array of strings, as a set; absent = empty set (matches anything). */
        private static Set<String> strings(JsonNode n, String field, String where) {
            JsonNode v = n.get(field);
            if (v == null) {
                return Set.of();
            }
            Set<String> out = new LinkedHashSet<>();
            if (v.isTextual()) {
                out.add(v.asText());
            } else if (v.isArray() && v.size() > 0) {
                for (JsonNode e : v) {
                    if (!e.isTextual()) {
                        throw new IllegalArgumentException(where + ": \"" + field + "\" must hold strings");
                    }
                    out.add(e.asText());
                }
            } else {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string or a non-empty array");
            }
            return Collections.unmodifiableSet(out);
        }
    }

    @Override
    public String toString() {
        return "MappingProfiles" + files;
    }
}
