package io.uspbridge.message;

import static io.uspbridge.message.MessageFixture.values;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Roles and role assignments written into the model, the way ControllerTrust holds them (13.7). */
final class PermissionsFixture {
    static final String ALL = "rwxn";
    static final String NONE = "----";

    private PermissionsFixture() {
    }

    /** One Permission row: Order, Targets, then the Param, Obj, InstantiatedObj and CommandEvent strings. */
    record Rule(int order, String targets, String param, String obj, String instantiatedObj, String commandEvent) {
    }

    static Rule rule(int order, String targets, String param, String obj, String instantiatedObj,
            String commandEvent) {
        return new Rule(order, targets, param, obj, instantiatedObj, commandEvent);
    }

    static ObjectNode role(DataModel m, String name, Rule... rules) {
        ObjectNode role = m.addRow(m.find("Device.LocalAgent.ControllerTrust."), "Role",
                values("Name", name, "Enable", "true"));
        for (Rule r : rules) {
            m.addRow(role, "Permission", values("Enable", "true", "Order", Integer.toString(r.order()), "Targets",
                    r.targets(), "Param", r.param(), "Obj", r.obj(), "InstantiatedObj", r.instantiatedObj(),
                    "CommandEvent", r.commandEvent()));
        }
        return role;
    }

    /** The role every test controller starts from: everything, except secured values. */
    static ObjectNode fullAccess(DataModel m) {
        return role(m, "full-access", rule(1, "Device.", ALL, ALL, ALL, ALL));
    }

    /** Sets the AssignedRole of the controller with this EndpointID. */
    static void assign(DataModel m, String endpointId, ObjectNode... roles) {
        ObjectNode row = m.find("Device.LocalAgent.").rows("Controller").stream()
                .filter(c -> endpointId.equals(c.value("EndpointID"))).findFirst().orElseThrow();
        m.set(row, "AssignedRole", Arrays.stream(roles).map(ObjectNode::referencePath)
                .collect(Collectors.joining(",")));
    }

    static void secured(DataModel m, ObjectNode... roles) {
        m.set(m.find("Device.LocalAgent.ControllerTrust."), "SecuredRoles", Arrays.stream(roles)
                .map(ObjectNode::referencePath).collect(Collectors.joining(",")));
    }
}
