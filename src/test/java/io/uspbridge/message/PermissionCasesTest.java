package io.uspbridge.message;

import static io.uspbridge.message.MessageFixture.subscription;
import static io.uspbridge.message.PermissionsFixture.ALL;
import static io.uspbridge.message.PermissionsFixture.NONE;
import static io.uspbridge.message.PermissionsFixture.assign;
import static io.uspbridge.message.PermissionsFixture.role;
import static io.uspbridge.message.PermissionsFixture.rule;
import static io.uspbridge.message.UspExchange.add;
import static io.uspbridge.message.UspExchange.create;
import static io.uspbridge.message.UspExchange.delete;
import static io.uspbridge.message.UspExchange.error;
import static io.uspbridge.message.UspExchange.response;
import static io.uspbridge.message.UspExchange.set;
import static io.uspbridge.message.UspExchange.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.GetSupportedDMResp.SupportedObjectResult;
import io.uspbridge.security.AccessControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TP-469 section 2 permission cases that concern these messages, with roles written into ControllerTrust and
 * assigned to the requesting controller (13.7): what a controller may not read does not exist for it, what it may
 * not write or create fails with 7006.
 */
class PermissionCasesTest {
    private static final String SUB = "Device.LocalAgent.Subscription.";
    private static final String READ = "r---";
    private static final String READ_WRITE = "rw--";

    private DataModel model;
    private UspExchange usp;

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        subscription(model, "a", true, 5);
        usp = new UspExchange(model, new AccessControl(model));
    }

    /** Gives the test controller one role made of {@code rules} (the base: read everything). */
    private void grant(PermissionsFixture.Rule... rules) {
        PermissionsFixture.Rule[] all = new PermissionsFixture.Rule[rules.length + 1];
        all[0] = rule(1, "Device.", READ, READ, READ, "r---");
        System.arraycopy(rules, 0, all, 1, rules.length);
        assign(model, UspExchange.CONTROLLER, role(model, "role-" + model.findTable(
                "Device.LocalAgent.ControllerTrust.Role.").nextInstance(), all));
    }

    private UspMsg.Add.CreateObject newSubscription() {
        return create(SUB, "Enable", "true", "true", "ID", "new", "true");
    }

    @Test
    void tp469_2_11_and_2_12_objectCreationNeedsObjWrite() {
        grant(rule(2, SUB, READ_WRITE, READ, READ, NONE));
        UspMsg.Error denied = error(usp.send(add(false, newSubscription())));
        assertThat(denied.getErrCode()).isEqualTo(7006);
        assertThat(denied.getParamErrs(0).getParamPath()).isEqualTo(SUB);
        assertThat(model.findTable(SUB).size()).isEqualTo(1);

        grant(rule(2, SUB, READ_WRITE, READ_WRITE, READ, NONE));
        var ok = response(usp.send(add(false, newSubscription()))).getAddResp().getCreatedObjResults(0);
        assertThat(ok.getOperStatus().getOperSuccess().getInstantiatedPath()).isEqualTo(SUB + "2.");
    }

    @Test
    void tp469_2_13_and_2_14_deletionNeedsInstantiatedObjWrite() {
        grant(rule(2, SUB, READ_WRITE, READ_WRITE, READ, NONE));
        UspMsg.Error denied = error(usp.send(delete(false, SUB + "1.")));
        assertThat(denied.getErrCode()).isEqualTo(7006);
        assertThat(model.find(SUB + "1.")).isNotNull();

        grant(rule(2, SUB, READ_WRITE, READ_WRITE, READ_WRITE, NONE));
        var ok = response(usp.send(delete(false, SUB + "1."))).getDeleteResp().getDeletedObjResults(0);
        assertThat(ok.getOperStatus().getOperSuccess().getAffectedPathsList()).containsExactly(SUB + "1.");
    }

    @Test
    void tp469_2_15_and_2_16_settingNeedsParamWrite() {
        grant(rule(2, SUB, READ, READ, READ, NONE));
        UspMsg.Error denied = error(usp.send(set(false, update(SUB + "1.", "NotifRetry", "true", "true"))));
        assertThat(denied.getErrCode()).isEqualTo(7006);
        assertThat(denied.getParamErrs(0).getParamPath()).isEqualTo(SUB + "1.NotifRetry");
        assertThat(model.value(SUB + "1.NotifRetry")).isEqualTo("false");

        grant(rule(2, SUB, READ_WRITE, READ, READ, NONE));
        var ok = response(usp.send(set(false, update(SUB + "1.", "NotifRetry", "true", "true")))).getSetResp();
        assertThat(ok.getUpdatedObjResults(0).getOperStatus().hasOperSuccess()).isTrue();
        assertThat(model.value(SUB + "1.NotifRetry")).isEqualTo("true");
    }

    @Test
    void tp469_2_21_theHigherOrderWinsWithinARole() {
        grant(rule(2, "Device.LocalAgent.Controller.", READ_WRITE, READ, READ, NONE),
                rule(3, "Device.LocalAgent.Controller.*.ProvisioningCode", NONE, NONE, NONE, NONE));
        var r = usp.get("Device.LocalAgent.Controller.1.").getReqPathResults(0);
        assertThat(r.getResolvedPathResults(0).getResultParamsMap()).containsKey("EndpointID")
                .doesNotContainKey("ProvisioningCode");
        assertThat(error(usp.send(set(false, update("Device.LocalAgent.Controller.1.", "ProvisioningCode", "x",
                "true")))).getErrCode()).isEqualTo(7006);
        var ok = response(usp.send(set(false, update("Device.LocalAgent.Controller.1.", "PeriodicNotifInterval",
                "60", "true")))).getSetResp();
        assertThat(ok.getUpdatedObjResults(0).getOperStatus().hasOperSuccess()).isTrue();
    }

    @Test
    void tp469_2_22_getOmitsUnreadableParametersAndAbsentObjects() {
        grant(rule(2, "Device.LocalAgent.Controller.*.BootParameter.*.ParameterName", NONE, NONE, NONE, NONE),
                rule(3, "Device.LocalAgent.ControllerTrust.", NONE, NONE, NONE, NONE));
        var r = usp.get("Device.LocalAgent.Controller.1.BootParameter.1.", "Device.LocalAgent.",
                "Device.LocalAgent.ControllerTrust.", "Device.LocalAgent.Controller.1.BootParameter.1.ParameterName",
                "Device.LocalAgent.Controller.1.BootParameter.*.ParameterName");
        assertThat(r.getReqPathResults(0).getResolvedPathResults(0).getResultParamsMap())
                .containsOnlyKeys("Alias", "Enable");
        assertThat(r.getReqPathResults(1).getResolvedPathResultsList()).extracting(x -> x.getResolvedPath())
                .doesNotContain("Device.LocalAgent.ControllerTrust.");
        assertThat(r.getReqPathResults(2).getErrCode()).as("R-GET.1: as if not there").isEqualTo(7026);
        assertThat(r.getReqPathResults(3).getErrCode()).isEqualTo(7026);
        assertThat(r.getReqPathResults(4).getErrCode()).isZero();
        assertThat(r.getReqPathResults(4).getResolvedPathResultsList()).isEmpty();
    }

    @Test
    void tp469_2_23_and_2_24_addWithASearchPathWhereOneTargetIsDenied() {
        grant(rule(2, "Device.LocalAgent.Controller.1.BootParameter.", READ_WRITE, READ_WRITE, READ, NONE),
                rule(3, "Device.LocalAgent.Controller.2.BootParameter.", READ_WRITE, READ, READ, NONE));
        String path = "Device.LocalAgent.Controller.*.BootParameter.";
        UspMsg.Error e = error(usp.send(add(false, create(path, "ParameterName", "Device.LocalAgent.", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7006);
        assertThat(e.getParamErrsList()).isNotEmpty();
        assertThat(model.find("Device.LocalAgent.Controller.1.").table("BootParameter").size()).isEqualTo(2);

        var resp = response(usp.send(add(true, create(path, "ParameterName", "Device.LocalAgent.", "true"))))
                .getAddResp();
        assertThat(resp.getCreatedObjResultsList()).hasSize(2);
        // (the instance number the refused Add had taken is not given out again)
        assertThat(resp.getCreatedObjResults(0).getOperStatus().getOperSuccess().getInstantiatedPath())
                .matches("Device\\.LocalAgent\\.Controller\\.1\\.BootParameter\\.[34]\\.");
        assertThat(model.find("Device.LocalAgent.Controller.1.").table("BootParameter").size()).isEqualTo(3);
        assertThat(resp.getCreatedObjResults(1).getOperStatus().getOperFailure().getErrCode()).isEqualTo(7006);
    }

    @Test
    void tp469_2_25_and_2_26_parametersTheControllerMayNotWrite() {
        grant(rule(2, SUB, READ_WRITE, READ_WRITE, READ, NONE), rule(3, SUB + "*.Enable", READ, NONE, NONE, NONE));
        var omitted = response(usp.send(add(false, create(SUB, "ID", "x", "true")))).getAddResp()
                .getCreatedObjResults(0).getOperStatus().getOperSuccess();
        assertThat(model.value(omitted.getInstantiatedPath() + "Enable")).as("the default").isEqualTo("false");

        var included = response(usp.send(add(true, create(SUB, "ID", "y", "true", "Enable", "true", "true"))))
                .getAddResp().getCreatedObjResults(0);
        assertThat(included.getOperStatus().getOperFailure().getErrCode()).isEqualTo(7006);
        assertThat(model.findTable(SUB).size()).isEqualTo(2);
    }

    @Test
    void tp469_2_27_securedValuesNeedASecuredRole() {
        grant();
        assertThat(password()).isEmpty();
        ObjectNode securedRole = role(model, "secured", rule(1, "Device.MQTT.", READ, READ, READ, NONE));
        PermissionsFixture.secured(model, securedRole);
        assign(model, UspExchange.CONTROLLER, role(model, "reader", rule(1, "Device.", READ, READ, READ, NONE)),
                securedRole);
        assertThat(password()).isEqualTo("s3cret");
    }

    private String password() {
        return usp.get("Device.MQTT.Client.1.Password").getReqPathResults(0).getResolvedPathResults(0)
                .getResultParamsOrThrow("Password");
    }

    @Test
    void responsesLeaveOutKeysAndValuesTheControllerCannotRead() {
        grant(rule(2, SUB, READ_WRITE, READ_WRITE, READ, NONE), rule(3, SUB + "*.ID", "-w--", NONE, NONE, NONE),
                rule(4, "Device.LocalAgent.Controller.2.", NONE, NONE, NONE, NONE));
        var created = response(usp.send(add(false, create(SUB, "ID", "hidden", "true")))).getAddResp()
                .getCreatedObjResults(0).getOperStatus().getOperSuccess();
        assertThat(created.getUniqueKeysMap()).containsOnlyKeys("Alias", "Recipient");      // R-ADD.6
        var updated = response(usp.send(set(false, update(SUB + "1.", "ID", "a", "false", "NotifRetry", "true",
                "true")))).getSetResp().getUpdatedObjResults(0).getOperStatus().getOperSuccess()
                .getUpdatedInstResults(0);
        assertThat(updated.getUpdatedParamsMap()).containsExactly(entry("NotifRetry", "true"));   // R-SET.3
        var instances = usp.getInstances(true, SUB, "Device.LocalAgent.Controller.");
        assertThat(instances.getReqPathResults(0).getCurrInsts(0).getUniqueKeysMap())
                .containsOnlyKeys("Alias", "Recipient");                                           // R-GIN.1
        assertThat(instances.getReqPathResults(1).getCurrInstsList()).extracting(i -> i.getInstantiatedObjPath())
                .containsExactly("Device.LocalAgent.Controller.1.");                               // R-GIN.0
    }

    @Test
    void getInstancesNeedsInstantiatedObjRead() {
        grant(rule(2, "Device.LocalAgent.Controller.", READ, READ, NONE, NONE));
        var r = usp.getInstances(true, "Device.LocalAgent.Controller.").getReqPathResults(0);
        assertThat(r.getErrCode()).isZero();
        assertThat(r.getCurrInstsList()).isEmpty();
    }

    @Test
    void theSupportedModelShowsOnlyWhatTheControllerMayRead() {
        grant(rule(2, SUB + "{i}.Enable", NONE, NONE, NONE, NONE),
                rule(3, "Device.LocalAgent.ControllerTrust.", NONE, NONE, NONE, NONE),
                rule(4, "Device.Reboot()", NONE, NONE, NONE, NONE));
        var la = response(usp.send(UspExchange.gsdm(false, true, "Device.LocalAgent.", "Device.LocalAgent."
                + "ControllerTrust.", "Device."))).getGetSupportedDmResp();
        assertThat(la.getReqObjResults(0).getSupportedObjsList()).extracting(SupportedObjectResult::getSupportedObjPath)
                .doesNotContain("Device.LocalAgent.ControllerTrust.", "Device.LocalAgent.ControllerTrust.Role.{i}.")
                .contains(SUB + "{i}.");
        SupportedObjectResult sub = la.getReqObjResults(0).getSupportedObjsList().stream()
                .filter(o -> o.getSupportedObjPath().equals(SUB + "{i}.")).findFirst().orElseThrow();
        assertThat(sub.getSupportedParamsList()).extracting(p -> p.getParamName()).doesNotContain("Enable")
                .contains("ID", "NotifRetry");
        assertThat(la.getReqObjResults(1).getErrCode()).isEqualTo(7026);
        assertThat(la.getReqObjResults(2).getSupportedObjs(0).getSupportedCommandsList())
                .extracting(c -> c.getCommandName()).doesNotContain("Reboot()").contains("ScheduleTimer()");
    }

    @Test
    void aControllerWithoutAnyRoleSeesNothing() {
        UspExchange stranger = new UspExchange(model, new AccessControl(model));
        var r = response(stranger.send("proto::stranger", UspExchange.get(0, "Device.DeviceInfo.", "Device.")))
                .getGetResp();
        assertThat(r.getReqPathResultsList()).extracting(x -> x.getErrCode()).containsExactly(7026, 7026);
        var d = response(stranger.send("proto::stranger", delete(false, SUB + "1."))).getDeleteResp();
        assertThat(d.getDeletedObjResults(0).getOperStatus().getOperSuccess().getAffectedPathsList())
                .as("a row it cannot see does not exist for it (TP-469 1.25)").isEmpty();
        assertThat(model.find(SUB + "1.")).isNotNull();
    }
}
