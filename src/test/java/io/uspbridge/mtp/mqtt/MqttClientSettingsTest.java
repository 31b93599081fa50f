package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.mtp.mqtt.MqttClientSettings.TransportProtocol;
import io.uspbridge.mtp.mqtt.MqttClientSettings.Will;
import org.junit.jupiter.api.Test;

class MqttClientSettingsTest {
    @Test
    void defaultsAreTheTr181OnCreateValues() {
        MqttClientSettings s = MqttClientSettings.builder().brokerAddress("broker.example").build();
        assertThat(s.brokerPort()).isEqualTo(1883);
        assertThat(s.transportProtocol()).isEqualTo(TransportProtocol.TCP_IP);
        assertThat(s.keepAliveTime()).isEqualTo(60);
        assertThat(s.cleanStart()).isTrue();
        assertThat(s.connectRetryTime()).isEqualTo(5);
        assertThat(s.connectRetryIntervalMultiplier()).isEqualTo(2000);
        assertThat(s.connectRetryMaxInterval()).isEqualTo(30720);
        assertThat(s.requestResponseInfo()).isTrue();
        assertThat(s.will().delayInterval()).isEqualTo(5);
        assertThat(s.serverUri()).isEqualTo("tcp://broker.example:1883");
    }

    @Test
    void brokerUrlsSetAddressPortAndTransport() {
        MqttClientSettings tls = MqttClientSettings.builder().brokerUrl("ssl://mqtt.example:8884").build();
        assertThat(tls.brokerAddress()).isEqualTo("mqtt.example");
        assertThat(tls.brokerPort()).isEqualTo(8884);
        assertThat(tls.transportProtocol()).isEqualTo(TransportProtocol.TLS);
        assertThat(tls.transportProtocol().tr181()).isEqualTo("TLS");
        assertThat(MqttClientSettings.builder().brokerUrl("mqtts://h").build().brokerPort()).isEqualTo(8883);
        assertThat(MqttClientSettings.builder().brokerUrl("tcp://h").build().brokerPort()).isEqualTo(1883);
        MqttClientSettings v6 = MqttClientSettings.builder().brokerUrl("tcp://[::1]:1884").build();
        assertThat(v6.brokerAddress()).isEqualTo("::1");
        assertThat(v6.serverUri()).isEqualTo("tcp://[::1]:1884");
        assertThatThrownBy(() -> MqttClientSettings.builder().brokerUrl("ws://h:80/mqtt"))
                .hasMessageContaining("tcp:// or ssl://");
        assertThatThrownBy(() -> TransportProtocol.fromTr181("WebSocket")).hasMessageContaining("not supported");
    }

    @Test
    void valuesOutsideTheirTr181RangesAreRefused() {
        assertThatThrownBy(() -> MqttClientSettings.builder().brokerPort(0).build()).hasMessageContaining("BrokerPort");
        assertThatThrownBy(() -> MqttClientSettings.builder().keepAliveTime(65536).build())
                .hasMessageContaining("KeepAliveTime");
        assertThatThrownBy(() -> MqttClientSettings.builder().connectRetryIntervalMultiplier(500).build())
                .hasMessageContaining("ConnectRetryIntervalMultiplier");
        assertThatThrownBy(() -> MqttClientSettings.builder().subscription("a/#/b", 0).build())
                .hasMessageContaining("topic filter");
        assertThatThrownBy(() -> MqttClientSettings.builder().subscription("a", 3).build())
                .hasMessageContaining("QoS");
        assertThatThrownBy(() -> MqttMtpSettings.of("eid", MqttClientSettings.builder().build(), "reply/+"))
                .hasMessageContaining("ResponseTopicConfigured");
        assertThatThrownBy(() -> MqttMtpSettings.of("", MqttClientSettings.builder().build(), ""))
                .hasMessageContaining("Endpoint ID");
    }

    @Test
    void combinationsThatCannotWorkAreReportedAsMisconfiguration() {
        assertThat(MqttClientSettings.builder().build().misconfiguration()).hasValue("BrokerAddress is empty");
        assertThat(MqttClientSettings.builder().brokerAddress("h")
                .will(new Will(true, "t", "", 0, false, 5, 0, "", "")).build().misconfiguration())
                .hasValueSatisfying(m -> assertThat(m).contains("WillValue"));
        assertThat(MqttClientSettings.builder().brokerAddress("h").password("p").build().misconfiguration())
                .hasValueSatisfying(m -> assertThat(m).contains("Username"));
        assertThat(MqttClientSettings.builder().brokerAddress("h").build().misconfiguration()).isEmpty();
    }

    @Test
    void anAssignedClientIdBelongsToOneBroker() {
        MqttClientSettings a = MqttClientSettings.builder().brokerUrl("tcp://h:1883").build();
        assertThat(a.sameBroker(a.toBuilder().keepAliveTime(5).build())).isTrue();
        assertThat(a.sameBroker(a.toBuilder().brokerPort(1884).build())).isFalse();
        assertThat(a.sameBroker(a.toBuilder().brokerAddress("other").build())).isFalse();
    }
}
