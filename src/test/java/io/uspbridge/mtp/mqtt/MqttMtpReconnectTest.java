package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.mtp.mqtt.MqttMtpException.Reason;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reconnection (R-MQTT.10, TP-469 11.6 and 11.16) against a real broker that goes away and comes back: the link
 * retries with the configured interval (1 s here), subscribes again on the new connection, and Records flow again.
 */
class MqttMtpReconnectTest {
    private static MqttMtpSettings settings(String url, String eid) {
        MqttClientSettings c = MqttClientSettings.builder().brokerUrl(url).clientId("").connectRetryTime(1)
                .connectRetryIntervalMultiplier(1000).subscription("usp/agent/" + eid, 1).build();
        return MqttMtpSettings.of(eid, c, "usp/agent/" + eid).withName("reconnect-" + eid).withPublishQoS(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void afterTheBrokerRestartsTheLinkReconnectsResubscribesAndCarriesRecordsAgain_TP_11_16() throws Exception {
        BrokerSpy spy = new BrokerSpy();
        try (EmbeddedBroker broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults()
                .withExtension(spy.extension()))) {
            broker.start();
            RecordingListener l = new RecordingListener();
            try (MqttMtp mtp = new MqttMtp(settings(broker.url(), "os::restart"), l)) {
                mtp.start();
                MqttLinkStatus firstUp = l.awaitStatus(MqttLinkStatus::isUp);
                roundTrip(broker, mtp, l, "before");

                broker.stop();
                MqttLinkStatus lost = l.awaitStatus(s -> s.state() == MqttLinkState.WAITING_TO_RETRY
                        && s.lastError().contains("lost"));
                assertThat(lost.clientStatus()).isEqualTo("Connecting"); // a reconnect is on its way
                assertThat(lost.replyToTopic()).isNull();
                CompletableFuture<Void> refused = mtp.publish("usp/controller/x", bytes("r"), false)
                        .toCompletableFuture();
                assertThat(refused).isCompletedExceptionally();
                assertThat(refused.handle((v, e) -> ((MqttMtpException) e).reason()).get())
                        .isEqualTo(Reason.NOT_CONNECTED);
                // While the broker is away the attempts fail: Status says the broker is unreachable.
                l.awaitStatus(s -> s.clientStatus().equals("Error_BrokerUnreachable"));

                broker.start(); // same port
                await().atMost(RecordingListener.WAIT).until(() -> mtp.status().isUp());
                // Subscribed again on the new connection, with the client id the broker assigned first (R-MQTT.11).
                assertThat(spy.subscribedFilters("os::restart")).containsExactly("usp/agent/os::restart",
                        "usp/agent/os::restart");
                assertThat(spy.connectsFrom("os::restart").get(spy.connectsFrom("os::restart").size() - 1)
                        .clientId()).isEqualTo(firstUp.assignedClientId());
                roundTrip(broker, mtp, l, "after");
                assertThat(mtp.stats().connectionErrors()).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void aLinkStartedBeforeTheBrokerKeepsRetryingUntilItAppears_TP_11_6() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults().withPort(port))) {
            RecordingListener l = new RecordingListener();
            try (MqttMtp mtp = new MqttMtp(settings("tcp://127.0.0.1:" + port, "os::late"), l)) {
                mtp.start();
                MqttLinkStatus waiting = l.awaitStatus(s -> s.state() == MqttLinkState.WAITING_TO_RETRY);
                assertThat(waiting.clientStatus()).isEqualTo("Error_BrokerUnreachable");
                assertThat(waiting.mtpStatus()).isEqualTo("Down");
                await().atMost(RecordingListener.WAIT).until(() -> mtp.stats().connectionErrors() >= 2);

                broker.start();
                await().atMost(RecordingListener.WAIT).until(() -> mtp.status().isUp());
                roundTrip(broker, mtp, l, "late");
            }
        }
    }

    private static void roundTrip(EmbeddedBroker broker, MqttMtp mtp, RecordingListener l, String tag)
            throws Exception {
        String eid = mtp.status().replyToTopic().substring("usp/agent/".length());
        try (PahoPeer controller = PahoPeer.connect(broker.url(), "controller-" + tag)) {
            controller.subscribe("usp/controller/" + tag, 1);
            controller.publish("usp/agent/" + eid, bytes("request-" + tag), 1, "usp.msg", "usp/controller/" + tag);
            RecordingListener.Received r = l.nextRecord();
            assertThat(r.record()).isEqualTo(bytes("request-" + tag));
            mtp.publish(r.responseTopic(), bytes("response-" + tag), false).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            PahoPeer.Received response = controller.next();
            assertThat(response.payload()).isEqualTo(bytes("response-" + tag));
            assertThat(response.responseTopic()).isEqualTo("usp/agent/" + eid);
        }
    }
}
