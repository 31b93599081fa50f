package io.uspbridge.app;

import io.uspbridge.agent.DeviceInfoSchema;
import io.uspbridge.agent.DeviceRootSchema;
import io.uspbridge.agent.LocalAgentSchema;
import io.uspbridge.agent.MqttSchema;
import io.uspbridge.model.Schema;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.SchemaContributor;
import io.uspbridge.proxy.IoTSchema;
import java.util.List;

/**
 * The agent's supported data model: the standard TR-181 2.19 objects it implements, declared by one contributor per
 * area, then the behaviour the features attach to them. {@code Tr181ConformanceTest} checks every declaration
 * against the TR-181 XML.
 */
public final class AgentSchema {

    /** The model this agent implements (GSDM-6 {@code data_model_inst_uri}). */
    public static final String DATA_MODEL_URI = "urn:broadband-forum-org:tr-181-2-19-1";

    private AgentSchema() {
    }

    /** The declarations of the standard objects, in the order they are applied. */
    public static List<SchemaContributor> standard() {
        return List.of(new DeviceRootSchema(), new DeviceInfoSchema(), new LocalAgentSchema(), new MqttSchema(),
                new IoTSchema());
    }

    /** The standard objects alone, with stored parameters and no behaviour. */
    public static Schema build() {
        return build(List.of());
    }

    /**
     * The standard objects, then {@code features}: each extends the declarations (handlers, computed values,
     * lifecycles) through {@link SchemaBuilder#object} and {@link SchemaBuilder#table}, which return the existing
     * declaration. Mounted copies are made last, so they carry what the features attached to their templates.
     */
    public static Schema build(List<SchemaContributor> features) {
        SchemaBuilder builder = new SchemaBuilder("Device", DATA_MODEL_URI);
        standard().forEach(c -> c.contribute(builder));
        features.forEach(c -> c.contribute(builder));
        return builder.build();
    }
}
