package io.uspbridge.message;

import static io.uspbridge.message.MessageFixture.subscription;
import static io.uspbridge.message.UspExchange.delete;
import static io.uspbridge.message.UspExchange.error;
import static io.uspbridge.message.UspExchange.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelChange;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.DeleteResp.DeletedObjectResult;
import io.uspbridge.proto.UspMsg.DeleteResp.DeletedObjectResult.OperationStatus.OperationSuccess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeleteHandlerTest {
    private static final String SUB = "Device.LocalAgent.Subscription.";
    private static final String BOOT = "Device.LocalAgent.Controller.1.BootParameter.";

    private DataModel model;
    private UspExchange usp;
    private final List<ModelChange> feed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        usp = new UspExchange(model);
        subscription(model, "a", true, 5);
        subscription(model, "b", false, 10);
        subscription(model, "c", true, 20);
        model.addListener(feed::addAll);
    }

    private UspMsg.DeleteResp deleteResp(UspMsg.Request r) {
        return response(usp.send(r)).getDeleteResp();
    }

    private static OperationSuccess success(DeletedObjectResult r) {
        assertThat(r.getOperStatus().hasOperSuccess()).as("%s", r).isTrue();
        return r.getOperStatus().getOperSuccess();
    }

    private boolean exists(String path) {
        return model.find(path) != null;
    }

    @Test
    void tp469_1_24_anInstanceIsDeleted() {
        DeletedObjectResult r = deleteResp(delete(false, SUB + "2.")).getDeletedObjResults(0);
        assertThat(r.getRequestedPath()).isEqualTo(SUB + "2.");
        assertThat(success(r).getAffectedPathsList()).containsExactly(SUB + "2.");
        assertThat(success(r).getUnaffectedPathErrsList()).isEmpty();
        assertThat(exists(SUB + "2.")).isFalse();
        assertThat(model.value("Device.LocalAgent.SubscriptionNumberOfEntries")).isEqualTo("2");
        assertThat(feed).filteredOn(c -> c instanceof ModelChange.ObjectDeleted).extracting(c -> c.object().path())
                .containsExactly(SUB + "2.");
    }

    @Test
    void tp469_1_25_aMissingInstanceWithoutAllowPartialIsAnEmptySuccessByDefault() {
        DeletedObjectResult r = deleteResp(delete(false, SUB + "9.")).getDeletedObjResults(0);
        assertThat(success(r)).isEqualTo(OperationSuccess.getDefaultInstance());
    }

    @Test
    void section17_theSpecsErrorForAMissingInstanceCanBeChosen() {
        UspExchange strict = new UspExchange(model, MessageSettings.defaults().withDeleteMissingIsError(true));
        UspMsg.Error e = error(strict.send(delete(false, SUB + "1.", SUB + "9.")));
        assertThat(e.getErrCode()).isEqualTo(7016);
        assertThat(e.getParamErrs(0).getParamPath()).isEqualTo(SUB + "9.");
        assertThat(exists(SUB + "1.")).isTrue();
        // allow_partial=true keeps the empty success of R-DEL.2a either way
        assertThat(success(response(strict.send(delete(true, SUB + "9."))).getDeleteResp().getDeletedObjResults(0))
                .getAffectedPathsList()).isEmpty();
    }

    @Test
    void tp469_1_26_anInvalidObjectWithoutAllowPartialIsAnError() {
        UspMsg.Error e = error(usp.send(delete(false, "Device.LocalAgent.InvalidObject.")));
        assertThat(e.getErrCode()).isEqualTo(7026);
        assertThat(e.getParamErrs(0).getParamPath()).isEqualTo("Device.LocalAgent.InvalidObject.");
    }

    @Test
    void tp469_1_27_severalInstances() {
        UspMsg.DeleteResp resp = deleteResp(delete(false, SUB + "1.", SUB + "3."));
        assertThat(resp.getDeletedObjResultsList()).extracting(r -> success(r).getAffectedPaths(0))
                .containsExactly(SUB + "1.", SUB + "3.");
        assertThat(model.findTable(SUB).size()).isEqualTo(1);
    }

    @Test
    void tp469_1_28_anInvalidPathWithoutAllowPartialDeletesNothing() {
        error(usp.send(delete(false, SUB + "1.", "Device.LocalAgent.InvalidObject.")));
        assertThat(exists(SUB + "1.")).isTrue();
        assertThat(feed).isEmpty();
    }

    @Test
    void tp469_1_29_to_1_32_withAllowPartial() {
        UspMsg.DeleteResp resp = deleteResp(delete(true, SUB + "9.", "Device.LocalAgent.InvalidObject.",
                SUB + "1."));
        assertThat(success(resp.getDeletedObjResults(0)).getAffectedPathsList()).isEmpty();     // 1.29, 1.32
        assertThat(resp.getDeletedObjResults(1).getOperStatus().getOperFailure().getErrCode())   // 1.30, 1.31
                .isEqualTo(7026);
        assertThat(success(resp.getDeletedObjResults(2)).getAffectedPathsList()).containsExactly(SUB + "1.");
        assertThat(exists(SUB + "1.")).isFalse();
    }

    @Test
    void tp469_1_33_uniqueKeyAddressingReportsTheInstanceNumber() {
        DeletedObjectResult r = deleteResp(delete(false,
                BOOT + "[ParameterName==\"Device.DeviceInfo.Manufacturer\"].")).getDeletedObjResults(0);
        assertThat(success(r).getAffectedPathsList()).containsExactly(BOOT + "2.");
    }

    @Test
    void tp469_1_34_aWildcardDeletesEveryInstance() {
        DeletedObjectResult r = deleteResp(delete(false, SUB + "*.")).getDeletedObjResults(0);
        assertThat(success(r).getAffectedPathsList()).containsExactly(SUB + "1.", SUB + "2.", SUB + "3.");
        assertThat(model.findTable(SUB).size()).isZero();
    }

    @Test
    void tp469_1_35_and_1_90_searchExpressions() {
        DeletedObjectResult r = deleteResp(delete(false, BOOT + "[Enable==true].")).getDeletedObjResults(0);
        assertThat(success(r).getAffectedPathsList()).containsExactly(BOOT + "1.");
        assertThat(exists(BOOT + "2.")).isTrue();
        DeletedObjectResult none = deleteResp(delete(false, SUB + "[NotifExpiration>100].")).getDeletedObjResults(0);
        assertThat(success(none)).isEqualTo(OperationSuccess.getDefaultInstance());
    }

    @Test
    void tp469_1_78_dependantsAndNestedRowsGoWithTheRow() {
        DeletedObjectResult r = deleteResp(delete(false, "Device.LocalAgent.Controller.1.")).getDeletedObjResults(0);
        assertThat(success(r).getAffectedPathsList()).containsExactly("Device.LocalAgent.Controller.1.");
        assertThat(model.findTable(SUB).size()).as("its subscriptions").isZero();
        assertThat(feed).filteredOn(c -> c instanceof ModelChange.ObjectDeleted)
                .extracting(c -> c.object().path()).contains(BOOT + "1.", BOOT + "2.",
                        "Device.LocalAgent.Controller.1.MTP.1.", SUB + "1.", SUB + "2.", SUB + "3.",
                        "Device.LocalAgent.Controller.1.");
    }

    @Test
    void agentManagedRowsAndWrongPathsAreRefused() {
        MessageFixture.lamp(model, "lamp");
        UspMsg.DeleteResp resp = deleteResp(delete(true, "Device.ProxiedDevice.1.",
                "Device.ProxiedDevice.*.IoTCapability.*.", "Device.LocalAgent.", SUB, SUB + "1.Enable"));
        assertThat(success(resp.getDeletedObjResults(0)).getUnaffectedPathErrsList()).singleElement()
                .satisfies(u -> {
                    assertThat(u.getUnaffectedPath()).isEqualTo("Device.ProxiedDevice.1.");
                    assertThat(u.getErrCode()).isEqualTo(7024);
                });
        assertThat(success(resp.getDeletedObjResults(1)).getUnaffectedPathErrsList()).hasSize(2);
        assertThat(resp.getDeletedObjResultsList().subList(2, 5))
                .extracting(r -> r.getOperStatus().getOperFailure().getErrCode()).containsExactly(7018, 7026, 7026);
        assertThat(exists("Device.ProxiedDevice.1.IoTCapability.1.")).isTrue();
        UspMsg.Error e = error(usp.send(delete(false, SUB + "1.", "Device.ProxiedDevice.1.")));
        assertThat(e.getErrCode()).isEqualTo(7024);
        assertThat(e.getParamErrs(0).getParamPath()).isEqualTo("Device.ProxiedDevice.1.");
        assertThat(exists(SUB + "1.")).as("rolled back").isTrue();
    }

    @Test
    void aPathDeletedTwiceInOneMessageIsReportedOnce() {
        UspMsg.DeleteResp resp = deleteResp(delete(false, SUB + "1.", SUB + "*."));
        assertThat(success(resp.getDeletedObjResults(0)).getAffectedPathsList()).containsExactly(SUB + "1.");
        assertThat(success(resp.getDeletedObjResults(1)).getAffectedPathsList()).containsExactly(SUB + "2.",
                SUB + "3.");
    }

    @Test
    void noPathOrTooManyIsRefusedBeforeAnyWork() {
        assertThat(error(usp.send(delete(false))).getErrCode()).isEqualTo(7004);
        UspExchange limited = new UspExchange(model, MessageSettings.defaults().withMaxAffectedObjects(2));
        assertThat(error(limited.send(delete(true, SUB + "*."))).getErrCode()).isEqualTo(7005);
        assertThat(model.findTable(SUB).size()).isEqualTo(3);
    }
}
