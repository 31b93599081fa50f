package io.uspbridge.mtp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uspbridge.mtp.mqtt.ConnectionStateMachine.Failure;
import org.junit.jupiter.api.Test;

class ConnectionStateMachineTest {
    @Test
    void theUsualPathAndItsTr181Statuses() {
        ConnectionStateMachine m = new ConnectionStateMachine();
        assertThat(m.clientStatus()).isEqualTo("Disabled");
        m.moveTo(MqttLinkState.CONNECTING);
        assertThat(m.clientStatus()).isEqualTo("Connecting");
        m.moveTo(MqttLinkState.SUBSCRIBING);
        assertThat(m.clientStatus()).isEqualTo("Connecting");
        m.moveTo(MqttLinkState.UP);
        assertThat(m.clientStatus()).isEqualTo("Connected");
        m.moveTo(MqttLinkState.WAITING_TO_RETRY, Failure.LOST, "lost");
        assertThat(m.clientStatus()).isEqualTo("Connecting");
        m.moveTo(MqttLinkState.CONNECTING);
        m.moveTo(MqttLinkState.WAITING_TO_RETRY, Failure.UNREACHABLE, "refused");
        assertThat(m.clientStatus()).isEqualTo("Error_BrokerUnreachable");
        assertThat(m.reason()).isEqualTo("refused");
        m.moveTo(MqttLinkState.CONNECTING);
        m.moveTo(MqttLinkState.WAITING_TO_RETRY, Failure.REFUSED, "bad password");
        assertThat(m.clientStatus()).isEqualTo("Error");
        m.moveTo(MqttLinkState.STOPPED);
        assertThat(m.clientStatus()).isEqualTo("Disabled");
        assertThat(m.reason()).isNull();
    }

    @Test
    void disabledIsMisconfigured() {
        ConnectionStateMachine m = new ConnectionStateMachine();
        m.moveTo(MqttLinkState.CONNECTING);
        m.moveTo(MqttLinkState.DISABLED, Failure.MISCONFIGURED, "BrokerAddress is empty");
        assertThat(m.clientStatus()).isEqualTo("Error_Misconfigured");
        m.moveTo(MqttLinkState.CONNECTING);
    }

    @Test
    void transitionsOutsideTheTableAreBugs() {
        ConnectionStateMachine m = new ConnectionStateMachine();
        assertThatThrownBy(() -> m.moveTo(MqttLinkState.UP)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> m.moveTo(MqttLinkState.DISABLED)).isInstanceOf(IllegalStateException.class);
        m.moveTo(MqttLinkState.CONNECTING);
        assertThatThrownBy(() -> m.moveTo(MqttLinkState.UP)).isInstanceOf(IllegalStateException.class);
        m.moveTo(MqttLinkState.SUBSCRIBING);
        m.moveTo(MqttLinkState.UP);
        assertThatThrownBy(() -> m.moveTo(MqttLinkState.SUBSCRIBING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> m.moveTo(MqttLinkState.DISABLED)).isInstanceOf(IllegalStateException.class);
    }
}
