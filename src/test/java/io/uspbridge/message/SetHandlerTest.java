package io.uspbridge.message;

import static io.uspbridge.message.MessageFixture.subscription;
import static io.uspbridge.message.UspExchange.error;
import static io.uspbridge.message.UspExchange.response;
import static io.uspbridge.message.UspExchange.set;
import static io.uspbridge.message.UspExchange.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.uspbridge.model.DataModel;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.security.AccessControl;
import io.uspbridge.proto.UspMsg.SetResp.UpdatedInstanceResult;
import io.uspbridge.proto.UspMsg.SetResp.UpdatedObjectResult;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SetHandlerTest {
    private static final String SUB = "Device.LocalAgent.Subscription.";

    private DataModel model;
    private UspExchange usp;

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        usp = new UspExchange(model);
        subscription(model, "a", true, 5);
        subscription(model, "b", false, 10);
    }

    private UspMsg.SetResp setResp(UspMsg.Request request) {
        return response(usp.send(request)).getSetResp();
    }

    private static UpdatedInstanceResult onlyInstance(UpdatedObjectResult r) {
        assertThat(r.getOperStatus().hasOperSuccess()).as("%s", r).isTrue();
        assertThat(r.getOperStatus().getOperSuccess().getUpdatedInstResultsList()).hasSize(1);
        return r.getOperStatus().getOperSuccess().getUpdatedInstResults(0);
    }

    private String value(String path) {
        return model.value(path);
    }

    @Test
    void tp469_1_11_and_1_12_aRequiredParameterIsSetAndReportedWithItsNewValue() {
        for (boolean partial : new boolean[] {false, true}) {
            UspMsg.SetResp resp = setResp(set(partial, update(SUB + "1.", "NotifRetry", Boolean.toString(!partial),
                    "true")));
            UpdatedObjectResult r = resp.getUpdatedObjResults(0);
            assertThat(r.getRequestedPath()).isEqualTo(SUB + "1.");
            UpdatedInstanceResult inst = onlyInstance(r);
            assertThat(inst.getAffectedPath()).isEqualTo(SUB + "1.");
            assertThat(inst.getUpdatedParamsMap()).containsExactly(entry("NotifRetry", Boolean.toString(!partial)));
            assertThat(inst.getParamErrsList()).isEmpty();
            assertThat(value(SUB + "1.NotifRetry")).isEqualTo(Boolean.toString(!partial));
        }
    }

    @Test
    void tp469_1_13_severalObjectsAreAllUpdated() {
        UspMsg.SetResp resp = setResp(set(false, update(SUB + "1.", "NotifExpiration", "30", "true"),
                update(SUB + "2.", "NotifExpiration", "40", "true")));
        assertThat(resp.getUpdatedObjResultsList()).hasSize(2);
        assertThat(onlyInstance(resp.getUpdatedObjResults(1)).getUpdatedParamsMap())
                .containsExactly(entry("NotifExpiration", "40"));
        assertThat(value(SUB + "1.NotifExpiration")).isEqualTo("30");
        assertThat(value(SUB + "2.NotifExpiration")).isEqualTo("40");
    }

    @Test
    void tp469_1_14_aFailedRequiredParameterWithoutAllowPartialIsAnErrorWithItsFullPath() {
        UspMsg.Error e = error(usp.send(set(false, update(SUB + "1.", "InvalidParameter", "x", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7010);
        assertThat(e.getParamErrsList()).singleElement().satisfies(pe -> {
            assertThat(pe.getParamPath()).isEqualTo(SUB + "1.InvalidParameter");
            assertThat(pe.getErrCode()).isEqualTo(7010);
            assertThat(pe.getErrMsg()).isNotEmpty();
        });
    }

    @Test
    void tp469_1_15_oneFailingObjectWithoutAllowPartialLeavesTheOtherUnchanged() {
        UspMsg.Error e = error(usp.send(set(false, update(SUB + "1.", "NotifExpiration", "99", "true"),
                update(SUB + "2.", "NotifExpiration", "not-a-number", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7011);
        assertThat(e.getParamErrs(0).getParamPath()).isEqualTo(SUB + "2.NotifExpiration");
        assertThat(value(SUB + "1.NotifExpiration")).as("rolled back").isEqualTo("5");
    }

    @Test
    void tp469_1_16_withAllowPartialEachObjectStandsAlone() {
        UspMsg.SetResp resp = setResp(set(true, update(SUB + "1.", "NotifExpiration", "99", "true"),
                update(SUB + "2.", "NotifExpiration", "99", "true", "Enable", "maybe", "true")));
        assertThat(onlyInstance(resp.getUpdatedObjResults(0)).getUpdatedParamsMap())
                .containsExactly(entry("NotifExpiration", "99"));
        UpdatedObjectResult failed = resp.getUpdatedObjResults(1);
        assertThat(failed.getOperStatus().hasOperFailure()).isTrue();
        UspMsg.SetResp.UpdatedObjectResult.OperationStatus.OperationFailure f = failed.getOperStatus()
                .getOperFailure();
        assertThat(f.getErrCode()).as("SET-5: the object failed for a required parameter").isEqualTo(7021);
        assertThat(f.getErrMsg()).contains("Enable");
        assertThat(f.getUpdatedInstFailuresList()).singleElement().satisfies(fi -> {
            assertThat(fi.getAffectedPath()).isEqualTo(SUB + "2.");
            assertThat(fi.getParamErrsList()).singleElement().satisfies(pe -> {
                assertThat(pe.getParam()).isEqualTo("Enable");
                assertThat(pe.getErrCode()).isEqualTo(7011);
            });
        });
        assertThat(value(SUB + "1.NotifExpiration")).isEqualTo("99");
        assertThat(value(SUB + "2.NotifExpiration")).as("the failed object is unchanged as a whole").isEqualTo("10");
    }

    @Test
    void tp469_1_17_aNonRequiredFailureIsListedAndTheRestIsSet() {
        UpdatedInstanceResult inst = onlyInstance(setResp(set(false, update(SUB + "1.", "NotifRetry", "true",
                "false", "InvalidParameter", "x", "false"))).getUpdatedObjResults(0));
        assertThat(inst.getUpdatedParamsMap()).containsExactly(entry("NotifRetry", "true"));
        assertThat(inst.getParamErrsList()).singleElement().satisfies(pe -> {
            assertThat(pe.getParam()).isEqualTo("InvalidParameter");
            assertThat(pe.getErrCode()).isEqualTo(7010);
        });
        assertThat(value(SUB + "1.NotifRetry")).isEqualTo("true");
    }

    @Test
    void tp469_1_18_uniqueKeyAddressingReportsTheInstanceNumber() {
        UpdatedInstanceResult inst = onlyInstance(setResp(set(false,
                update("Device.LocalAgent.Controller.[EndpointID==\"proto::controller-2\"].", "ProvisioningCode",
                        "pc", "true"))).getUpdatedObjResults(0));
        assertThat(inst.getAffectedPath()).isEqualTo("Device.LocalAgent.Controller.2.");
    }

    @Test
    void tp469_1_19_aWildcardUpdatesEveryInstance() {
        UpdatedObjectResult r = setResp(set(false, update(SUB + "*.", "NotifRetry", "1", "true")))
                .getUpdatedObjResults(0);
        assertThat(r.getRequestedPath()).isEqualTo(SUB + "*.");
        assertThat(r.getOperStatus().getOperSuccess().getUpdatedInstResultsList())
                .extracting(UpdatedInstanceResult::getAffectedPath).containsExactly(SUB + "1.", SUB + "2.");
        assertThat(r.getOperStatus().getOperSuccess().getUpdatedInstResults(1).getUpdatedParamsMap())
                .as("the value after the update, canonical").containsExactly(entry("NotifRetry", "true"));
    }

    @Test
    void tp469_1_20_aWildcardWithAFailedRequiredParameterWithoutAllowPartialChangesNothing() {
        UspMsg.Error e = error(usp.send(set(false, update(SUB + "*.", "NotifExpiration", "7", "true",
                "InvalidParameter", "1", "true"))));
        assertThat(e.getParamErrsList()).extracting(UspMsg.Error.ParamError::getParamPath)
                .containsExactly(SUB + "1.InvalidParameter");
        assertThat(value(SUB + "1.NotifExpiration")).isEqualTo("5");
        assertThat(value(SUB + "2.NotifExpiration")).isEqualTo("10");
    }

    @Test
    void tp469_1_21_aWildcardIsHolisticEvenWithAllowPartial() {
        // Giving both enabled controllers the same EndpointID (a functional key) fails on the second one only.
        UpdatedObjectResult r = setResp(set(true, update("Device.LocalAgent.Controller.*.", "EndpointID", "same",
                "true"))).getUpdatedObjResults(0);
        assertThat(r.getOperStatus().hasOperFailure()).isTrue();
        assertThat(r.getOperStatus().getOperFailure().getErrCode()).isEqualTo(7025);
        assertThat(r.getOperStatus().getOperFailure().getUpdatedInstFailuresList()).singleElement()
                .satisfies(f -> assertThat(f.getAffectedPath()).isEqualTo("Device.LocalAgent.Controller.2."));
        assertThat(value("Device.LocalAgent.Controller.1.EndpointID")).as("R-SET.2a: undone")
                .isEqualTo("proto::controller-1");
    }

    @Test
    void duplicateKeysWithoutAllowPartialAreJudgedAfterTheWholeMessage() {
        // MSG-8: swapping two functional keys in one message is fine, though each step alone would collide.
        UspMsg.SetResp resp = setResp(set(false,
                update("Device.LocalAgent.Controller.1.", "EndpointID", "proto::controller-2", "true"),
                update("Device.LocalAgent.Controller.2.", "EndpointID", "proto::controller-1", "true")));
        assertThat(resp.getUpdatedObjResultsList()).allSatisfy(r -> assertThat(r.getOperStatus().hasOperSuccess())
                .isTrue());
        assertThat(value("Device.LocalAgent.Controller.1.EndpointID")).isEqualTo("proto::controller-2");
        UspMsg.Error e = error(usp.send(set(false,
                update("Device.LocalAgent.Controller.1.", "EndpointID", "proto::controller-1", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7025);
        assertThat(value("Device.LocalAgent.Controller.1.EndpointID")).isEqualTo("proto::controller-2");
    }

    @Test
    void tp469_1_22_aSearchExpressionUpdatesTheMatchingInstances() {
        UpdatedObjectResult r = setResp(set(false, update(SUB + "[Enable==false].", "NotifRetry", "true", "true")))
                .getUpdatedObjResults(0);
        assertThat(r.getOperStatus().getOperSuccess().getUpdatedInstResultsList())
                .extracting(UpdatedInstanceResult::getAffectedPath).containsExactly(SUB + "2.");
        assertThat(value(SUB + "1.NotifRetry")).isEqualTo("false");
    }

    @Test
    void tp469_1_23_aSearchMatchingNothingIsAnEmptySuccess() {
        UpdatedObjectResult r = setResp(set(false, update(SUB + "[NotifExpiration>1000].", "Enable", "true",
                "true"))).getUpdatedObjResults(0);
        assertThat(r.getOperStatus()).isEqualTo(UpdatedObjectResult.OperationStatus.newBuilder()
                .setOperSuccess(UpdatedObjectResult.OperationStatus.OperationSuccess.getDefaultInstance()).build());
    }

    @Test
    void tp469_1_96_aNonFunctionalKeyCannotChange() {
        UspMsg.Error e = error(usp.send(set(false, update(SUB + "1.", "ID", "other", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7013);
        assertThat(value(SUB + "1.ID")).isEqualTo("a");
    }

    @Test
    void tp469_1_104_aWriteOnceParameterSetAtCreationCannotBeSetAgain() {
        response(usp.send(UspExchange.add(false, UspExchange.create(SUB, "Alias", "mine", "true"))));
        UspMsg.Error e = error(usp.send(set(false, update(SUB + "3.", "Alias", "yours", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7013);
        assertThat(e.getParamErrs(0).getParamPath()).isEqualTo(SUB + "3.Alias");
        assertThat(value(SUB + "3.Alias")).isEqualTo("mine");
    }

    @Test
    void set5_eachKindOfBadValueHasItsCode() {
        UspMsg.SetResp resp = setResp(set(true,
                update(SUB + "1.", "NotifExpiration", "-1", "true"),
                update("Device.LocalAgent.Controller.1.", "PeriodicNotifInterval", "0", "true"),
                update("Device.LocalAgent.", "EndpointID", "x", "true"),
                update(SUB + "1.", "NotifType", "Sometimes", "true"),
                update(SUB + "9.", "Enable", "true", "true"),
                update("Device.LocalAgent.Nothing.", "Enable", "true", "true"),
                update(SUB, "Enable", "true", "true"),
                update(SUB + "1.Enable", "Enable", "true", "true"),
                update(SUB + "1.")));
        assertThat(resp.getUpdatedObjResultsList()).extracting(r -> r.getOperStatus().getOperFailure().getErrCode())
                .containsExactly(7021, 7021, 7021, 7021, 7016, 7026, 7026, 7026, 7004);
        assertThat(resp.getUpdatedObjResultsList().subList(0, 4)).extracting(r -> r.getOperStatus().getOperFailure()
                .getUpdatedInstFailures(0).getParamErrs(0).getErrCode()).containsExactly(7011, 7012, 7013, 7012);
        assertThat(resp.getUpdatedObjResultsList()).allSatisfy(r ->
                assertThat(r.getOperStatus().getOperFailure().getErrMsg()).isNotEmpty());
    }

    @Test
    void nestedSingleObjectsAreReachedByRelativeNames() {
        UpdatedInstanceResult inst = onlyInstance(setResp(set(false, update("Device.LocalAgent.Controller.1.MTP.1.",
                "MQTT.Topic", "usp/elsewhere", "true", "Enable", "false", "true"))).getUpdatedObjResults(0));
        assertThat(inst.getUpdatedParamsMap()).containsOnly(entry("MQTT.Topic", "usp/elsewhere"),
                entry("Enable", "false"));
        assertThat(value("Device.LocalAgent.Controller.1.MTP.1.MQTT.Topic")).isEqualTo("usp/elsewhere");
        UspMsg.Error e = error(usp.send(set(false, update("Device.LocalAgent.Controller.1.", "MTP.1.Enable",
                "true", "true"))));
        assertThat(e.getErrCode()).as("not into child tables").isEqualTo(7010);
    }

    @Test
    void unchangedValuesAreStillReported() {
        UpdatedInstanceResult inst = onlyInstance(setResp(set(false, update(SUB + "1.", "Enable", "1", "true")))
                .getUpdatedObjResults(0));
        assertThat(inst.getUpdatedParamsMap()).containsExactly(entry("Enable", "true"));
    }

    @Test
    void tooManyObjectsOrSettingsAreRefusedBeforeAnyWork() {
        UspMsg.Set.UpdateObject[] many = new UspMsg.Set.UpdateObject[MessageSettings.defaults().maxObjectsPerRequest()
                + 1];
        java.util.Arrays.fill(many, update(SUB + "1.", "Enable", "false", "true"));
        UspMsg.Error e = error(usp.send(set(true, many)));
        assertThat(e.getErrCode()).isEqualTo(7005);
        assertThat(value(SUB + "1.Enable")).isEqualTo("true");
        UspExchange oneAtATime = new UspExchange(model, MessageSettings.defaults().withMaxAffectedObjects(1));
        assertThat(error(oneAtATime.send(set(true, update(SUB + "*.", "Enable", "false", "true")))).getErrCode())
                .isEqualTo(7005);
        assertThat(value(SUB + "1.Enable")).isEqualTo("true");
        assertThat(error(usp.send(set(true))).getErrCode()).isEqualTo(7004);
    }

    @Test
    void securedValuesAreNotEchoedToControllersWithoutSecuredRoles() {
        PermissionsFixture.assign(model, UspExchange.CONTROLLER, PermissionsFixture.fullAccess(model));
        UspExchange plain = new UspExchange(model, new AccessControl(model));
        UpdatedInstanceResult inst = onlyInstance(response(plain.send(set(false, update("Device.MQTT.Client.1.",
                "Password", "n3w", "true")))).getSetResp().getUpdatedObjResults(0));
        assertThat(inst.getUpdatedParamsMap()).containsExactly(entry("Password", ""));
        assertThat(value("Device.MQTT.Client.1.Password")).isEqualTo("n3w");
        assertThat(List.of(plain.get("Device.MQTT.Client.1.Password").getReqPathResults(0)
                .getResolvedPathResults(0).getResultParamsOrThrow("Password"))).containsExactly("");
    }
}
