package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;

/**
 * One mapped feature: the capability it became and how to read, write, refresh and toggle it through Zigbee2MQTT.
 *
 * @param nodeKey     the endpoint node it belongs to, or null for the device itself
 * @param capability  the description the core sees (without an initial value)
 */
record FeatureBinding(ExposeFeature feature, String nodeKey, CapabilityDescription capability, ValueCodec codec) {

    String key() {
        return capability.key();
    }

    /** The feature's value in a state report, or null when the report does not carry it. */
    JsonNode find(JsonNode state) {
        JsonNode n = state;
        for (String p : feature.path()) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** The feature's capability value in a state report, or null. */
    CapabilityValue read(JsonNode state) {
        JsonNode raw = find(state);
        return raw == null ? null : codec.decode(raw);
    }

    /** Zigbee2MQTT's native toggle value ({@code TOGGLE}), when the feature has one and can be set. */
    String toggleValue() {
        return codec instanceof ValueCodec.Binary b && feature.writable() ? b.toggle() : null;
    }
}
