package io.uspbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessControlTest {
    private DataModel model;
    private AccessControl access;

    @BeforeEach
    void setUp() {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        b.object("Device.DeviceInfo.").param("SerialNumber", ValueType.string());
        b.object("Device.LocalAgent.");
        SchemaBuilder.ObjectBuilder c = b.table("Device.LocalAgent.Controller.{i}.").access(TableAccess.ADD_DELETE)
                .alias().functionalKey("EndpointID").enableParam("Enable");
        c.param("EndpointID", ValueType.string()).writable();
        c.param("Enable", ValueType.bool()).writable();
        c.param("ProvisioningCode", ValueType.string()).writable();
        c.param("AssignedRole", ValueType.string()
                .pathRef("Device.LocalAgent.ControllerTrust.Role.", true).list()).writable();
        c.param("InheritedRole", ValueType.string().pathRef("Device.LocalAgent.ControllerTrust.Role.", true).list());
        b.table("Device.LocalAgent.Controller.{i}.BootParameter.{i}.").access(TableAccess.ADD_DELETE).alias()
                .param("ParameterName", ValueType.string()).writable();
        SchemaBuilder.ObjectBuilder t = b.object("Device.LocalAgent.ControllerTrust.");
        t.param("UntrustedRole", ValueType.string().pathRef("Device.LocalAgent.ControllerTrust.Role.", true)
                .list(0, 1)).writable();
        t.param("SecuredRoles", ValueType.string().pathRef("Device.LocalAgent.ControllerTrust.Role.", true).list())
                .writable();
        SchemaBuilder.ObjectBuilder r = b.table("Device.LocalAgent.ControllerTrust.Role.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("Name");
        r.param("Enable", ValueType.bool()).writable();
        r.param("Name", ValueType.string()).writable();
        SchemaBuilder.ObjectBuilder p = b.table("Device.LocalAgent.ControllerTrust.Role.{i}.Permission.{i}.")
                .access(TableAccess.ADD_DELETE).alias().functionalKey("Order");
        p.param("Enable", ValueType.bool()).writable();
        p.param("Order", ValueType.unsignedInt()).writable();
        p.param("Targets", ValueType.string().list()).writable();
        for (String s : List.of("Param", "Obj", "InstantiatedObj", "CommandEvent")) {
            p.param(s, ValueType.string().length(4, 4)).writable().defaultValue("----");
        }
        b.object("Device.").command("Reboot()");
        model = new DataModel(b.build());
        access = new AccessControl(model);
    }

    private ObjectNode role(String name, List<String[]> perms) {
        ObjectNode trust = model.find("Device.LocalAgent.ControllerTrust.");
        ObjectNode role = model.addRow(trust, "Role", Map.of("Name", name, "Enable", "true"));
        for (String[] perm : perms) {
            model.addRow(role, "Permission", Map.of("Enable", "true", "Order", perm[0], "Targets", perm[1],
                    "Param", perm[2], "Obj", perm[3], "InstantiatedObj", perm[4], "CommandEvent", perm[5]));
        }
        return role;
    }

    private ObjectNode controller(String eid, ObjectNode... roles) {
        return model.addRow(model.find("Device.LocalAgent."), "Controller", Map.of("EndpointID", eid, "Enable", "true",
                "AssignedRole", String.join(",", java.util.Arrays.stream(roles).map(ObjectNode::referencePath)
                        .toList())));
    }

    @Test
    void fullAccessRoleAllowsEverything() {
        controller("proto::full", role("full-access", List.<String[]>of(
                new String[] {"1", "Device.", "rwxn", "rwxn", "rwxn", "rwxn"})));
        Permissions p = access.forController("proto::full");
        assertThat(p.isUnrestricted()).isTrue();
        assertThat(p.allows(ElementKind.COMMAND_EVENT, Right.EXECUTE, "Device.", "Reboot()")).isTrue();
        assertThat(p.canReadSecured()).as("secured values need a SecuredRoles role").isFalse();
    }

    @Test
    void tp469_2_21_higherOrderWinsWithinARole() {
        controller("proto::c", role("mixed", List.of(
                new String[] {"1", "Device.", "rw-n", "rw-n", "rw-n", "--x-"},
                new String[] {"5", "Device.LocalAgent.Controller.*.ProvisioningCode", "----", "----", "----", "----"})));
        Permissions p = access.forController("proto::c");
        ObjectNode ctl = model.find("Device.LocalAgent.Controller.1.");
        assertThat(p.canReadParam(ctl, ctl.def().param("EndpointID"))).isTrue();
        assertThat(p.canReadParam(ctl, ctl.def().param("ProvisioningCode"))).isFalse();
        assertThat(p.canWriteParam(ctl, ctl.def().param("ProvisioningCode"))).isFalse();
        assertThat(p.canReadObject(ctl)).isTrue();
        assertThat(p.allows(ElementKind.COMMAND_EVENT, Right.EXECUTE, "Device.", "Reboot()")).isTrue();
        assertThat(p.allows(ElementKind.COMMAND_EVENT, Right.READ, "Device.", "Reboot()")).isFalse();
    }

    @Test
    void rightsOfSeveralRolesAreUnited() {
        ObjectNode reader = role("reader", List.<String[]>of(new String[] {"1", "Device.", "r---", "r---", "r---", "----"}));
        ObjectNode denier = role("denier", List.<String[]>of(new String[] {"1", "Device.", "----", "----", "----", "----"}));
        ObjectNode writer = role("writer", List.<String[]>of(
                new String[] {"1", "Device.LocalAgent.Controller.", "-w--", "-w--", "-w--", "----"}));
        controller("proto::c", reader, denier, writer);
        Permissions p = access.forController("proto::c");
        ObjectNode ctl = model.find("Device.LocalAgent.Controller.1.");
        assertThat(p.canReadParam(ctl, ctl.def().param("Enable"))).isTrue();
        assertThat(p.canWriteParam(ctl, ctl.def().param("Enable"))).isTrue();
        ObjectNode info = model.find("Device.DeviceInfo.");
        assertThat(p.canWriteParam(info, info.def().param("SerialNumber"))).isFalse();
        assertThat(p.canAddTo(model.findTable("Device.LocalAgent.Controller."))).isTrue();
        assertThat(p.canDelete(ctl)).isTrue();
    }

    @Test
    void unknownControllersGetTheUntrustedRole() {
        ObjectNode untrusted = role("untrusted", List.<String[]>of(
                new String[] {"1", "Device.DeviceInfo.", "r---", "r---", "r---", "----"}));
        model.set(model.find("Device.LocalAgent.ControllerTrust."), "UntrustedRole", untrusted.referencePath());
        Permissions p = access.forController("proto::stranger");
        ObjectNode info = model.find("Device.DeviceInfo.");
        assertThat(p.canReadParam(info, info.def().param("SerialNumber"))).isTrue();
        assertThat(p.canReadObject(model.find("Device.LocalAgent."))).isFalse();
        assertThat(access.forController("proto::nobody-configured-untrusted").isUnrestricted()).isFalse();
    }

    @Test
    void aControllerWithoutRolesMayDoNothing() {
        controller("proto::bare");
        Permissions p = access.forController("proto::bare");
        assertThat(p.canReadObject(model.find("Device.DeviceInfo."))).isFalse();
    }

    @Test
    void securedRolesAndCacheInvalidation() {
        ObjectNode full = role("full-access", List.<String[]>of(
                new String[] {"1", "Device.", "rwxn", "rwxn", "rwxn", "rwxn"}));
        controller("proto::c", full);
        assertThat(access.forController("proto::c").canReadSecured()).isFalse();
        model.set(model.find("Device.LocalAgent.ControllerTrust."), "SecuredRoles", full.referencePath());
        assertThat(access.forController("proto::c").canReadSecured()).isTrue();
        model.set(full, "Enable", "false");
        assertThat(access.forController("proto::c").canReadObject(model.find("Device.DeviceInfo."))).isFalse();
    }

    @Test
    void instanceAndWildcardTargets() {
        ObjectNode only1 = role("one", List.<String[]>of(
                new String[] {"1", "Device.LocalAgent.Controller.1.", "r---", "r---", "r---", "----"},
                new String[] {"2", "Device.LocalAgent.Controller.*.BootParameter.", "rw--", "rw--", "rw--", "----"}));
        controller("proto::a", only1);
        controller("proto::b", only1);
        Permissions p = access.forController("proto::a");
        assertThat(p.canReadObject(model.find("Device.LocalAgent.Controller.1."))).isTrue();
        assertThat(p.canReadObject(model.find("Device.LocalAgent.Controller.2."))).isFalse();
        assertThat(p.allows(ElementKind.OBJ, Right.WRITE, "Device.LocalAgent.Controller.2.BootParameter.", null))
                .isTrue();
        assertThat(p.allows(ElementKind.PARAM, Right.READ, "Device.LocalAgent.Controller.{i}.BootParameter.{i}.",
                "ParameterName")).as("a wildcard covers the supported model too").isTrue();
    }

    @Test
    void theControllerRowOfAnEndpointFollowsEveryChangeOfTheTable() {
        ObjectNode agent = model.find("Device.LocalAgent.");
        assertThat(access.controllerRow("proto::c1")).isNull();
        ObjectNode first = model.addRow(agent, "Controller", Map.of("EndpointID", "proto::c1", "Enable", "true"));
        assertThat(access.controllerRow("proto::c1")).isSameAs(first);

        model.set(first, "Enable", "false");
        ObjectNode second = model.addRow(agent, "Controller", Map.of("EndpointID", "proto::c1", "Enable", "true"));
        assertThat(access.controllerRow("proto::c1")).as("an enabled row first").isSameAs(second);

        model.set(second, "EndpointID", "proto::c2");
        assertThat(access.controllerRow("proto::c1")).isSameAs(first);
        assertThat(access.controllerRow("proto::c2")).isSameAs(second);

        model.delete(first);
        assertThat(access.controllerRow("proto::c1")).isNull();
    }
}
