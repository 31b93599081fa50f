package io.uspbridge.path;

import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;

/**
 * What the requesting controller may read, as far as path resolution needs it (MSG-9, GET-6, GIN-2). The message
 * layer builds one from the controller's roles; {@link #ALL} is the agent's own view.
 *
 * <p>Resolution applies it to every object it steps into (unreadable objects are treated as absent) and to every
 * parameter a search expression compares (an instance whose searched parameter is unreadable is treated as absent,
 * whatever the operator). Whether the leaf parameter, command or event itself may be read, written or operated is the
 * message handler's decision, because it depends on the message.
 */
public interface ReadAccess {

    ReadAccess ALL = new ReadAccess() {
        @Override
        public boolean canReadObject(ObjectNode node) {
            return true;
        }

        @Override
        public boolean canReadParam(ObjectNode node, ParamDef p) {
            return true;
        }

        @Override
        public String toString() {
            return "ReadAccess.ALL";
        }
    };

    /** Obj / InstantiatedObj read permission: false makes the object (and everything below it) absent. */
    boolean canReadObject(ObjectNode node);

    /** Param read permission: false makes an instance whose search condition uses {@code p} absent. */
    boolean canReadParam(ObjectNode node, ParamDef p);
}
