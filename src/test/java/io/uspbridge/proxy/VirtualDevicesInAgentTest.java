package io.uspbridge.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.model.ObjectNode;
import io.uspbridge.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The virtual adapter configured in a whole agent: its devices become rows that keep their numbers. */
class VirtualDevicesInAgentTest {
    @TempDir
    Path state;

    TestAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    Map<String, String> config() {
        Map<String, String> p = TestAgent.defaults(1, state);
        p.put("uspbridge.mqtt.enabled", "false");
        p.put("uspbridge.adapters.virtual.enabled", "true");
        p.put("uspbridge.adapters.virtual.report-interval", "PT0S");
        p.put("uspbridge.adapters.virtual.ack-delay", "PT0S");
        p.put("uspbridge.adapters.virtual.seed", "7");
        return p;
    }

    List<String> deviceRows() throws Exception {
        return agent.onLoop(() -> {
            List<String> out = new ArrayList<>();
            for (ObjectNode r : agent.runtime().model().root().rows("ProxiedDevice")) {
                out.add(r.path() + " " + r.value("Name") + " " + r.value("Type") + " " + r.value("ProxyProtocol"));
            }
            return out;
        });
    }

    String value(String path) throws Exception {
        return agent.onLoop(() -> agent.runtime().model().value(path));
    }

    @Test
    void virtualDevicesBecomeRowsWithCapabilitiesAndKeepTheirNumbersAcrossRestarts() throws Exception {
        agent = TestAgent.start(config());
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceRows().size() == 4);
        List<String> before = deviceRows();
        assertThat(before).anySatisfy(r -> assertThat(r).contains("Light").contains("X_USPBRIDGE-IO_Virtual"));
        assertThat(value("Device.X_USPBRIDGE-IO_Adapter.1.Name")).isEqualTo("virtual");
        assertThat(value("Device.X_USPBRIDGE-IO_Adapter.1.Status")).isEqualTo("Connected");
        assertThat(value("Device.X_USPBRIDGE-IO_Adapter.1.DeviceCount")).isEqualTo("4");
        assertThat(value("Device.ProxiedDevice.1.InterfaceReference")).isEqualTo("Device.X_USPBRIDGE-IO_Adapter.1");
        assertThat(value("Device.ProxiedDevice.1.Online")).isEqualTo("true");
        assertThat(value("Device.ProxiedDevice.1.IoTCapability.1.Class")).isNotEmpty();
        assertThat(value("Device.ProxiedDevice.1.DeviceInfo.Manufacturer")).isNotEmpty();

        agent.restartProcess();
        // Back from the store at once (offline until the adapter reports), with the same numbers.
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceRows().equals(before));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "true".equals(value("Device.ProxiedDevice.1.Online")));
    }
}
