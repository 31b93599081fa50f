package io.uspbridge.adapter.zigbee2mqtt;

import io.uspbridge.proxy.spi.CapabilityClass;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rule of a mapping profile: which exposed features it applies to, and either the capability they become or
 * why they are left out. Rules are tried in priority order; the first that matches decides.
 *
 * @param source   {@code file.json#3}, for log lines and error messages
 * @param skip     when not null the feature is left out, for this reason
 * @param quiet    whether leaving it out is expected (logged at FINE) rather than worth an operator's notice
 */
record FeatureRule(String source, int priority, boolean user, int order, Match match, Template capability,
        String skip, boolean quiet) {

    /**
     * What a feature must look like. Every empty set and null field matches anything. In the sets, {@code none}
     * stands for "absent" (no parent, no composite, no category) and {@code ""} for "no unit".
     */
    record Match(Set<String> types, Set<String> names, Set<String> parents, Set<String> composites,
            Set<String> categories, Set<String> units, Set<String> vendors, Set<String> models,
            Set<String> valuesOn, Boolean readable, Boolean writable, Boolean hasRange) {

        static final String NONE = "none";

        boolean matches(ExposeFeature f) {
            return in(types, f.type())
                    && in(names, f.name())
                    && in(parents, f.parent() == null ? NONE : f.parent())
                    && in(composites, f.composite() == null ? NONE : f.composite())
                    && in(categories, f.category() == null ? NONE : f.category())
                    && in(units, f.unit() == null ? "" : f.unit())
                    && in(vendors, f.vendor())
                    && in(models, f.model())
                    && (valuesOn.isEmpty() || (f.json().has("value_on") && valuesOn.contains(f.json().get("value_on").asText())))
                    && (readable == null || readable == f.readable())
                    && (writable == null || writable == f.writable())
                    && (hasRange == null || hasRange == (f.min() != null && f.max() != null));
        }

        private static boolean in(Set<String> set, String value) {
            return set.isEmpty() || (value != null && set.contains(value));
        }
    }

    /**
     * The capability a matching feature becomes.
     *
     * @param type        the TR-181 type, or {@code @unit} for the level type of the feature's unit
     * @param unit        an IoTUnitType that replaces the one from the unit table (after {@code scaleTo})
     * @param scaleTo     maps the feature's {@code value_min..value_max} onto this range (two numbers), or null
     * @param min         overrides the converted {@code value_min} (capability units)
     * @param max         overrides the converted {@code value_max}
     * @param step        StepValue for StepUp/StepDown (capability units); else the converted {@code value_step}
     * @param values      device value → TR-181 value for enums (unlisted values pass unchanged)
     * @param decimals    digits kept after the point when a conversion is not exact
     * @param convertUnit whether to apply the unit table's conversion (default true)
     */
    record Template(CapabilityClass capabilityClass, String type, String unit, List<BigDecimal> scaleTo,
            BigDecimal min, BigDecimal max, BigDecimal step, String description, String name,
            Map<String, String> values, Integer decimals, boolean convertUnit) {
    }

    boolean isSkip() {
        return skip != null;
    }
}
