package io.uspbridge.message;

import static io.uspbridge.message.UspExchange.add;
import static io.uspbridge.message.UspExchange.create;
import static io.uspbridge.message.UspExchange.error;
import static io.uspbridge.message.UspExchange.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.uspbridge.model.DataModel;
import io.uspbridge.model.ModelChange;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.AddResp.CreatedObjectResult;
import io.uspbridge.proto.UspMsg.AddResp.CreatedObjectResult.OperationStatus.OperationSuccess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AddHandlerTest {
    private static final String SUB = "Device.LocalAgent.Subscription.";

    private DataModel model;
    private UspExchange usp;
    private final List<ModelChange> feed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        usp = new UspExchange(model);
        model.addListener(feed::addAll);
    }

    private UspMsg.AddResp addResp(UspMsg.Request r) {
        return response(usp.send(r)).getAddResp();
    }

    private static OperationSuccess success(CreatedObjectResult r) {
        assertThat(r.getOperStatus().hasOperSuccess()).as("%s", r).isTrue();
        return r.getOperStatus().getOperSuccess();
    }

    private int subscriptions() {
        return model.findTable(SUB).size();
    }

    private static UspMsg.Add.CreateObject subscription(String id, String enableRequired) {
        return create(SUB, "Enable", "true", enableRequired, "ID", id, "true", "NotifType", "ValueChange", "true",
                "ReferenceList", "Device.LocalAgent.", "true");
    }

    @Test
    void tp469_1_1_and_1_2_anObjectIsCreatedWithTheGivenValuesAndAllItsKeys() {
        for (boolean partial : new boolean[] {false, true}) {
            String id = "sub-" + partial;
            UspMsg.AddResp resp = addResp(add(partial, subscription(id, "true")));
            CreatedObjectResult r = resp.getCreatedObjResults(0);
            assertThat(r.getRequestedPath()).isEqualTo(SUB);
            OperationSuccess ok = success(r);
            int n = partial ? 2 : 1;
            assertThat(ok.getInstantiatedPath()).isEqualTo(SUB + n + ".");
            assertThat(ok.getParamErrsList()).isEmpty();
            assertThat(ok.getUniqueKeysMap()).containsOnly(entry("Alias", "cpe-" + n), entry("Recipient", ""),
                    entry("ID", id));
            assertThat(model.value(SUB + n + ".Enable")).isEqualTo("true");
            assertThat(model.value(SUB + n + ".ReferenceList")).isEqualTo("Device.LocalAgent.");
        }
        assertThat(feed).filteredOn(c -> c instanceof ModelChange.ObjectCreated).hasSize(2);
    }

    @Test
    void tp469_1_3_aFailedRequiredParameterWithoutAllowPartialIsAnErrorAndNothingIsCreated() {
        UspMsg.Error e = error(usp.send(add(false, create(SUB, "Enable", "yes-please", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7011);
        assertThat(e.getParamErrsList()).singleElement().satisfies(pe -> {
            assertThat(pe.getParamPath()).startsWith(SUB).endsWith(".Enable");
            assertThat(pe.getErrCode()).isEqualTo(7011);
        });
        assertThat(subscriptions()).isZero();
        assertThat(feed).isEmpty();
    }

    @Test
    void tp469_1_4_anInvalidObjectWithoutAllowPartialIsAnErrorNamingIt() {
        UspMsg.Error e = error(usp.send(add(false, create("Device.LocalAgent.InvalidObject.", "Enable", "true",
                "true"))));
        assertThat(e.getErrCode()).isEqualTo(7026);
        assertThat(e.getParamErrsList()).singleElement().satisfies(pe ->
                assertThat(pe.getParamPath()).isEqualTo("Device.LocalAgent.InvalidObject."));
    }

    @Test
    void tp469_1_5_severalObjects() {
        UspMsg.AddResp resp = addResp(add(false, subscription("x", "true"), subscription("y", "true")));
        assertThat(resp.getCreatedObjResultsList()).extracting(r -> success(r).getInstantiatedPath())
                .containsExactly(SUB + "1.", SUB + "2.");
        assertThat(success(resp.getCreatedObjResults(1)).getUniqueKeysMap()).containsEntry("ID", "y");
    }

    @Test
    void tp469_1_6_and_1_7_oneFailureWithoutAllowPartialCreatesNothing() {
        UspMsg.Error invalid = error(usp.send(add(false, subscription("x", "true"),
                create("Device.LocalAgent.InvalidObject.", "Enable", "true", "true"))));
        assertThat(invalid.getErrCode()).isEqualTo(7026);
        UspMsg.Error required = error(usp.send(add(false, subscription("x", "true"),
                create(SUB, "Enable", "true", "true", "NotifExpiration", "soon", "true"))));
        assertThat(required.getParamErrs(0).getParamPath()).endsWith(".NotifExpiration");
        assertThat(subscriptions()).isZero();
    }

    @Test
    void tp469_1_8_withAllowPartialAFailedRequiredParameterFailsTheObject() {
        CreatedObjectResult r = addResp(add(true, create(SUB, "Enable", "yes", "true"))).getCreatedObjResults(0);
        assertThat(r.getOperStatus().getOperFailure().getErrCode()).isEqualTo(7011);
        assertThat(r.getOperStatus().getOperFailure().getErrMsg()).isNotEmpty();
        assertThat(subscriptions()).isZero();
    }

    @Test
    void tp469_1_9_withAllowPartialTheOtherObjectIsCreated() {
        UspMsg.AddResp resp = addResp(add(true, subscription("ok", "true"),
                create(SUB, "NotifType", "Whenever", "true")));
        assertThat(success(resp.getCreatedObjResults(0)).getUniqueKeysMap()).containsEntry("ID", "ok");
        assertThat(resp.getCreatedObjResults(1).getOperStatus().getOperFailure().getErrCode()).isEqualTo(7012);
        assertThat(subscriptions()).isEqualTo(1);
    }

    @Test
    void tp469_1_10_uniqueKeyAddressingOfTheParent() {
        OperationSuccess ok = success(addResp(add(false, create(
                "Device.LocalAgent.Controller.[EndpointID==\"proto::controller-1\"].BootParameter.",
                "ParameterName", "Device.LocalAgent.EndpointID", "true"))).getCreatedObjResults(0));
        assertThat(ok.getInstantiatedPath()).isEqualTo("Device.LocalAgent.Controller.1.BootParameter.3.");
        assertThat(ok.getUniqueKeysMap()).containsOnly(entry("Alias", "cpe-3"),
                entry("ParameterName", "Device.LocalAgent.EndpointID"));
    }

    @Test
    void tp469_1_81_missingKeysAreGeneratedAndDistinct() {
        UspMsg.AddResp resp = addResp(add(false, create(SUB, "NotifType", "ValueChange", "true"),
                create(SUB, "NotifType", "ValueChange", "true")));
        OperationSuccess a = success(resp.getCreatedObjResults(0));
        OperationSuccess b = success(resp.getCreatedObjResults(1));
        assertThat(a.getUniqueKeysMap().get("Alias")).isNotEmpty().isNotEqualTo(b.getUniqueKeysMap().get("Alias"));
        assertThat(a.getUniqueKeysMap().get("ID")).isNotEmpty().isNotEqualTo(b.getUniqueKeysMap().get("ID"));
        assertThat(a.getUniqueKeysMap().get("Recipient")).isEqualTo(b.getUniqueKeysMap().get("Recipient"));
    }

    @Test
    void tp469_1_88_anInvalidUniqueKeyIsAlwaysRequired() {
        UspMsg.Error e = error(usp.send(add(false, create(SUB, "Alias", "1-starts-with-a-digit", "false",
                "Enable", "true", "false"))));
        assertThat(e.getErrCode()).isEqualTo(7012);
        assertThat(e.getParamErrs(0).getParamPath()).endsWith(".Alias");
        assertThat(subscriptions()).isZero();
        CreatedObjectResult r = addResp(add(true, create(SUB, "ID", "", "false"))).getCreatedObjResults(0);
        assertThat(r.getOperStatus().getOperFailure().getErrCode()).as("ID must not be empty").isEqualTo(7012);
    }

    @Test
    void aDuplicateKeyIs7025() {
        addResp(add(false, subscription("dup", "true")));
        UspMsg.Error e = error(usp.send(add(false, create(SUB, "Alias", "cpe-1", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7025);
        CreatedObjectResult r = addResp(add(true, create("Device.LocalAgent.Controller.", "EndpointID",
                "proto::controller-1", "true", "Enable", "true", "true"))).getCreatedObjResults(0);
        assertThat(r.getOperStatus().getOperFailure().getErrCode()).isEqualTo(7025);
        assertThat(model.findTable("Device.LocalAgent.Controller.").size()).isEqualTo(2);
    }

    @Test
    void tp469_1_95_aSearchPathForTheParentCreatesOneObjectPerMatch() {
        UspMsg.AddResp resp = addResp(add(false, create("Device.LocalAgent.Controller.[Enable==true].BootParameter.",
                "ParameterName", "Device.DeviceInfo.UpTime", "true")));
        assertThat(resp.getCreatedObjResultsList()).hasSize(2).allSatisfy(r -> assertThat(r.getRequestedPath())
                .isEqualTo("Device.LocalAgent.Controller.[Enable==true].BootParameter."));
        assertThat(resp.getCreatedObjResultsList()).extracting(r -> success(r).getInstantiatedPath())
                .containsExactly("Device.LocalAgent.Controller.1.BootParameter.3.",
                        "Device.LocalAgent.Controller.2.BootParameter.1.");
        CreatedObjectResult none = addResp(add(false, create(
                "Device.LocalAgent.Controller.[Enable==false].BootParameter."))).getCreatedObjResults(0);
        assertThat(none.getOperStatus().getOperSuccess()).as("MSG-6").isEqualTo(OperationSuccess.getDefaultInstance());
    }

    @Test
    void add5_aNonRequiredFailureIsListedAndTheObjectCreated() {
        OperationSuccess ok = success(addResp(add(false, create(SUB, "Enable", "true", "true", "NotifExpiration",
                "-5", "false", "Nonsense", "1", "false"))).getCreatedObjResults(0));
        assertThat(ok.getParamErrsList()).extracting(UspMsg.AddResp.ParameterError::getParam)
                .containsExactly("NotifExpiration", "Nonsense");
        assertThat(ok.getParamErrsList()).extracting(UspMsg.AddResp.ParameterError::getErrCode)
                .containsExactly(7011, 7010);
        assertThat(model.value(ok.getInstantiatedPath() + "NotifExpiration")).isEqualTo("0");
    }

    @Test
    void add2_valuesGoIntoNestedSingleObjectsButNotIntoTables() {
        OperationSuccess ok = success(addResp(add(false, create("Device.LocalAgent.Controller.1.MTP.",
                "Protocol", "WebSocket", "true", "MQTT.Topic", "usp/x", "true"))).getCreatedObjResults(0));
        assertThat(model.value(ok.getInstantiatedPath() + "MQTT.Topic")).isEqualTo("usp/x");
        UspMsg.Error e = error(usp.send(add(false, create("Device.LocalAgent.Controller.",
                "EndpointID", "proto::x", "true", "BootParameter.1.Enable", "true", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7010);
    }

    @Test
    void agentManagedTablesAndOtherWrongTargetsAreRefused() {
        MessageFixture.lamp(model, "lamp");
        UspMsg.AddResp resp = addResp(add(true,
                create("Device.ProxiedDevice."),
                create("Device.LocalAgent.Request."),
                create("Device.ProxiedDevice.1.IoTCapability."),
                create("Device.LocalAgent."),
                create(SUB + "1."),
                create("Device.LocalAgent.Controller.9.BootParameter."),
                create("Device.LocalAgent.EndpointID"),
                create("Device.Nowhere.")));
        assertThat(resp.getCreatedObjResultsList()).extracting(r -> r.getOperStatus().getOperFailure().getErrCode())
                .containsExactly(7019, 7019, 7019, 7018, 7018, 7016, 7026, 7026);
    }

    @Test
    void aFullTableIs7005() {
        List<UspMsg.Add.CreateObject> objects = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            objects.add(create(SUB));
        }
        UspMsg.Error e = error(usp.send(add(false, objects.toArray(UspMsg.Add.CreateObject[]::new))));
        assertThat(e.getErrCode()).isEqualTo(7005);
        assertThat(subscriptions()).isZero();
    }

    @Test
    void hugeValuesAreRefusedAsAWhole() {
        UspMsg.Error e = error(usp.send(add(true, create(SUB, "ReferenceList", "x".repeat(64 * 1024 + 1), "false"))));
        assertThat(e.getErrCode()).isEqualTo(7004);
        assertThat(e.getErrMsg()).contains("65537 characters").hasSizeLessThan(300);
        assertThat(subscriptions()).isZero();
        UspMsg.Error name = error(usp.send(add(true, create(SUB, "N".repeat(5000), "1", "false"))));
        assertThat(name.getErrCode()).isEqualTo(7004);
        assertThat(name.getErrMsg()).hasSizeLessThan(300);
    }
}
