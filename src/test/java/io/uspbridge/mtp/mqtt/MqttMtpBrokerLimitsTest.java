package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * MQTT-7 against a broker that announces Maximum QoS 1 and Retain Available 0: the MTP lowers PublishQoS and drops
 * RETAIN (either would be a protocol error that makes the broker disconnect it).
 */
class MqttMtpBrokerLimitsTest {
    @Test
    void publishQosIsLoweredToMaximumQosAndRetainDroppedWhenUnavailable() throws Exception {
        BrokerSpy spy = new BrokerSpy();
        try (EmbeddedBroker broker = new EmbeddedBroker(EmbeddedBroker.Settings.defaults().withMaxQos(1)
                .withRetainAvailable(false).withExtension(spy.extension()))) {
            broker.start();
            MqttClientSettings c = MqttClientSettings.builder().brokerUrl(broker.url())
                    .subscription("usp/agent/limits", 1).build();
            RecordingListener l = new RecordingListener();
            try (MqttMtp mtp = new MqttMtp(MqttMtpSettings.of("os::limits", c, "usp/agent/limits")
                    .withPublishQoS(2), l);
                 PahoPeer controller = PahoPeer.connect(broker.url(), "controller-limits")) {
                controller.subscribe("usp/controller/limits", 2);
                mtp.start();
                MqttLinkStatus up = l.awaitStatus(MqttLinkStatus::isUp);
                assertThat(up.maximumQos()).isEqualTo(1);
                assertThat(up.retainAvailable()).isFalse();

                mtp.publish("usp/controller/limits", "notify".getBytes(StandardCharsets.UTF_8), true)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                PahoPeer.Received r = controller.next();
                assertThat(r.qos()).isEqualTo(1);
                assertThat(r.retained()).isFalse();
                await().atMost(RecordingListener.WAIT).until(() -> !spy.eventsFrom("os::limits", "PUBLISH").isEmpty());
                assertThat(spy.eventsFrom("os::limits", "PUBLISH").get(0).details())
                        .startsWith("usp/controller/limits", "AT_LEAST_ONCE", "false");
                assertThat(mtp.status().isUp()).isTrue(); // not disconnected for a protocol error
                assertThat(spy.connectsFrom("os::limits")).hasSize(1);
                assertThat(List.of(mtp.stats().publishErrors())).containsExactly(0L);
            }
        }
    }
}
