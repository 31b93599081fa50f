package io.uspbridge.security;

import java.util.List;

/** One enabled Permission row of a role, compiled: its Order, its targets and its four right sets. */
record PermissionRule(long order, List<PermissionTarget> targets, int param, int obj, int instantiatedObj,
        int commandEvent) {

    int rights(ElementKind kind) {
        return switch (kind) {
            case PARAM -> param;
            case OBJ -> obj;
            case INSTANTIATED_OBJ -> instantiatedObj;
            case COMMAND_EVENT -> commandEvent;
        };
    }
}
