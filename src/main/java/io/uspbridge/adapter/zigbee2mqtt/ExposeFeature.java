package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * One leaf of a device's Zigbee2MQTT {@code exposes} (a binary, numeric, enum, text or list feature), with the
 * context it was found in: the specific container around it ({@code light}, {@code climate} …), the composite it
 * belongs to, its endpoint, and where its value sits in the device's state JSON.
 *
 * @param path      the keys to the value in the state and {@code /set} JSON, e.g. {@code [state_l1]} or
 *                  {@code [color, hue]}
 * @param parent    the enclosing specific type ({@code light}, {@code switch}, {@code lock}, {@code climate},
 *                  {@code cover}, {@code fan}), or null
 * @param composite the name of the enclosing composite, or null
 * @param endpoint  the Zigbee2MQTT endpoint name ({@code l1}, {@code left}), or null for the device itself
 */
record ExposeFeature(JsonNode json, String type, String name, String property, List<String> path, int access,
        String category, String unit, String endpoint, String parent, String composite, String label,
        String description, BigDecimal min, BigDecimal max, BigDecimal step, String vendor, String model) {

    /** Zigbee2MQTT access bits (zigbee-herdsman-converters {@code exposes.access}). */
    static final int STATE = 1;
    static final int SET = 2;
    static final int GET = 4;

    ExposeFeature {
        path = List.copyOf(path);
    }

    boolean readable() {
        return (access & STATE) != 0;
    }

    boolean writable() {
        return (access & SET) != 0;
    }

    boolean gettable() {
        return (access & GET) != 0;
    }

    /** The dotted path, unique within the device: the capability key. */
    String key() {
        return String.join(".", path);
    }

    /** For log lines: {@code light/brightness}. */
    String describe() {
        return (parent == null ? "" : parent + "/") + (composite == null ? "" : composite + "/") + key()
                + " (" + type + ")";
    }
}
