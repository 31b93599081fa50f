package io.uspbridge.mtp.mqtt;

import static io.uspbridge.mtp.mqtt.RecordingListener.WAIT;
import static io.uspbridge.mtp.mqtt.RecordingListener.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uspbridge.mtp.mqtt.MqttClientSettings.Subscription;
import io.uspbridge.mtp.mqtt.MqttLinkStatus.SubscriptionStatus;
import io.uspbridge.mtp.mqtt.MqttMtpException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT MTP against a real MQTT 5 broker (HiveMQ CE embedded), with a plain Paho client as the controller and a
 * broker extension ({@link BrokerSpy}) to see and shape the packets. Test names cite TP-469 section 11 where a case
 * matches.
 */
class MqttMtpTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static BrokerSpy spy;
    private static EmbeddedBroker broker;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        spy = new BrokerSpy();
        broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults().withExtension(spy.extension()));
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    private static String endpointId() {
        return "proto::agent-" + SEQ.incrementAndGet();
    }

    private MqttMtpSettings settings(String endpointId, UnaryOperator<MqttClientSettings.Builder> client) {
        MqttClientSettings.Builder b = MqttClientSettings.builder().brokerUrl(broker.url())
                .connectRetryTime(1).connectRetryIntervalMultiplier(1000);
        return MqttMtpSettings.of(endpointId, client.apply(b).build(), "usp/agent/" + endpointId)
                .withName("Device.MQTT.Client.1");
    }

    private MqttMtp start(MqttMtpSettings s, RecordingListener l) {
        MqttMtp mtp = new MqttMtp(s, l);
        closeAfter.add(mtp);
        mtp.start();
        return mtp;
    }

    private PahoPeer controller(String subscribeTo) throws Exception {
        PahoPeer p = PahoPeer.connect(broker.url(), "controller-" + SEQ.incrementAndGet());
        closeAfter.add(0, p);
        if (subscribeTo != null) {
            p.subscribe(subscribeTo, 1);
        }
        return p;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connectCarriesEndpointIdRequestResponseInformationAndCredentials_TP_11_2_11_8() {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1).username("agent").password("secret")
                .keepAliveTime(45)), l);
        l.awaitStatus(MqttLinkStatus::isUp);

        BrokerSpy.Connect c = spy.connectsFrom(eid).get(0);
        assertThat(c.userProperties()).containsEntry("usp-endpoint-id", eid); // R-MQTT.13
        assertThat(c.requestResponseInformation()).isTrue(); // R-MQTT.12
        assertThat(c.userName()).isEqualTo("agent");
        assertThat(c.password()).isEqualTo("secret");
        assertThat(c.keepAlive()).isEqualTo(45);
        assertThat(c.cleanStart()).isTrue();
    }

    @Test
    void emptyClientIdUsesTheAssignedIdentifierAndKeepsItForEveryReconnect_TP_11_4_11_5() throws Exception {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.clientId("").subscription("usp/agent/" + eid, 1)), l);
        MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);

        assertThat(up.assignedClientId()).isNotEmpty();
        assertThat(l.assignedIds).containsExactly(up.assignedClientId()); // the agent stores it (R-MQTT.9)
        assertThat(up.clientId()).isEqualTo(up.assignedClientId());

        assertThat(mtp.forceReconnect().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> spy.connectsFrom(eid).size() == 2 && mtp.status().isUp());
        // The second CONNECT carries the identifier the broker assigned (R-MQTT.11).
        assertThat(spy.connectsFrom(eid).get(1).clientId()).isEqualTo(up.assignedClientId());
        assertThat(mtp.status().clientId()).isEqualTo(up.assignedClientId());
    }

    @Test
    void publishCarriesContentTypeReplyToTopicAndPublishQos_TP_11_12() throws Exception {
        String eid = endpointId();
        PahoPeer controller = controller("usp/controller/" + eid);
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)).withPublishQoS(1), l);
        MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);
        assertThat(up.replyToTopic()).isEqualTo("usp/agent/" + eid); // ResponseTopicConfigured (MQTT-8)

        mtp.publish("usp/controller/" + eid, bytes("record-1"), false).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        PahoPeer.Received r = controller.next();
        assertThat(r.payload()).isEqualTo(bytes("record-1"));
        assertThat(r.contentType()).isEqualTo("usp.msg"); // R-MQTT.27
        assertThat(r.responseTopic()).isEqualTo("usp/agent/" + eid); // R-MQTT.23
        assertThat(r.qos()).isEqualTo(1);
        assertThat(r.retained()).isFalse();
        assertThat(mtp.stats().publishSent()).isEqualTo(1);
        assertThat(mtp.stats().lastPublishMessageSent()).isNotNull();
    }

    @Test
    void retainIsSetWhenAskedForAndTheBrokerHasIt() throws Exception {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)), l);
        l.awaitStatus(MqttLinkStatus::isUp);
        mtp.publish("usp/notify/" + eid, bytes("kept"), true).toCompletableFuture().get(10, TimeUnit.SECONDS);

        PahoPeer late = controller("usp/notify/" + eid); // subscribes after the PUBLISH
        PahoPeer.Received r = late.next();
        assertThat(r.payload()).isEqualTo(bytes("kept"));
        assertThat(r.retained()).isTrue();
    }

    @Test
    void responseInformationBecomesTheReplyToTopicAndIsSubscribed_TP_11_8() throws Exception {
        String eid = endpointId();
        String discovered = "broker/assigned/" + eid;
        spy.shapeConnack(eid, discovered, "usp/agent/" + eid + "/#");
        PahoPeer controller = controller("usp/controller/" + eid);
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b), l);
        MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);

        assertThat(up.responseInformation()).isEqualTo(discovered);
        assertThat(up.replyToTopic()).isEqualTo(discovered); // overrides ResponseTopicConfigured
        // (b) the subscribe-topic and (c) the Response Information topic; (d) not, Response Information won.
        assertThat(spy.subscribedFilters(eid)).containsExactly("usp/agent/" + eid + "/#", discovered);

        mtp.publish("usp/controller/" + eid, bytes("x"), false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(controller.next().responseTopic()).isEqualTo(discovered);

        controller.publish(discovered, bytes("get"), 1, "usp.msg", "usp/controller/" + eid);
        assertThat(l.nextRecord().topic()).isEqualTo(discovered);
    }

    @Test
    void aReplyToTopicCoveredByAWildcardSubscriptionIsNotSubscribedAgain_MQTT_4c() {
        String eid = endpointId();
        spy.shapeConnack(eid, "usp/agent/" + eid + "/reply");
        RecordingListener l = new RecordingListener();
        start(settings(eid, b -> b.subscription("usp/agent/" + eid + "/+", 1)), l);
        l.awaitStatus(MqttLinkStatus::isUp);

        assertThat(spy.subscribedFilters(eid)).containsExactly("usp/agent/" + eid + "/+");
    }

    @Test
    void responseTopicConfiguredIsSubscribedWithoutResponseInformation_MQTT_4d() {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        start(settings(eid, b -> b.subscription("usp/other/" + eid, 0)), l);
        MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);

        assertThat(spy.subscribedFilters(eid)).containsExactly("usp/other/" + eid, "usp/agent/" + eid);
        assertThat(up.subscriptions()).containsEntry("usp/other/" + eid, SubscriptionStatus.SUBSCRIBED);
    }

    @Test
    void receivesRecordsWithTheirResponseTopicOnEitherUspContentType_TP_11_14_11_15() throws Exception {
        String eid = endpointId();
        PahoPeer controller = controller(null);
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)), l);
        l.awaitStatus(MqttLinkStatus::isUp);

        controller.publish("usp/agent/" + eid, bytes("short"), 1, "usp.msg", "usp/controller/c1");
        RecordingListener.Received a = l.nextRecord();
        assertThat(a.record()).isEqualTo(bytes("short"));
        assertThat(a.responseTopic()).isEqualTo("usp/controller/c1");
        assertThat(a.topic()).isEqualTo("usp/agent/" + eid);

        controller.publish("usp/agent/" + eid, bytes("long"), 0, "application/vnd.bbf.usp.msg", "usp/controller/c2");
        RecordingListener.Received b = l.nextRecord();
        assertThat(b.record()).isEqualTo(bytes("long"));
        assertThat(b.responseTopic()).isEqualTo("usp/controller/c2");

        // Not a USP Record: dropped. Then one without Content Type: passed on, with no Response Topic.
        controller.publish("usp/agent/" + eid, bytes("{\"json\":1}"), 1, "application/json", null);
        controller.publish("usp/agent/" + eid, bytes("bare"), 1, null, null);
        RecordingListener.Received c = l.nextRecord();
        assertThat(c.record()).isEqualTo(bytes("bare"));
        assertThat(c.responseTopic()).isNull();
        assertThat(mtp.stats().publishDiscarded()).isEqualTo(1);
        assertThat(mtp.stats().publishReceived()).isEqualTo(4);
        assertThat(c.thread()).doesNotStartWith("mqtt "); // delivered on the MQTT client's thread, as documented
    }

    @Test
    void nothingToSubscribeDisconnectsAndDisablesTheLinkUntilASubscriptionIsAdded_TP_11_10() throws Exception {
        String eid = endpointId();
        spy.shapeConnack(eid, "broker/reply/" + eid); // Response Information but no subscribe-topic
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscriptions(List.of(
                new Subscription("usp/agent/" + eid, 1, false)))), l);

        MqttLinkStatus disabled = l.awaitStatus(s -> s.state() == MqttLinkState.DISABLED);
        assertThat(disabled.clientStatus()).isEqualTo("Error_Misconfigured");
        assertThat(disabled.mtpStatus()).isEqualTo("Error");
        await().atMost(WAIT).until(() -> !spy.eventsFrom(eid, "DISCONNECT").isEmpty()); // R-MQTT.16
        assertThat(spy.subscribedFilters(eid)).isEmpty();
        assertThatThrownBy(() -> mtp.publish("usp/controller/x", bytes("r"), false).toCompletableFuture().join())
                .hasCauseInstanceOf(MqttMtpException.class);

        mtp.updateSettings(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        l.awaitStatus(MqttLinkStatus::isUp);
        assertThat(spy.connectsFrom(eid)).hasSize(2);
    }

    @Test
    void withoutAnyReplyToTopicTheLinkIsMisconfiguredUntilNewSettingsBringOne() throws Exception {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        MqttMtpSettings noReplyTo = settings(eid, b -> b.subscription("usp/agent/" + eid, 1)
                .connectRetryTime(3600)).withResponseTopicConfigured("");
        MqttMtp mtp = start(noReplyTo, l);

        MqttLinkStatus s = l.awaitStatus(x -> x.state() == MqttLinkState.WAITING_TO_RETRY);
        assertThat(s.clientStatus()).isEqualTo("Error_Misconfigured");
        assertThat(s.lastError()).contains("no reply-to topic");
        await().atMost(WAIT).until(() -> !spy.eventsFrom(eid, "DISCONNECT").isEmpty());

        // The next retry is an hour away: new settings are tried at once.
        mtp.updateSettings(noReplyTo.withResponseTopicConfigured("usp/agent/" + eid)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(l.awaitStatus(MqttLinkStatus::isUp).replyToTopic()).isEqualTo("usp/agent/" + eid);
    }

    @Test
    void noSuccessfulSubscribeMeansDisconnectAndNoPublish_TP_11_11() {
        String eid = endpointId();
        spy.refuseSubscriptionTo("usp/agent/" + eid);
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)), l);

        MqttLinkStatus failed = l.awaitStatus(s -> s.state() == MqttLinkState.WAITING_TO_RETRY);
        assertThat(failed.clientStatus()).isEqualTo("Error");
        assertThat(failed.lastError()).contains("refused every SUBSCRIBE");
        await().atMost(WAIT).until(() -> !spy.eventsFrom(eid, "DISCONNECT").isEmpty()); // R-MQTT.17
        assertThat(l.statuses).noneMatch(MqttLinkStatus::isUp);

        CompletableFuture<Void> f = mtp.publish("usp/controller/" + eid, bytes("r"), false).toCompletableFuture();
        assertThat(f).isCompletedExceptionally(); // fails at once, nothing reaches the broker
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(MqttMtpException.class)
                .extracting(e -> ((MqttMtpException) e).reason()).isEqualTo(Reason.NOT_CONNECTED);
        assertThat(spy.eventsFrom(eid, "PUBLISH")).isEmpty();
        // It keeps retrying (R-MQTT.10): a second CONNECT follows after about a second.
        await().atMost(WAIT).until(() -> spy.connectsFrom(eid).size() >= 2);
    }

    @Test
    void oneRefusedFilterAmongSeveralStillBringsTheLinkUpAndMarksTheRow() {
        String eid = endpointId();
        spy.refuseSubscriptionTo("usp/forbidden/" + eid);
        RecordingListener l = new RecordingListener();
        start(settings(eid, b -> b.subscription("usp/forbidden/" + eid, 1).subscription("usp/agent/" + eid, 1)), l);

        MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);
        assertThat(up.subscriptions()).containsEntry("usp/forbidden/" + eid, SubscriptionStatus.ERROR)
                .containsEntry("usp/agent/" + eid, SubscriptionStatus.SUBSCRIBED);
    }

    @Test
    void addingAndRemovingASubscriptionWhileConnectedSubscribesAndUnsubscribes_TP_11_9() throws Exception {
        String eid = endpointId();
        PahoPeer controller = controller(null);
        RecordingListener l = new RecordingListener();
        MqttMtpSettings first = settings(eid, b -> b.subscription("usp/agent/" + eid, 1));
        MqttMtp mtp = start(first, l);
        l.awaitStatus(MqttLinkStatus::isUp);

        MqttMtpSettings added = first.withClient(first.client().toBuilder()
                .subscription("newTopic-11-9/" + eid, 1).build());
        mtp.updateSettings(added).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(spy.subscribedFilters(eid)).endsWith("newTopic-11-9/" + eid);
        assertThat(mtp.status().subscriptions()).containsEntry("newTopic-11-9/" + eid, SubscriptionStatus.SUBSCRIBED);
        controller.publish("newTopic-11-9/" + eid, bytes("via new topic"), 1, "usp.msg", "usp/controller/c");
        assertThat(l.nextRecord().record()).isEqualTo(bytes("via new topic"));

        mtp.updateSettings(first.withClient(first.client().toBuilder().subscriptions(List.of(
                        Subscription.enabled("usp/agent/" + eid, 1),
                        new Subscription("newTopic-11-9/" + eid, 1, false))).build()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(spy.eventsFrom(eid, "UNSUBSCRIBE")).singleElement()
                .extracting(BrokerSpy.Event::details).isEqualTo(List.of("newTopic-11-9/" + eid)); // R-MQTT.34
        assertThat(mtp.subscribedFilters()).containsExactly("usp/agent/" + eid);
        assertThat(mtp.status().subscriptions()).containsEntry("newTopic-11-9/" + eid,
                SubscriptionStatus.UNSUBSCRIBED);
    }

    @Test
    void forceReconnectOnlyActsWhenConnected() throws Exception {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = new MqttMtp(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)), l);
        closeAfter.add(mtp);
        assertThat(mtp.forceReconnect().toCompletableFuture().get(10, TimeUnit.SECONDS)).isFalse();

        mtp.start();
        l.awaitStatus(MqttLinkStatus::isUp);
        assertThat(mtp.forceReconnect().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> spy.connectsFrom(eid).size() == 2 && mtp.status().isUp());
        // Every (re)connection subscribes again.
        assertThat(spy.subscribedFilters(eid)).containsExactly("usp/agent/" + eid, "usp/agent/" + eid);
        assertThat(spy.eventsFrom(eid, "DISCONNECT")).hasSize(1);
    }

    @Test
    void aFullSendQueueFailsPublishAtOnceInsteadOfBlocking() throws Exception {
        String eid = endpointId();
        PahoPeer controller = controller("usp/controller/" + eid);
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)).withPublishQoS(1)
                .withSendQueueCapacity(4), l);
        l.awaitStatus(MqttLinkStatus::isUp);
        spy.holdPublishesFrom(eid); // no PUBACK: the broker's Receive Maximum (10) fills up

        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        CompletableFuture<Void> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            CompletableFuture<Void> f = mtp.publish("usp/controller/" + eid, bytes("n" + i), false)
                    .toCompletableFuture();
            if (f.isCompletedExceptionally()) {
                refused = f;
            } else {
                accepted.add(f);
            }
            if (i >= 10 && refused == null) {
                // Give the sender the chance to take what it can; the queue must eventually stay full.
                await().atMost(WAIT).until(() -> mtp.queuedRecords() == 4 || spy.heldPublishes() < 10);
            }
        }
        assertThat(refused).as("a publish refused because the queue is full").isNotNull();
        assertThatThrownBy(refused::join).cause().isInstanceOf(MqttMtpException.class)
                .hasMessageContaining("send queue full")
                .extracting(e -> ((MqttMtpException) e).reason()).isEqualTo(Reason.QUEUE_FULL);

        spy.releasePublishesFrom(eid);
        CompletableFuture.allOf(accepted.toArray(new CompletableFuture[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(controller.next().payload()).isEqualTo(bytes("n" + i)); // in order, none lost
        }
        assertThat(mtp.stats().publishErrors()).isEqualTo(1);
    }

    @Test
    void statsCountTheTrafficOfTheConnection() throws Exception {
        String eid = endpointId();
        PahoPeer controller = controller("usp/controller/" + eid);
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)).withPublishQoS(1), l);
        l.awaitStatus(MqttLinkStatus::isUp);
        mtp.publish("usp/controller/" + eid, bytes("out"), false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        controller.next();
        controller.publish("usp/agent/" + eid, bytes("in"), 1, "usp.msg", "usp/controller/" + eid);
        l.nextRecord();

        MqttClientStats s = mtp.stats();
        assertThat(s.publishSent()).isEqualTo(1);
        assertThat(s.publishReceived()).isEqualTo(1);
        assertThat(s.subscribeSent()).isEqualTo(1);
        assertThat(s.unSubscribeSent()).isZero();
        assertThat(s.connectionErrors()).isZero();
        assertThat(s.publishErrors()).isZero();
        assertThat(s.mqttMessagesSent()).isEqualTo(4); // CONNECT, SUBSCRIBE, PUBLISH, PUBACK
        assertThat(s.mqttMessagesReceived()).isEqualTo(4); // CONNACK, SUBACK, PUBACK, PUBLISH
        assertThat(s.brokerConnectionEstablished()).isNotNull();
        assertThat(s.lastPublishMessageSent()).isNotNull();
        assertThat(s.lastPublishMessageReceived()).isNotNull();
    }

    @Test
    void keepAliveSendsPingsWhenIdle_TP_11_7() {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1).keepAliveTime(1)), l);
        l.awaitStatus(MqttLinkStatus::isUp);

        await().atMost(WAIT).until(() -> spy.eventsFrom(eid, "PINGREQ").size() >= 2);
        await().atMost(WAIT).until(() -> mtp.stats().mqttMessagesReceived() >= 4); // CONNACK, SUBACK, PINGRESPs
    }

    @Test
    void stopSendsDisconnectAndFailsFurtherPublishes_R_MQTT_35() {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)), l);
        l.awaitStatus(MqttLinkStatus::isUp);
        assertThat(mtp.stats().brokerConnectionEstablished()).isNotNull();

        mtp.stop();
        assertThat(mtp.status().state()).isEqualTo(MqttLinkState.STOPPED);
        assertThat(mtp.status().clientStatus()).isEqualTo("Disabled");
        await().atMost(WAIT).until(() -> !spy.eventsFrom(eid, "DISCONNECT").isEmpty());
        assertThat(spy.eventsFrom(eid, "DISCONNECT").get(0).details()).containsExactly("NORMAL_DISCONNECTION");
        assertThat(mtp.publish("usp/controller/x", bytes("r"), false).toCompletableFuture())
                .isCompletedExceptionally();
        assertThat(mtp.stats().brokerConnectionEstablished()).isNull();
    }

    @Test
    void publishRefusesATopicFilter() {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        MqttMtp mtp = start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)), l);
        l.awaitStatus(MqttLinkStatus::isUp);

        CompletableFuture<Void> f = mtp.publish("usp/controller/#", bytes("r"), false).toCompletableFuture();
        assertThatThrownBy(f::join).cause().isInstanceOf(MqttMtpException.class)
                .extracting(e -> ((MqttMtpException) e).reason()).isEqualTo(Reason.INVALID);
    }

    @Test
    void misconfiguredSettingsDisableTheLinkWithoutConnecting() {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)
                .will(new MqttClientSettings.Will(true, "", "gone", 0, false, 5, 0, "", ""))), l);

        MqttLinkStatus s = l.awaitStatus(x -> x.state() == MqttLinkState.DISABLED);
        assertThat(s.clientStatus()).isEqualTo("Error_Misconfigured");
        assertThat(s.lastError()).contains("WillTopic");
        assertThat(spy.connectsFrom(eid)).isEmpty();
    }

    @Test
    void willIsSentInConnect() {
        String eid = endpointId();
        RecordingListener l = new RecordingListener();
        start(settings(eid, b -> b.subscription("usp/agent/" + eid, 1)
                .will(new MqttClientSettings.Will(true, "usp/will/" + eid, "gone", 1, false, 5, 0, "", ""))), l);
        l.awaitStatus(MqttLinkStatus::isUp);
        assertThat(spy.connectsFrom(eid).get(0).willTopic()).isEqualTo("usp/will/" + eid);
    }
}
