package io.uspbridge.adapter.zigbee2mqtt;

import com.fasterxml.jackson.databind.JsonNode;

/** Test access to the package-private mapper, for AdapterScaleBench. */
public final class Zigbee2MqttMappingBench {
    private final JsonNode devices;
    private final ExposeMapper mapper = new ExposeMapper(MappingProfiles.builtIn());

    public Zigbee2MqttMappingBench(JsonNode devices) {
        this.devices = devices;
    }

    /** Maps the non-coordinator devices until {@code count} mappings are done; returns the count. */
    public int mapAll(int count) {
        int n = 0;
        while (n < count) {
            for (JsonNode d : devices) {
                if (d.path("definition").isObject()) {
                    mapper.map(d);
                    n++;
                }
            }
        }
        return n;
    }
}
