package io.uspbridge.message;

import static io.uspbridge.message.UspExchange.error;
import static io.uspbridge.message.UspExchange.response;
import static io.uspbridge.message.UspExchange.set;
import static io.uspbridge.message.UspExchange.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.model.ObjectOwner;
import io.uspbridge.model.ParamDef;
import io.uspbridge.model.ParamWriteException;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.SetResp.UpdatedObjectResult;
import io.uspbridge.security.Permissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Set on parameters bound to devices (journey 3): the device is written first, the Set completes when it answered,
 * stored parameters change only after that, and the loop keeps serving other messages meanwhile.
 */
class SetBoundParametersTest {
    private static final String SWITCH = "Device.ProxiedDevice.1.IoTCapability.1.BinaryControl.";
    private static final String DIMMER = "Device.ProxiedDevice.1.IoTCapability.2.LevelControl.";

    /** A device behind an object: records each write, and answers as the test says. */
    static final class Device implements ObjectOwner {
        final List<Map<String, String>> writes = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        /** null: complete at once; else how to answer. */
        RuntimeException failWith;
        boolean hold;

        @Override
        public CompletionStage<Void> write(ObjectNode node, Map<ParamDef, String> values) {
            Map<String, String> w = new LinkedHashMap<>();
            values.forEach((p, v) -> w.put(p.name(), v));
            writes.add(w);
            if (failWith instanceof IllegalStateException ise) {
                throw ise;
            }
            if (failWith != null) {
                return CompletableFuture.failedFuture(failWith);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (hold) {
                pending.add(f);
            } else {
                f.complete(null);
            }
            return f;
        }
    }

    private DataModel model;
    private UspExchange usp;
    private final Device switchDevice = new Device();
    private final Device dimmerDevice = new Device();
    private AgentLoop loop;

    @BeforeEach
    void setUp() {
        model = MessageFixture.model();
        MessageFixture.lamp(model, "lamp");
        model.setOwner(model.find(SWITCH), switchDevice);
        model.setOwner(model.find(DIMMER), dimmerDevice);
        usp = new UspExchange(model);
    }

    @AfterEach
    void tearDown() {
        if (loop != null) {
            loop.close();
        }
    }

    private UpdatedObjectResult only(UspMsg.Msg m) {
        return response(m).getSetResp().getUpdatedObjResults(0);
    }

    @Test
    void theDeviceGetsTheCanonicalValueAndTheSetReportsIt() {
        UpdatedObjectResult r = only(usp.send(set(false, update(SWITCH, "Value", "1", "true"))));
        assertThat(switchDevice.writes).containsExactly(Map.of("Value", "true"));
        assertThat(r.getOperStatus().getOperSuccess().getUpdatedInstResults(0).getUpdatedParamsMap())
                .containsExactly(entry("Value", "true"));
        assertThat(model.value(SWITCH + "Value")).as("the tree changes when the device reports, not before")
                .isEqualTo("false");
    }

    @Test
    void storedParametersOfTheSameSetChangeOnlyAfterTheDeviceAcknowledged() {
        dimmerDevice.hold = true;
        CompletableFuture<UspMsg.Msg> answer = usp.sendAsync(UspExchange.CONTROLLER, set(false,
                update(DIMMER, "Value", "75", "true", "StepValue", "5", "true")));
        assertThat(answer).isNotDone();
        assertThat(model.value(DIMMER + "StepValue")).isEqualTo("0");
        assertThat(dimmerDevice.writes).containsExactly(Map.of("Value", "75"));
        dimmerDevice.pending.get(0).complete(null);
        UpdatedObjectResult r = only(UspExchange.await(answer));
        assertThat(r.getOperStatus().getOperSuccess().getUpdatedInstResults(0).getUpdatedParamsMap())
                .containsOnly(entry("Value", "75"), entry("StepValue", "5"));
        assertThat(model.value(DIMMER + "StepValue")).isEqualTo("5");
    }

    @Test
    void aValueTheDeviceCouldNeverTakeIsRefusedBeforeAnyDeviceIsWritten() {
        UspMsg.Error e = error(usp.send(set(false, update(SWITCH, "Value", "true", "true"),
                update(DIMMER, "Value", "150", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7012);
        assertThat(e.getParamErrs(0).getParamPath()).isEqualTo(DIMMER + "Value");
        assertThat(switchDevice.writes).isEmpty();
        assertThat(dimmerDevice.writes).isEmpty();
    }

    @Test
    void aMessageThatFailsAsAWholeWritesNoDevice() {
        MessageFixture.lamp(model, "other lamp");
        // MSG-8: the duplicate Name is found once the whole message is applied, still before the devices.
        UspMsg.Error e = error(usp.send(set(false, update(SWITCH, "Value", "true", "true"),
                update("Device.ProxiedDevice.1.", "Name", "other lamp", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7025);
        assertThat(switchDevice.writes).isEmpty();
        assertThat(model.value("Device.ProxiedDevice.1.Name")).isEqualTo("lamp");
    }

    @Test
    void aFailedRequiredDeviceWriteFailsTheObjectAndItsStoredParameters() {
        dimmerDevice.failWith = new ParamWriteException(Map.of(model.find(DIMMER).def().param("Value"),
                new ModelException(ErrorCode.PARAMETER_ACTION_FAILED, "the dimmer did not answer")));
        UspMsg.SetResp resp = response(usp.send(set(true, update(DIMMER, "Value", "75", "true", "StepValue", "5",
                "true"), update(SWITCH, "Value", "true", "true")))).getSetResp();
        UpdatedObjectResult dim = resp.getUpdatedObjResults(0);
        assertThat(dim.getOperStatus().getOperFailure().getErrCode()).isEqualTo(7021);
        assertThat(dim.getOperStatus().getOperFailure().getUpdatedInstFailures(0).getParamErrs(0)).satisfies(pe -> {
            assertThat(pe.getErrCode()).isEqualTo(7009);
            assertThat(pe.getErrMsg()).isEqualTo("the dimmer did not answer");
        });
        assertThat(model.value(DIMMER + "StepValue")).isEqualTo("0");
        assertThat(resp.getUpdatedObjResults(1).getOperStatus().hasOperSuccess()).isTrue();
    }

    @Test
    void aFailedNonRequiredDeviceWriteIsListedAndTheRestIsApplied() {
        dimmerDevice.failWith = new ModelException(ErrorCode.INVALID_VALUE, "the dimmer refuses 75");
        UpdatedObjectResult r = only(usp.send(set(false, update(DIMMER, "Value", "75", "false", "StepValue", "5",
                "true"))));
        var inst = r.getOperStatus().getOperSuccess().getUpdatedInstResults(0);
        assertThat(inst.getUpdatedParamsMap()).containsExactly(entry("StepValue", "5"));
        assertThat(inst.getParamErrsList()).singleElement().satisfies(pe -> {
            assertThat(pe.getParam()).isEqualTo("Value");
            assertThat(pe.getErrCode()).isEqualTo(7012);
        });
        assertThat(model.value(DIMMER + "StepValue")).isEqualTo("5");
    }

    @Test
    void withoutAllowPartialAFailedDeviceWriteIsAnError() {
        switchDevice.failWith = new IllegalStateException("adapter bug");
        UspMsg.Error e = error(usp.send(set(false, update(DIMMER, "StepValue", "2", "true"),
                update(SWITCH, "Value", "true", "true"))));
        assertThat(e.getErrCode()).as("an unexpected failure of the owner is internal").isEqualTo(7003);
        assertThat(e.getParamErrs(0).getParamPath()).isEqualTo(SWITCH + "Value");
        assertThat(model.value(DIMMER + "StepValue")).isEqualTo("0");
    }

    @Test
    void anObjectWithoutADeviceCannotBeWritten() {
        model.setOwner(model.find(SWITCH), null);
        UspMsg.Error e = error(usp.send(set(false, update(SWITCH, "Value", "true", "true"))));
        assertThat(e.getErrCode()).isEqualTo(7009);
    }

    @Test
    void aDeviceThatNeverAnswersTimesOutWith7009AndTheLoopWasNeverBlocked() throws Exception {
        loop = new AgentLoop("test-loop");
        loop.submit(() -> {
            model.bindToCurrentThread();
            return null;
        }).get(5, TimeUnit.SECONDS);
        switchDevice.hold = true;
        UspExchange onLoop = new UspExchange(model, MessageSettings.defaults()
                .withBoundWriteTimeout(Duration.ofMillis(300)), c -> Permissions.ALL, loop);
        CompletableFuture<UspMsg.Msg> setAnswer = loop.submit(() -> onLoop.sendAsync(UspExchange.CONTROLLER,
                set(false, update(SWITCH, "Value", "true", "true")))).get(5, TimeUnit.SECONDS);
        // While the device is silent, the loop answers other requests.
        UspMsg.Msg get = loop.submit(() -> onLoop.sendAsync(UspExchange.CONTROLLER,
                UspExchange.get(0, SWITCH + "Value"))).get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(response(get).getGetResp().getReqPathResults(0).getResolvedPathResults(0)
                .getResultParamsMap()).containsExactly(entry("Value", "false"));
        assertThat(setAnswer).isNotDone();
        UspMsg.Error e = error(UspExchange.await(setAnswer));
        assertThat(e.getErrCode()).isEqualTo(7009);
        assertThat(e.getErrMsg()).contains("did not acknowledge");
        assertThat(switchDevice.pending.get(0)).as("the owner's own stage is not completed by our timeout")
                .isNotDone();
    }

    @Test
    void anAcknowledgementFromAnotherThreadCompletesTheSetOnTheLoop() throws Exception {
        loop = new AgentLoop("test-loop");
        loop.submit(() -> {
            model.bindToCurrentThread();
            return null;
        }).get(5, TimeUnit.SECONDS);
        dimmerDevice.hold = true;
        UspExchange onLoop = new UspExchange(model, MessageSettings.defaults(), c -> Permissions.ALL, loop);
        CompletableFuture<UspMsg.Msg> answer = loop.submit(() -> onLoop.sendAsync(UspExchange.CONTROLLER,
                set(false, update(DIMMER, "Value", "10", "true", "StepValue", "1", "true"))))
                .get(5, TimeUnit.SECONDS);
        // The adapter's thread (here: the test thread) acknowledges; the second pass must run on the loop, since
        // the model is bound to it and refuses changes from elsewhere.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !dimmerDevice.pending.isEmpty());
        dimmerDevice.pending.get(0).complete(null);
        UpdatedObjectResult r = only(UspExchange.await(answer));
        assertThat(r.getOperStatus().hasOperSuccess()).isTrue();
        assertThat(loop.submit(() -> model.value(DIMMER + "StepValue")).get(5, TimeUnit.SECONDS)).isEqualTo("1");
    }
}
