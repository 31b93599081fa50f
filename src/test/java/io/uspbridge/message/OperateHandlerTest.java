package io.uspbridge.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.model.AgentLoop;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ErrorCode;
import io.uspbridge.model.ModelException;
import io.uspbridge.model.SchemaBuilder;
import io.uspbridge.model.TableAccess;
import io.uspbridge.model.ValueType;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.OperateResp.OperationResult;
import io.uspbridge.security.Permissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OperateHandler on a small schema of its own: argument rules (R-OPR.5–7, multi-instance arguments), synchronous
 * results, failures and their codes, and a command that never answers.
 */
class OperateHandlerTest {
    AgentLoop loop;
    DataModel model;
    MessageDispatcher dispatcher;
    final List<Map<String, String>> calls = new ArrayList<>();
    final List<String> started = new ArrayList<>();
    CompletableFuture<Map<String, String>> hanging = new CompletableFuture<>();

    @BeforeEach
    void setUp() throws Exception {
        SchemaBuilder b = new SchemaBuilder("Device", "urn:test");
        SchemaBuilder.ObjectBuilder d = b.object("Device.");
        d.command("Echo()").input("Text", ValueType.string(8), "none").mandatoryInput("Count", ValueType.unsignedInt())
                .handler(call -> {
                    calls.add(call.inputArgs());
                    return CompletableFuture.completedFuture(Map.of("Out", call.arg("Text")));
                });
        d.command("Windows()").mandatoryInput("Window.{i}.Start", ValueType.unsignedInt())
                .input("Window.{i}.Mode", ValueType.enumeration("A", "B"))
                .handler(call -> {
                    calls.add(call.inputArgs());
                    return CompletableFuture.completedFuture(Map.of());
                });
        d.command("Fail()").handler(call -> CompletableFuture.failedFuture(
                new ModelException(ErrorCode.INVALID_VALUE, "no such value")));
        d.command("Throw()").handler(call -> {
            throw new IllegalStateException("bug");
        });
        d.command("Hang()").handler(call -> hanging);
        d.command("Later()").async().handler(call -> CompletableFuture.completedFuture(Map.of()));
        b.table("Device.Thing.{i}.").access(TableAccess.ADD_DELETE).param("Name", ValueType.string()).writable();
        b.table("Device.Thing.{i}.").command("Ping()").handler(call ->
                CompletableFuture.completedFuture(Map.of("Name", call.object().value("Name"))));
        model = new DataModel(b.build());
        loop = new AgentLoop("operate-test");
        loop.submit(() -> {
            model.bindToCurrentThread();
            model.addRow(model.root(), "Thing", Map.of("Name", "a"));
            model.addRow(model.root(), "Thing", Map.of("Name", "b"));
            return null;
        }).get();
        dispatcher = new MessageDispatcher(eid -> Permissions.ALL);
        AsyncCommands async = (object, command, args, key, originator, handler) -> {
            started.add(object.path() + command.name() + "/" + key + "/" + originator);
            return "Device.LocalAgent.Request.7.";
        };
        dispatcher.register(UspMsg.Request.ReqTypeCase.OPERATE,
                new OperateHandler(model, loop, async, Duration.ofMillis(300)));
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    UspMsg.Msg operate(String command, Map<String, String> args, boolean sendResp) throws Exception {
        UspMsg.Msg msg = Messages.request("m1", UspMsg.Header.MsgType.OPERATE, UspMsg.Request.newBuilder()
                .setOperate(UspMsg.Operate.newBuilder().setCommand(command).setCommandKey("key")
                        .setSendResp(sendResp).putAllInputArgs(args)).build());
        return loop.submit(() -> dispatcher.onMessage(msg, "proto::c")).get(5, TimeUnit.SECONDS)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    OperationResult one(String command, Map<String, String> args) throws Exception {
        List<OperationResult> r = operate(command, args, true).getBody().getResponse().getOperateResp()
                .getOperationResultsList();
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    @Test
    void outputArgumentsAnswerASynchronousCommandAndDefaultsAreApplied() throws Exception {
        OperationResult r = one("Device.Echo()", Map.of("Count", "+3", "Extra", "ignored"));
        assertThat(r.getReqOutputArgs().getOutputArgsMap()).containsEntry("Out", "none");
        assertThat(calls).containsExactly(Map.of("Count", "3", "Text", "none"));
    }

    @Test
    void missingOrInvalidArgumentsAre7027AndTheCommandDoesNotRun() throws Exception {
        assertThat(one("Device.Echo()", Map.of()).getCmdFailure().getErrCode()).isEqualTo(7027);
        assertThat(one("Device.Echo()", Map.of("Count", "-1")).getCmdFailure().getErrCode()).isEqualTo(7027);
        assertThat(one("Device.Echo()", Map.of("Count", "1", "Text", "far too long")).getCmdFailure().getErrCode())
                .isEqualTo(7027);
        assertThat(calls).isEmpty();
    }

    @Test
    void multiInstanceArgumentsAreCheckedPerInstance() throws Exception {
        assertThat(one("Device.Windows()", Map.of("Window.1.Start", "5", "Window.2.Start", "9",
                "Window.2.Mode", "B")).hasReqOutputArgs()).isTrue();
        assertThat(calls.get(0)).containsEntry("Window.1.Start", "5").containsEntry("Window.2.Mode", "B");
        OperationResult missing = one("Device.Windows()", Map.of("Window.1.Start", "5", "Window.2.Mode", "A"));
        assertThat(missing.getCmdFailure().getErrCode()).isEqualTo(7027);
        assertThat(missing.getCmdFailure().getErrMsg()).contains("Window.2.Start");
        assertThat(one("Device.Windows()", Map.of("Window.1.Start", "5", "Window.1.Mode", "C")).getCmdFailure()
                .getErrCode()).isEqualTo(7027);
    }

    @Test
    void failuresAreReportedInCmdFailureWithACodeItMayCarry() throws Exception {
        OperationResult fail = one("Device.Fail()", Map.of());
        assertThat(fail.getCmdFailure().getErrCode()).isEqualTo(7022);
        assertThat(fail.getCmdFailure().getErrMsg()).contains("no such value").contains("7012");
        assertThat(one("Device.Throw()", Map.of()).getCmdFailure().getErrCode()).isEqualTo(7003);
    }

    @Test
    void aCommandThatNeverAnswersFailsAfterTheTimeout() throws Exception {
        OperationResult r = one("Device.Hang()", Map.of());
        assertThat(r.getCmdFailure().getErrCode()).isEqualTo(7022);
        hanging.complete(Map.of());     // a late answer changes nothing
    }

    @Test
    void asynchronousCommandsGoToTheRequestTable() throws Exception {
        assertThat(one("Device.Later()", Map.of()).getReqObjPath()).isEqualTo("Device.LocalAgent.Request.7.");
        assertThat(started).containsExactly("Device.Later()/key/proto::c");
    }

    @Test
    void aSearchRunsOnEachMatchInOrderAndSendRespFalseAnswersNothing() throws Exception {
        List<OperationResult> r = operate("Device.Thing.*.Ping()", Map.of(), true).getBody().getResponse()
                .getOperateResp().getOperationResultsList();
        assertThat(r).extracting(OperationResult::getExecutedCommand)
                .containsExactly("Device.Thing.1.Ping()", "Device.Thing.2.Ping()");
        assertThat(r).extracting(x -> x.getReqOutputArgs().getOutputArgsMap().get("Name")).containsExactly("a", "b");
        assertThat(operate("Device.Thing.*.Ping()", Map.of(), false)).isNull();
    }
}
