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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.uspbridge.model.CommandCall;
import io.uspbridge.model.CommandDef;
import io.uspbridge.model.ObjectOwner;
import io.uspbridge.model.ParamDef;
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

    /** Runs a capability command as the Operate handler would, and waits for it off the loop. */
    void run(String objectPath, String command) throws Exception {
        CompletableFuture<Map<String, String>> done = agent.onLoop(() -> {
            ObjectNode o = agent.runtime().model().find(objectPath);
            CommandDef def = o.def().command(command);
            return o.owner().commandHandler(o, def).invoke(new CommandCall(o, def, Map.of(), "k", "test",
                    new CompletableFuture<>())).toCompletableFuture();
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** Writes a control value as the Set handler would, and waits for the device's acknowledgement. */
    void write(String objectPath, String value) throws Exception {
        CompletableFuture<Void> done = agent.onLoop(() -> {
            ObjectNode o = agent.runtime().model().find(objectPath);
            ObjectOwner owner = o.owner();
            ParamDef p = o.def().param("Value");
            return owner.write(o, Map.of(p, value)).toCompletableFuture();
        });
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void enumControlStepsWrapAroundAndLevelControlStepsClampAtTheLimits() throws Exception {
        agent = TestAgent.start(config());
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceRows().size() == 4);
        String thermostat = agent.onLoop(() -> {
            for (ObjectNode r : agent.runtime().model().root().rows("ProxiedDevice")) {
                if ("Thermostat".equals(r.value("Type"))) {
                    return r.path();
                }
            }
            return null;
        });
        String mode = thermostat + "IoTCapability.1.EnumControl.";
        String setpoint = thermostat + "IoTCapability.2.LevelControl.";
        assertThat(value(mode + "ValidValues")).isEqualTo("Off,Heat,Cool,Auto");
        assertThat(value(mode + "Value")).isEqualTo("Heat");
        run(mode, "StepDown()");
        assertThat(value(mode + "Value")).isEqualTo("Off");
        run(mode, "StepDown()");
        assertThat(value(mode + "Value")).isEqualTo("Auto");    // wrapped around
        run(mode, "StepUp()");
        assertThat(value(mode + "Value")).isEqualTo("Off");

        write(setpoint, "29.5");
        assertThat(value(setpoint + "Value")).isEqualTo("29.5");
        run(setpoint, "StepUp()");
        assertThat(value(setpoint + "Value")).isEqualTo("30");
        run(setpoint, "StepUp()");                              // at MaxValue: clamped, no error
        assertThat(value(setpoint + "Value")).isEqualTo("30");
        write(setpoint, "5");
        run(setpoint, "StepDown()");
        assertThat(value(setpoint + "Value")).isEqualTo("5");

        String light = thermostat.replace(thermostat.replaceAll(".*\\.([0-9]+)\\.$", "$1") + ".", "1.");
        String onOff = light + "IoTCapability.1.BinaryControl.";
        String was = value(onOff + "Value");
        run(onOff, "Toggle()");
        assertThat(value(onOff + "Value")).isNotEqualTo(was);
    }
}
