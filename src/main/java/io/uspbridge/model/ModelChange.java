package io.uspbridge.model;

import java.util.Map;

/**
 * One entry of the model's change feed (value changed, object created, object deleted, event raised), published
 * on the agent loop when the transaction that made it commits. The notification engine and the store consume it.
 */
public sealed interface ModelChange {

    /** The object the change is about (for a value change, the object holding the parameter). */
    ObjectNode object();

    record ValueChanged(ObjectNode object, ParamDef param, String oldValue, String newValue) implements ModelChange {
        /** The full parameter path, e.g. {@code Device.LocalAgent.Controller.1.Enable}. */
        public String path() {
            return object.path() + param.name();
        }
    }

    /** A table row was created (by a controller, by configuration, or by a device joining). */
    record ObjectCreated(ObjectNode object) implements ModelChange {
    }

    /** A table row was deleted; {@code object().path()} still names it. */
    record ObjectDeleted(ObjectNode object) implements ModelChange {
    }

    record EventRaised(ObjectNode object, EventDef event, Map<String, String> args) implements ModelChange {
        public EventRaised {
            args = Map.copyOf(args);
        }
    }
}
