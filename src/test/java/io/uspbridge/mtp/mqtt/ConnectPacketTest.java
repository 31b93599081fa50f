package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes the MTP puts on the wire at connection time, read by a broker the test plays step by step: the CONNECT
 * fields USP requires and the client identifier handling of TP-469 11.4/11.5.
 */
class ConnectPacketTest {

    @Test
    void emptyClientIdIsSentThenTheAssignedOneIsReusedAfterTheBrokerDrops_TP_11_4_11_5() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker()) {
            RecordingListener l = new RecordingListener();
            MqttClientSettings client = MqttClientSettings.builder().brokerUrl(broker.url()).clientId("")
                    .keepAliveTime(60).connectRetryTime(1).connectRetryIntervalMultiplier(1000)
                    .subscription("usp/agent/self", 1).build();
            try (MqttMtp mtp = new MqttMtp(MqttMtpSettings.of("os::012345-hub", client, "usp/agent/self"), l)) {
                mtp.start();

                broker.accept();
                ScriptedBroker.Connect first = broker.readConnect();
                assertThat(first.protocolVersion()).isEqualTo(5); // R-MQTT.1
                assertThat(first.clientId()).isEmpty(); // R-MQTT.8: empty for 5.0 when ClientID is empty
                assertThat(first.properties().get(0x19)).containsExactly("1"); // Request Response Information
                assertThat(first.userProperty("usp-endpoint-id")).isEqualTo("os::012345-hub");
                assertThat(first.keepAlive()).isEqualTo(60);
                assertThat(first.cleanStart()).isTrue();
                assertThat(first.userName()).isNull();

                broker.sendConnack("assigned-7", "usp/reply/assigned-7");
                ScriptedBroker.Subscribe sub = broker.readSubscribe();
                assertThat(sub.filters()).containsExactly("usp/agent/self", "usp/reply/assigned-7");
                broker.sendSuback(sub.packetId(), 1, 1);
                MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);
                assertThat(up.replyToTopic()).isEqualTo("usp/reply/assigned-7");
                assertThat(l.assignedIds).containsExactly("assigned-7");

                broker.dropConnection();
                l.awaitStatus(s -> s.state() == MqttLinkState.WAITING_TO_RETRY);

                broker.accept();
                ScriptedBroker.Connect second = broker.readConnect();
                assertThat(second.clientId()).isEqualTo("assigned-7"); // R-MQTT.11
                broker.sendConnack(null, null);
                ScriptedBroker.Subscribe again = broker.readSubscribe();
                // No Response Information this time: ResponseTopicConfigured is the reply-to, already subscribed.
                assertThat(again.filters()).containsExactly("usp/agent/self");
                broker.sendSuback(again.packetId(), 1);
                await().atMost(RecordingListener.WAIT).until(() -> mtp.status().isUp());
                assertThat(mtp.status().replyToTopic()).isEqualTo("usp/agent/self");
            }
        }
    }

    @Test
    void configuredClientIdAndCredentialsAreSentAsConfigured() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker()) {
            MqttClientSettings client = MqttClientSettings.builder().brokerUrl(broker.url()).clientId("hub-1")
                    .username("u").password("p").keepAliveTime(0).cleanStart(false)
                    .userProperties(List.of(new MqttClientSettings.UserProperty("site", "attic", true,
                            java.util.Set.of(MqttClientSettings.PacketType.CONNECT))))
                    .subscription("usp/agent/hub-1", 0).build();
            try (MqttMtp mtp = new MqttMtp(MqttMtpSettings.of("os::hub-1", client, ""), new RecordingListener())) {
                mtp.start();
                broker.accept();
                ScriptedBroker.Connect c = broker.readConnect();
                assertThat(c.clientId()).isEqualTo("hub-1");
                assertThat(c.userName()).isEqualTo("u");
                assertThat(c.keepAlive()).isZero();
                assertThat(c.cleanStart()).isFalse();
                assertThat(c.userProperty("usp-endpoint-id")).isEqualTo("os::hub-1");
                assertThat(c.userProperty("site")).isEqualTo("attic");
            }
        }
    }
}
