package io.uspbridge.adapter.zigbee2mqtt;

import java.util.Map;
import java.util.Set;

/**
 * Chooses a device's (or node's) {@code IoTDeviceType} from what it exposes. The words in {@code any}, {@code all}
 * and {@code atLeast} are specific expose types ({@code light}, {@code climate}, {@code switch} …) or feature names
 * ({@code power}, {@code smoke} …).
 *
 * @param any     at least one of these is exposed (empty = no condition)
 * @param all     every one of these is exposed
 * @param atLeast each word exposed at least that many times (e.g. {@code switch: 2} for a multi-outlet strip)
 */
record DeviceTypeRule(String source, int priority, boolean user, int order, Set<String> any, Set<String> all,
        Map<String, Integer> atLeast, Set<String> vendors, Set<String> models, String type) {

    boolean matches(Map<String, Integer> exposed, String vendor, String model) {
        if (!any.isEmpty() && any.stream().noneMatch(exposed::containsKey)) {
            return false;
        }
        if (!all.stream().allMatch(exposed::containsKey)) {
            return false;
        }
        for (Map.Entry<String, Integer> e : atLeast.entrySet()) {
            if (exposed.getOrDefault(e.getKey(), 0) < e.getValue()) {
                return false;
            }
        }
        return (vendors.isEmpty() || vendors.contains(vendor)) && (models.isEmpty() || models.contains(model));
    }
}
