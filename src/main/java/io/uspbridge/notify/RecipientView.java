package io.uspbridge.notify;

import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ParamDef;
import io.uspbridge.path.ReadAccess;
import io.uspbridge.security.Permissions;

/**
 * What a subscription's controller sees of the tree: subscriptions are evaluated with the permissions of the
 * controller that owns them (R-NOT.0 with 13.7), so search expressions, BootParameter paths and trigger settings
 * resolve as that controller's own requests would.
 */
final class RecipientView {
    private RecipientView() {
    }

    static final ReadAccess NOTHING = new ReadAccess() {
        @Override
        public boolean canReadObject(ObjectNode node) {
            return false;
        }

        @Override
        public boolean canReadParam(ObjectNode node, ParamDef p) {
            return false;
        }
    };


    /** The value as the controller reads it: "" for a secured parameter without a SecuredRoles role (GET-6). */
    static String value(Permissions p, ObjectNode node, ParamDef param, String value) {
        return param.isSecured() && !p.canReadSecured() ? "" : value;
    }
}
