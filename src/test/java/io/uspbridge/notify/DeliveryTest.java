package io.uspbridge.notify;

import static io.uspbridge.notify.AgentUnderTest.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.model.ObjectNode;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.proto.UspMsg.Notify;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Getting Notifies to controllers: NotifRetry until a NotifyResp or an Error, NotifExpiration, a link that goes
 * down and comes back, restarts (TP-469 1.54–1.56, 1.102; R-NOT.1–4). The controllers' retry interval is set to
 * 1 s (USPNotifRetryMinimumWaitInterval=1, multiplier 1000) so that retries come every second.
 */
class DeliveryTest {
    static final String CTL = "proto::ctl";
    static final String C1 = "Device.LocalAgent.Controller.1.";
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    AgentUnderTest agent;

    @BeforeEach
    void start() throws Exception {
        agent = AgentUnderTest.start(dir, AgentUnderTest.fastSettings());
        agent.set(C1 + "USPNotifRetryMinimumWaitInterval", "1");
        agent.set(C1 + "USPNotifRetryIntervalMultiplier", "1000");
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void tp469_1_54_aNotifyWithoutResponseIsRetriedWithTheSameMsgIdUntilAnswered() {
        agent.ctl().answerNotifies = false;
        agent.subscribe(CTL, sub("retry", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "v");
        await().atMost(WAIT).until(() -> agent.ctl().msgIds("retry").size() >= 3);
        List<String> ids = agent.ctl().msgIds("retry");
        assertThat(new HashSet<>(ids)).as("retries repeat the msg_id").hasSize(1);
        assertThat(agent.ctl().forSubscription("retry").get(0).getSendResp()).isTrue();
        agent.ctl().answerNotifies = true;
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().pendingNotifies()) == 0);
    }

    @Test
    void anErrorReplyEndsTheRetriesToo() {
        agent.ctl().answerNotifies = false;
        agent.subscribe(CTL, sub("err", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "v");
        await().atMost(WAIT).until(() -> agent.ctl().msgIds("err").size() == 1);
        String id = agent.ctl().msgIds("err").get(0);
        agent.ctl().sendAsync(UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(id).setMsgType(MsgType.ERROR))
                .setBody(UspMsg.Body.newBuilder().setError(UspMsg.Error.newBuilder().setErrCode(7002)
                        .setErrMsg("not now"))).build());
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().pendingNotifies()) == 0);
    }

    @Test
    void aNotifyResponseToAnotherControllersMsgIdConfirmsNothing() {
        agent.ctl().answerNotifies = false;
        agent.subscribe(CTL, sub("mine", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "v");
        await().atMost(WAIT).until(() -> agent.ctl().msgIds("mine").size() == 1);
        String id = agent.ctl().msgIds("mine").get(0);
        agent.other().sendAsync(UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId(id).setMsgType(MsgType.NOTIFY_RESP))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder()
                        .setNotifyResp(UspMsg.NotifyResp.newBuilder().setSubscriptionId("mine")))).build());
        await().atMost(WAIT).until(() -> agent.ctl().msgIds("mine").size() >= 2);
    }

    @Test
    void tp469_1_56_retriesStopAtNotifExpiration() {
        agent.ctl().answerNotifies = false;
        agent.subscribe(CTL, sub("exp", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true",
                "NotifExpiration", "2"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "v");
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().pendingNotifies()) == 0);
        int attempts = agent.ctl().msgIds("exp").size();
        // First send at 0 s, retries after 1 s and 2 s at the most: the expiry at 2 s ends them.
        assertThat(attempts).isBetween(1, 3);
    }

    @Test
    void nothingIsLostWhileTheLinkIsDownAndOrderIsKept() {
        agent.subscribe(CTL, sub("kept", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true"));
        agent.subscribe(CTL, sub("plain", "ValueChange", C1 + "ControllerCode"));
        agent.linkDown();
        for (int i = 1; i <= 3; i++) {
            agent.setAs(CTL, C1 + "ProvisioningCode", "v" + i);
            agent.setAs(CTL, C1 + "ControllerCode", "c" + i);
        }
        assertThat(agent.call(() -> agent.service().pendingNotifies())).isEqualTo(6);
        assertThat(agent.ctl().forSubscription("kept")).isEmpty();
        agent.linkUp();
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("kept").size() == 3
                && agent.ctl().forSubscription("plain").size() == 3);
        assertThat(agent.ctl().forSubscription("kept")).extracting(n -> n.getValueChange().getParamValue())
                .containsExactly("v1", "v2", "v3");
        assertThat(agent.ctl().forSubscription("plain")).extracting(n -> n.getValueChange().getParamValue())
                .containsExactly("c1", "c2", "c3");
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().pendingNotifies()) == 0);
    }

    @Test
    void aRetryThatFallsDueWhileTheLinkIsDownGoesOutWhenItIsBack() {
        agent.ctl().answerNotifies = false;
        agent.subscribe(CTL, sub("outage", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true"));
        agent.setAs(CTL, C1 + "ProvisioningCode", "v");
        await().atMost(WAIT).until(() -> agent.ctl().msgIds("outage").size() == 1);
        agent.linkDown();
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().notifiesWaitingForLink()) == 1);
        assertThat(agent.ctl().msgIds("outage")).hasSize(1);
        agent.ctl().answerNotifies = true;
        agent.linkUp();           // the retry that waited goes out now
        await().atMost(WAIT).until(() -> agent.ctl().msgIds("outage").size() == 2);
        assertThat(new HashSet<>(agent.ctl().msgIds("outage"))).hasSize(1);
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().pendingNotifies()) == 0);
    }

    @Test
    void aNotifyExpiresWhileWaitingForTheLink() {
        agent.subscribe(CTL, sub("lost", "ValueChange", C1 + "ProvisioningCode", "NotifRetry", "true",
                "NotifExpiration", "1"));
        agent.linkDown();
        agent.setAs(CTL, C1 + "ProvisioningCode", "v");
        assertThat(agent.call(() -> agent.service().pendingNotifies())).isEqualTo(1);
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().pendingNotifies()) == 0);
        agent.linkUp();
        agent.subscribe(CTL, sub("witness", "ValueChange", C1 + "ControllerCode"));
        agent.setAs(CTL, C1 + "ControllerCode", "w");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("witness").size() == 1);
        assertThat(agent.ctl().forSubscription("lost")).isEmpty();
    }

    // ---- restarts ---------------------------------------------------------------------------------------------

    @Test
    void onlyPersistentSubscriptionsSurviveARestartAndBootIsQueuedUntilTheLinkIsUp() throws Exception {
        String kept = agent.subscribe(CTL, sub("kept", "ValueChange", C1 + "ProvisioningCode", "Persistent", "true"));
        String gone = agent.subscribe(CTL, sub("gone", "ValueChange", C1 + "ProvisioningCode"));
        agent.subscribe(CTL, sub("boot", "Event", "Device.Boot!", "Persistent", "true"));
        agent.restart();
        assertThat(agent.call(() -> agent.runtime().model().find(gone))).isNull();
        assertThat(agent.call(() -> agent.runtime().model().find(kept))).isNotNull();
        assertThat(agent.value(kept + "ID")).isEqualTo("kept");
        assertThat(agent.value(kept + "Recipient")).isEqualTo("Device.LocalAgent.Controller.1");
        assertThat(agent.ctl().forSubscription("boot")).as("no link yet").isEmpty();
        agent.linkUp();
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("boot").size() == 1);
        assertThat(agent.ctl().forSubscription("boot").get(0).getEvent().getParamsMap())
                .containsEntry("Cause", "LocalReboot").containsEntry("CommandKey", "");
        agent.setAs(CTL, C1 + "ProvisioningCode", "after");
        await().atMost(WAIT).until(() -> agent.ctl().forSubscription("kept").size() == 1);
        assertThat(agent.ctl().forSubscription("gone")).isEmpty();
    }

    @Test
    void referenceListStaysImmutableAfterARestart() throws Exception {
        String kept = agent.subscribe(CTL, sub("kept", "ValueChange", C1 + "ProvisioningCode", "Persistent", "true"));
        agent.restart();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> agent.setAs(CTL, kept + "ReferenceList", C1 + "Enable")).hasRootCauseMessage(
                        kept + "ReferenceList cannot change once set (delete the subscription and create a new one)");
    }

    @Test
    void timeToLiveCountsFromCreationAcrossARestart() throws Exception {
        String s = agent.subscribe(CTL, sub("ttl", "ValueChange", C1 + "ProvisioningCode", "Persistent", "true",
                "TimeToLive", "2"));
        String created = agent.value(s + "CreationDate");
        agent.restart();
        assertThat(agent.value(s + "CreationDate")).isEqualTo(created);
        await().atMost(WAIT).until(() -> agent.call(() -> agent.runtime().model().find(s)) == null);
    }

    // ---- onboarding (TP-469 1.60, 1.102) -------------------------------------------------------------------------

    @Test
    void everyEnabledControllerThatIsNotOnboardedGetsAnOnBoardRequestAtStart() {
        await().atMost(WAIT).until(() -> !agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ).isEmpty()
                && !agent.other().received(Notify.NotificationCase.ON_BOARD_REQ).isEmpty());
    }

    @Test
    void tp469_1_102_onBoardRequestIsRepeatedAfterOnBoardingRestartTimeUntilComplete() throws Exception {
        await().atMost(WAIT).until(() -> agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ).size() == 1);
        agent.setAs(CTL, C1 + "OnBoardingRestartTime", "1");
        agent.ctl().operate(C1 + "SendOnBoardRequest()", "", true, java.util.Map.of());
        await().atMost(WAIT).until(() -> agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ).size() >= 3);
        agent.setAs(CTL, C1 + "OnBoardingComplete", "true");
        int count = agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ).size();
        // With the restart timer at 1 s, two seconds without one shows that it stopped.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(
                () -> agent.ctl().received(Notify.NotificationCase.ON_BOARD_REQ).size() == count);
    }

    @Test
    void onBoardRequestIsRetriedUntilANotifyRespArrivesAndNeverExpires() {
        agent.ctl().answerNotifies = false;
        agent.call(() -> {
            ObjectNode c = agent.runtime().model().find(C1);
            agent.runtime().model().set(c, "OnBoardingComplete", "true");
            agent.runtime().model().set(c, "OnBoardingComplete", "false");
            return null;
        });
        await().atMost(WAIT).until(() -> {
            List<UspMsg.Msg> all = agent.ctl().notifies;
            return all.stream().filter(m -> m.getBody().getRequest().getNotify().hasOnBoardReq())
                    .map(m -> m.getHeader().getMsgId()).filter(id -> all.stream()
                            .filter(x -> x.getHeader().getMsgId().equals(id)).count() >= 3).findAny().isPresent();
        });
        agent.ctl().answerNotifies = true;
        await().atMost(WAIT).until(() -> agent.call(() -> agent.service().pendingNotifies()) == 0);
    }
}
