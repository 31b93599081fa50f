package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityDescription;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code definition.exposes} of one Zigbee2MQTT device into capabilities, following the
 * {@link MappingProfiles}. Features on an endpoint ({@code state_l1}, the {@code endpoint} field) go to a node of
 * that name (PRX-4). Nothing here throws for odd input: a feature that cannot be mapped becomes a {@link Note} and
 * is left out.
 */
final class ExposeMapper {

    /** The specific expose types: containers whose features are the real leaves. */
    static final Set<String> SPECIFIC = Set.of("light", "switch", "lock", "climate", "cover", "fan");
    static final Set<String> LEAVES = Set.of("binary", "numeric", "enum", "text", "list");

    private final MappingProfiles profiles;

    ExposeMapper(MappingProfiles profiles) {
        this.profiles = profiles;
    }

    /** A feature left out, and why; {@code quiet} when the profiles leave it out on purpose. */
    record Note(String feature, String reason, boolean quiet) {
    }

    record MappedNode(String key, String type, String description, List<FeatureBinding> bindings) {
        MappedNode {
            bindings = List.copyOf(bindings);
        }
    }

    /**
     * @param type     the device's IoTDeviceType
     * @param bindings every mapped feature, device-level and node-level, by capability key
     * @param nodes    the endpoint nodes, in order of appearance
     */
    record MappedDevice(String type, List<FeatureBinding> topLevel, List<MappedNode> nodes,
            Map<String, FeatureBinding> bindings, List<Note> notes) {
        MappedDevice {
            topLevel = List.copyOf(topLevel);
            nodes = List.copyOf(nodes);
            bindings = Map.copyOf(bindings);
            notes = List.copyOf(notes);
        }
    }

    /** Maps the device described by one {@code bridge/devices} entry. */
    MappedDevice map(JsonNode device) {
        JsonNode definition = device.path("definition");
        String vendor = text(definition, "vendor");
        String model = text(definition, "model");
        Walk walk = new Walk(vendor, model);
        JsonNode exposes = definition.path("exposes");
        if (exposes.isArray()) {
            for (JsonNode e : exposes) {
                walk.expose(e);
            }
        } else {
            walk.notes.add(new Note("exposes", "the definition has no exposes list", false));
        }

        List<FeatureBinding> top = new ArrayList<>();
        Map<String, List<FeatureBinding>> byNode = new LinkedHashMap<>();
        Map<String, FeatureBinding> all = new LinkedHashMap<>();
        Set<String> usedNames = new HashSet<>();
        Map<String, Set<String>> usedNodeNames = new HashMap<>();
        for (ExposeFeature f : walk.leaves) {
            FeatureRule rule = profiles.ruleFor(f);
            if (rule == null) {
                walk.notes.add(new Note(f.describe(), "no mapping rule matches", false));
                continue;
            }
            if (rule.isSkip()) {
                walk.notes.add(new Note(f.describe(), rule.skip() + " [" + rule.source() + "]", rule.quiet()));
                continue;
            }
            if (all.containsKey(f.key())) {
                walk.notes.add(new Note(f.describe(), "the device exposes " + f.key() + " twice; the first is used",
                        false));
                continue;
            }
            String nodeKey = f.endpoint();
            Set<String> names = nodeKey == null ? usedNames : usedNodeNames.computeIfAbsent(nodeKey, k -> new HashSet<>());
            try {
                FeatureBinding b = bind(f, nodeKey, rule, names);
                all.put(b.key(), b);
                if (nodeKey == null) {
                    top.add(b);
                } else {
                    byNode.computeIfAbsent(nodeKey, k -> new ArrayList<>()).add(b);
                }
            } catch (IllegalArgumentException e) {
                walk.notes.add(new Note(f.describe(), e.getMessage() + " [" + rule.source() + "]", false));
            }
        }

        String type = profiles.deviceType(walk.exposed, vendor, model);
        if (type == null) {
            type = "Sensor";
        }
        List<MappedNode> nodes = new ArrayList<>();
        for (Map.Entry<String, List<FeatureBinding>> e : byNode.entrySet()) {
            Map<String, Integer> exposed = walk.exposedByEndpoint.getOrDefault(e.getKey(), Map.of());
            String nodeType = profiles.nodeType(exposed, vendor, model);
            nodes.add(new MappedNode(e.getKey(), nodeType != null ? nodeType : type, "Endpoint " + e.getKey(),
                    e.getValue()));
        }
        return new MappedDevice(type, top, nodes, all, walk.notes);
    }

    /** Collects the leaves of the exposes tree with their context, and what the device exposes by name. */
    private static final class Walk {
        final String vendor;
        final String model;
        final List<ExposeFeature> leaves = new ArrayList<>();
        final List<Note> notes = new ArrayList<>();
        final Map<String, Integer> exposed = new HashMap<>();
        final Map<String, Map<String, Integer>> exposedByEndpoint = new HashMap<>();

        Walk(String vendor, String model) {
            this.vendor = vendor;
            this.model = model;
        }

        void expose(JsonNode e) {
            if (!e.isObject()) {
                notes.add(new Note(String.valueOf(e), "an expose that is not a JSON object", false));
                return;
            }
            String type = text(e, "type");
            if (type == null) {
                notes.add(new Note(String.valueOf(e.path("name").asText("?")), "an expose without a type", false));
                return;
            }
            String endpoint = text(e, "endpoint");
            if (SPECIFIC.contains(type)) {
                JsonNode features = e.path("features");
                if (!features.isArray() || features.isEmpty()) {
                    notes.add(new Note(type, "a " + type + " expose without features", false));
                    return;
                }
                count(type, endpoint);
                for (JsonNode f : features) {
                    feature(f, type, null, List.of(), endpoint, text(e, "category"));
                }
            } else {
                feature(e, null, null, List.of(), endpoint, null);
            }
        }

        /** {@code outerCategory}: a composite's config/diagnostic category holds for its features too. */
        private void feature(JsonNode f, String parent, String composite, List<String> prefix, String outerEndpoint,
                String outerCategory) {
            if (!f.isObject()) {
                notes.add(new Note(String.valueOf(f), "a feature that is not a JSON object", false));
                return;
            }
            String type = text(f, "type");
            String name = text(f, "name");
            String endpoint = text(f, "endpoint") != null ? text(f, "endpoint") : outerEndpoint;
            String category = text(f, "category") != null ? text(f, "category") : outerCategory;
            String where = (parent == null ? "" : parent + "/") + (name == null ? "?" : name);
            if (type == null || name == null) {
                notes.add(new Note(where, "a feature without type or name", false));
                return;
            }
            if ("composite".equals(type)) {
                count(name, endpoint);
                String property = text(f, "property");
                JsonNode features = f.path("features");
                if (property == null || !features.isArray()) {
                    notes.add(new Note(where, "a composite without property or features", false));
                    return;
                }
                List<String> path = new ArrayList<>(prefix);
                path.add(property);
                for (JsonNode sub : features) {
                    feature(sub, parent, name, path, endpoint, category);
                }
                return;
            }
            if (SPECIFIC.contains(type)) {
                notes.add(new Note(where, "a " + type + " nested inside another expose", false));
                return;
            }
            if (!LEAVES.contains(type)) {
                notes.add(new Note(where + " (" + type + ")", "unknown expose type \"" + type + "\"", false));
                return;
            }
            String property = text(f, "property");
            if (property == null || property.isEmpty()) {
                notes.add(new Note(where, "a feature without property", false));
                return;
            }
            if (!f.path("access").canConvertToInt()) {
                notes.add(new Note(where, "a feature without access bits", false));
                return;
            }
            count(name, endpoint);
            List<String> path = new ArrayList<>(prefix);
            path.add(property);
            leaves.add(new ExposeFeature(f, type, name, property, path, f.get("access").intValue(),
                    category, text(f, "unit"), endpoint, parent, composite, text(f, "label"),
                    text(f, "description"), number(f, "value_min"), number(f, "value_max"), number(f, "value_step"),
                    vendor, model));
        }

        private void count(String word, String endpoint) {
            exposed.merge(word, 1, Integer::sum);
            if (endpoint != null) {
                exposedByEndpoint.computeIfAbsent(endpoint, k -> new HashMap<>()).merge(word, 1, Integer::sum);
            }
        }
    }

    /** Builds one capability from a rule; IllegalArgumentException says why the feature cannot be it. */
    private FeatureBinding bind(ExposeFeature f, String nodeKey, FeatureRule rule, Set<String> usedNames) {
        FeatureRule.Template t = rule.capability();
        CapabilityClass cls = t.capabilityClass();
        if (cls.isControl() && !f.writable()) {
            throw new IllegalArgumentException("a " + cls.modelName() + " needs a writable feature (access "
                    + f.access() + ")");
        }
        String type = t.type();
        String unit = "";
        String note = null;
        BigDecimal min = null;
        BigDecimal max = null;
        BigDecimal step = null;
        List<String> validValues = List.of();
        ValueCodec codec;
        switch (cls) {
            case BINARY_CONTROL, BINARY_SENSOR -> {
                requireType(f, cls, "binary");
                JsonNode on = f.json().get("value_on");
                JsonNode off = f.json().get("value_off");
                if (on == null || off == null || on.equals(off)) {
                    throw new IllegalArgumentException("a binary feature without distinct value_on/value_off");
                }
                JsonNode toggle = f.json().get("value_toggle");
                codec = new ValueCodec.Binary(on, off, toggle != null && toggle.isTextual() ? toggle.asText() : null);
            }
            case LEVEL_CONTROL, LEVEL_SENSOR -> {
                requireType(f, cls, "numeric");
                List<NumberConversion> conversions = new ArrayList<>();
                BigDecimal lo = f.min();
                BigDecimal hi = f.max();
                String levelType = null;
                if (f.unit() == null || f.unit().isEmpty()) {
                    unit = "-";
                } else {
                    UnitConversion uc = profiles.unit(f.unit());
                    if (uc == null) {
                        unit = "-";
                        note = f.unit();
                    } else {
                        unit = uc.unit();
                        levelType = uc.levelType();
                        note = uc.note();
                        if (uc.conversion() != null && t.convertUnit()) {
                            conversions.add(uc.conversion());
                        } else if (uc.conversion() != null) {
                            unit = "-";
                            note = f.unit();
                        }
                    }
                }
                if ("@unit".equals(type)) {
                    if (levelType == null) {
                        throw new IllegalArgumentException("no TR-181 level type for "
                                + (f.unit() == null ? "a number without unit" : "unit \"" + f.unit() + "\""));
                    }
                    type = levelType;
                }
                BigDecimal[] range = convertRange(conversions, lo, hi);
                if (t.scaleTo() != null) {
                    if (range == null) {
                        throw new IllegalArgumentException("scaleTo needs value_min and value_max");
                    }
                    conversions.add(new NumberConversion.Rescale(range[0], range[1], t.scaleTo().get(0),
                            t.scaleTo().get(1)));
                    range = new BigDecimal[] {t.scaleTo().get(0), t.scaleTo().get(1)};
                }
                if (t.unit() != null) {
                    unit = t.unit();
                    note = null;
                }
                boolean integral = f.step() == null && f.min() != null && f.max() != null
                        && isIntegral(f.min()) && isIntegral(f.max());
                ValueCodec.Numeric numeric = new ValueCodec.Numeric(conversions, t.decimals(), f.min(), f.max(),
                        f.step(), integral);
                codec = numeric;
                min = t.min() != null ? t.min() : range == null ? null : numeric.round(range[0], RoundingMode.CEILING);
                max = t.max() != null ? t.max() : range == null ? null : numeric.round(range[1], RoundingMode.FLOOR);
                if (cls == CapabilityClass.LEVEL_CONTROL && (min == null || max == null)) {
                    throw new IllegalArgumentException("a LevelControl needs value_min and value_max");
                }
                if (cls == CapabilityClass.LEVEL_SENSOR) {
                    // LevelSensor has no MinValue/MaxValue in TR-181.
                    min = null;
                    max = null;
                } else if (min.compareTo(max) > 0) {
                    throw new IllegalArgumentException("value_min is above value_max");
                }
                if (cls == CapabilityClass.LEVEL_CONTROL) {
                    step = t.step() != null ? t.step() : convertStep(conversions, f.step(), numeric);
                }
            }
            case ENUM_CONTROL, ENUM_SENSOR -> {
                requireType(f, cls, "enum");
                JsonNode values = f.json().get("values");
                if (values == null || !values.isArray() || values.isEmpty()) {
                    throw new IllegalArgumentException("an enum feature without values");
                }
                Map<String, String> toCap = new LinkedHashMap<>();
                Map<String, JsonNode> toDevice = new LinkedHashMap<>();
                List<String> valid = new ArrayList<>();
                for (JsonNode v : values) {
                    if (!v.isTextual() && !v.isNumber()) {
                        continue;
                    }
                    String device = v.asText();
                    String mapped = t.values().getOrDefault(device, device);
                    if (mapped.isEmpty() || mapped.contains(",") || mapped.length() > 64 || toDevice.containsKey(mapped)) {
                        // ValidValues is a comma-separated list of strings of at most 64 characters.
                        continue;
                    }
                    toCap.put(device, mapped);
                    toDevice.put(mapped, v);
                    valid.add(mapped);
                }
                if (valid.isEmpty()) {
                    throw new IllegalArgumentException("no usable enum values");
                }
                validValues = valid;
                codec = new ValueCodec.Enumerated(toCap, toDevice);
            }
            case BLOB_SENSOR -> codec = "text".equals(f.type()) ? new ValueCodec.Text() : new ValueCodec.Json();
            case MULTI_LEVEL_SENSOR -> throw new IllegalArgumentException(
                    "a MultiLevelSensor needs several values; a single feature cannot be one");
            default -> throw new IllegalArgumentException("unsupported class " + cls);
        }

        String description = t.description() != null ? t.description()
                : f.description() != null ? f.description() : f.label() != null ? f.label() : f.name();
        if (note != null) {
            description = description + " [" + note + "]";
        }
        description = truncate(description, 256);
        String name = t.name() != null ? t.name() : f.label() != null ? f.label() : f.name();
        if (f.composite() != null && t.name() == null) {
            name = f.composite() + " " + name;
        }
        name = truncate(name, 64);
        if (!usedNames.add(name)) {
            // IoTCapability.Name is a unique key of its table: fall back to the property path, which is unique.
            name = truncate(f.key(), 64);
            usedNames.add(name);
        }
        CapabilityDescription cap = new CapabilityDescription(f.key(), cls, type, name, description, unit, min, max,
                step, validValues, List.of(), null);
        return new FeatureBinding(f, nodeKey, cap, codec);
    }

    private static void requireType(ExposeFeature f, CapabilityClass cls, String type) {
        if (!type.equals(f.type())) {
            throw new IllegalArgumentException("a " + cls.modelName() + " needs a " + type + " feature, not "
                    + f.type());
        }
    }

    /** The device range in capability units, low to high; null without both bounds. */
    private static BigDecimal[] convertRange(List<NumberConversion> conversions, BigDecimal lo, BigDecimal hi) {
        if (lo == null || hi == null) {
            return null;
        }
        BigDecimal a = lo;
        BigDecimal b = hi;
        try {
            for (NumberConversion c : conversions) {
                a = c.toCapability(a);
                b = c.toCapability(b);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the range " + lo + ".." + hi + " cannot be converted");
        }
        return a.compareTo(b) <= 0 ? new BigDecimal[] {a, b} : new BigDecimal[] {b, a};
    }

    private static BigDecimal convertStep(List<NumberConversion> conversions, BigDecimal deviceStep,
            ValueCodec.Numeric numeric) {
        if (deviceStep == null || conversions.stream().anyMatch(c -> !c.linear())) {
            return null;
        }
        BigDecimal zero = BigDecimal.ZERO;
        BigDecimal one = deviceStep;
        for (NumberConversion c : conversions) {
            zero = c.toCapability(zero);
            one = c.toCapability(one);
        }
        BigDecimal step = numeric.round(one.subtract(zero).abs(), RoundingMode.HALF_UP);
        return step.signum() == 0 ? null : step;
    }

    private static boolean isIntegral(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static BigDecimal number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() ? v.decimalValue() : null;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
