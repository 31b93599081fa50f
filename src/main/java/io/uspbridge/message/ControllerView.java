package io.uspbridge.message;

import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.security.Permissions;

/**
 * What one controller sees of the tree (MSG-9): the values it reads, and the view GetInstances resolves paths with.
 * Objects and parameters it may not read are treated as absent (R-GET.1, R-GIN.0, R-GSP.0).
 */
final class ControllerView {

    private ControllerView() {
    }

    /**
     * The value a controller reads: the live value (computed parameters are computed now), or "" for a secured
     * parameter unless the controller holds a SecuredRoles role (GET-6, TP-469 2.27).
     */
    static String value(Permissions permissions, ObjectNode node, ParamDef param) {
        if (param.isSecured() && !permissions.canReadSecured()) {
            return "";
        }
        return node.value(param);
    }

    /**
     * GetInstances sees a table row only with InstantiatedObj read on it, other objects with Obj read (GIN-2,
     * R-GIN.0); parameters compared by a search need Param read.
     */
    static ReadAccess instances(Permissions permissions) {
        if (permissions.isUnrestricted()) {
            return ReadAccess.ALL;
        }
        return new ReadAccess() {
            @Override
            public boolean canReadObject(ObjectNode node) {
                return node.isRow() ? permissions.canReadInstance(node) : permissions.canReadObject(node);
            }

            @Override
            public boolean canReadParam(ObjectNode node, ParamDef p) {
                return permissions.canReadParam(node, p);
            }
        };
    }
}
