package io.uspbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uspbridge.adapter.zigbee2mqtt.Zigbee2MqttSimulator;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.mtp.mqtt.EmbeddedBroker;
import io.uspbridge.notify.UspController;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspMsg.Header.MsgType;
import io.uspbridge.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zigbee through Zigbee2MQTT end to end: the Zigbee2MQTT simulator publishes the real payloads of the fixtures into
 * a real MQTT 5 broker, the agent's adapter maps them to rows, and a controller reads, writes and subscribes over the
 * same broker (issue 7, "Done when").
 */
class Zigbee2MqttEndToEndTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String LIGHT = "zigbee:0x000b57fffe1a2b01";
    static final String SENSOR = "zigbee:0x00124b0021aabb02";
    static final String PLUG = "zigbee:0x00158d0003cc4d03";
    static final AtomicInteger RUN = new AtomicInteger();
    static EmbeddedBroker broker;

    @TempDir
    Path dir;
    final String base = "z2m-e2e-" + RUN.incrementAndGet();
    Zigbee2MqttSimulator sim;
    TestAgent agent;
    UspController ctl;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.startDefault();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, String> p = TestAgent.defaults(broker.port(), dir);
        p.put("uspbridge.adapters.zigbee2mqtt.enabled", "true");
        p.put("uspbridge.adapters.zigbee2mqtt.url", "tcp://127.0.0.1:" + broker.port());
        p.put("uspbridge.adapters.zigbee2mqtt.base-topic", base);
        p.put("uspbridge.adapters.zigbee2mqtt.client-id", "agent-" + base);
        p.put("uspbridge.proxy.write-timeout", "PT1S");
        agent = TestAgent.start(p);
        agent.awaitMtpUp(WAIT);
        ctl = new UspController(agent.controller(broker.port()));
        // Zigbee2MQTT after the agent: the adapter hears the devices' (non-retained) state reports.
        await().atMost(WAIT).until(() -> value("Device.X_USPBRIDGE-IO_Adapter.1.LastError").startsWith("connected"));
        sim = new Zigbee2MqttSimulator("tcp://127.0.0.1:" + broker.port(), base).start();
        await().atMost(WAIT).until(() -> row(LIGHT) != null && row(SENSOR) != null && row(PLUG) != null
                && "true".equals(value(row(LIGHT) + "Online")));
    }

    @AfterEach
    void stop() {
        if (ctl != null) {
            ctl.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    String value(String path) throws Exception {
        return agent.onLoop(() -> agent.runtime().model().value(path));
    }

    /** The ProxiedDevice row of a device, by its adapter key. */
    String row(String key) throws Exception {
        return agent.onLoop(() -> {
            for (ObjectNode r : agent.runtime().model().root().rows("ProxiedDevice")) {
                if (key.equals(r.value("X_USPBRIDGE-IO_DeviceKey"))) {
                    return r.path();
                }
            }
            return null;
        });
    }

    /** The path of the class object of a device's capability of class {@code cls} and LevelSensor/… type. */
    String capability(String key, String cls, String type) throws Exception {
        String device = row(key);
        return agent.onLoop(() -> {
            ObjectNode d = agent.runtime().model().find(device);
            for (ObjectNode c : d.rows("IoTCapability")) {
                ObjectNode o = c.child(cls);
                if (cls.equals(c.value("Class")) && o != null && (type == null || type.equals(o.value("Type")))) {
                    return o.path();
                }
            }
            return null;
        });
    }

    @Test
    void devicesAppearAsRowsWithTheirIdentity() throws Exception {
        Map<String, String> got = ctl.get("Device.ProxiedDevice.");
        String light = row(LIGHT);
        assertThat(got).containsEntry(light + "ProxyProtocol", "ZigBee").containsEntry(light + "Type", "Light")
                .containsEntry(light + "Name", "light").containsEntry(light + "Online", "true")
                .containsEntry(light + "InterfaceReference", "Device.X_USPBRIDGE-IO_Adapter.1");
        assertThat(got.get(light + "DeviceInfo.Manufacturer")).isNotEmpty();
        assertThat(got.get(light + "DeviceInfo.ModelName")).isNotEmpty();
        assertThat(ctl.get("Device.X_USPBRIDGE-IO_Adapter.1.")).containsEntry("Device.X_USPBRIDGE-IO_Adapter.1.Status",
                "Connected").containsEntry("Device.X_USPBRIDGE-IO_Adapter.1.DeviceCount", "3");
        // GetSupportedDM: ProxiedDevice is a mount point whose rows mount different objects; each is divergent (GSDM-5).
        UspMsg.Msg gsdm = ctl.send(MsgType.GET_SUPPORTED_DM, UspMsg.Request.newBuilder().setGetSupportedDm(
                UspMsg.GetSupportedDM.newBuilder().addObjPaths("Device.ProxiedDevice.").setFirstLevelOnly(true))
                .build());
        assertThat(gsdm.getBody().getResponse().getGetSupportedDmResp().getReqObjResults(0).getSupportedObjsList())
                .as("%s", gsdm).anySatisfy(o -> assertThat(o.getDivergentPathsList()).contains(light));
        // Agent-managed: a controller cannot add or delete devices (7019... the table is read-only).
        UspMsg.Msg add = ctl.send(MsgType.ADD, UspMsg.Request.newBuilder().setAdd(UspMsg.Add.newBuilder()
                .setAllowPartial(false).addCreateObjs(UspMsg.Add.CreateObject.newBuilder()
                        .setObjPath("Device.ProxiedDevice."))).build());
        assertThat(add.getBody().getError().getErrCode()).isEqualTo(7019);
    }

    @Test
    void aControllersSetTurnsTheLightOffAndWaitsForTheDevice() throws Exception {
        String onOff = capability(LIGHT, "BinaryControl", null);
        assertThat(value(onOff + "Value")).isEqualTo("true");
        ctl.setOk(onOff + "Value", "false");
        // The SetResp came after the device reported its new state: the simulator saw the /set, the tree changed.
        assertThat(sim.received()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("light");
            assertThat(r.kind()).isEqualTo("set");
            assertThat(r.payload().toString()).contains("OFF");
        });
        assertThat(value(onOff + "Value")).isEqualTo("false");
        assertThat(sim.state("light").path("state").asText()).isEqualTo("OFF");

        // A device that does not answer: the Set fails for its parameter with 7009 once the write timeout passed.
        sim.silence("light");
        UspMsg.Msg r = ctl.set(onOff + "Value", "true");
        assertThat(r.getBody().getError().getErrCode()).as("%s", r).isEqualTo(7009);
        assertThat(r.getBody().getError().getParamErrs(0).getParamPath()).isEqualTo(onOff + "Value");
        assertThat(value(onOff + "Value")).isEqualTo("false");
    }

    @Test
    void aSensorReportReachesASubscribedControllerAsValueChange() throws Exception {
        String temperature = capability(SENSOR, "LevelSensor", "Temperature");
        assertThat(temperature).isNotNull();
        ctl.subscribe("temp", "ValueChange", temperature + "Value");
        sim.report("th_sensor", "{\"temperature\": 25.5}");
        await().atMost(WAIT).until(() -> !ctl.forSubscription("temp").isEmpty());
        UspMsg.Notify n = ctl.forSubscription("temp").get(0).getBody().getRequest().getNotify();
        assertThat(n.getValueChange().getParamPath()).isEqualTo(temperature + "Value");
        assertThat(n.getValueChange().getParamValue()).isEqualTo("25.5");
        assertThat(value(temperature + "LastChange")).isNotEqualTo("0001-01-01T00:00:00Z");
    }

    @Test
    void theBridgeGoingOfflineMarksDevicesOfflineAndALeavingDeviceLosesItsRows() throws Exception {
        String plug = row(PLUG);
        ctl.subscribe("gone", "ObjectDeletion", "Device.ProxiedDevice.");
        sim.bridgeOnline(false);
        await().atMost(WAIT).until(() -> "false".equals(value(row(LIGHT) + "Online"))
                && "false".equals(value(row(SENSOR) + "Online")) && "false".equals(value(plug + "Online")));
        sim.bridgeOnline(true);
        await().atMost(WAIT).until(() -> "true".equals(value(row(LIGHT) + "Online")));

        sim.leave(PLUG.substring("zigbee:".length()));
        await().atMost(WAIT).until(() -> row(PLUG) == null);
        await().atMost(WAIT).until(() -> !ctl.forSubscription("gone").isEmpty());
        assertThat(ctl.forSubscription("gone").get(0).getBody().getRequest().getNotify().getObjDeletion()
                .getObjPath()).isEqualTo(plug);
        assertThat(value("Device.X_USPBRIDGE-IO_Adapter.1.DeviceCount")).isEqualTo("2");
    }

    @Test
    void aRestartKeepsInstanceNumbersAndWhatControllersWrote() throws Exception {
        String light = row(LIGHT);
        String sensor = row(SENSOR);
        String temperature = capability(SENSOR, "LevelSensor", "Temperature");
        ctl.setOk(temperature + "HighLevelThreshold", "20");
        ctl.setOk(light + "Name", "kitchen light");
        ctl.close();
        ctl = null;
        agent.restartProcess();
        assertThat(row(LIGHT)).isEqualTo(light);
        assertThat(row(SENSOR)).isEqualTo(sensor);
        assertThat(capability(SENSOR, "LevelSensor", "Temperature")).isEqualTo(temperature);
        assertThat(value(temperature + "HighLevelThreshold")).isEqualTo("20");
        assertThat(value(light + "Name")).isEqualTo("kitchen light");
        await().atMost(WAIT).until(() -> "Connected".equals(value("Device.X_USPBRIDGE-IO_Adapter.1.Status"))
                && "true".equals(value(light + "Online")));
        sim.report("th_sensor", "{\"temperature\": 22}");
        await().atMost(WAIT).until(() -> "true".equals(value(temperature + "HighLevel")));
        // The adapter described the device again with the same name: the controller's Name stays.
        assertThat(value(light + "Name")).isEqualTo("kitchen light");
    }

    @Test
    void capabilityCommandsReachTheDevice() throws Exception {
        String onOff = capability(LIGHT, "BinaryControl", null);
        String brightness = capability(LIGHT, "LevelControl", "Brightness");
        UspMsg.Msg toggle = ctl.operate(onOff + "Toggle()", "t1", true, Map.of());
        assertThat(toggle.getBody().getResponse().hasOperateResp()).as("%s", toggle).isTrue();
        await().atMost(WAIT).until(() -> "OFF".equals(sim.state("light").path("state").asText())
                && "false".equals(value(onOff + "Value")));

        String before = value(brightness + "Value");
        String step = value(brightness + "StepValue");
        ctl.operate(brightness + "StepUp()", "s1", true, Map.of());
        // One step up (Zigbee's 0..254 brightness rounds the percentage a little).
        double expected = Math.min(Double.parseDouble(before) + Double.parseDouble(step),
                Double.parseDouble(value(brightness + "MaxValue")));
        await().atMost(WAIT).until(() -> Math.abs(Double.parseDouble(value(brightness + "Value")) - expected) < 1);

        // Out of MinValue..MaxValue: refused before the device is asked.
        UspMsg.Msg r = ctl.set(brightness + "Value", "1000");
        assertThat(r.getBody().getError().getErrCode()).isEqualTo(7012);
    }

    @Test
    void adapterCommandsPermitJoinRenameAndRemoveDevices() throws Exception {
        String adapter = "Device.X_USPBRIDGE-IO_Adapter.1.";
        UspMsg.Msg join = ctl.operate(adapter + "PermitJoin()", "j", true, Map.of("Duration", "60"));
        assertThat(join.getBody().getResponse().getOperateResp().getOperationResults(0).hasReqOutputArgs())
                .as("%s", join).isTrue();
        assertThat(sim.permitJoin()).isTrue();

        String light = row(LIGHT);
        UspMsg.Msg rename = ctl.operate(adapter + "RenameDevice()", "r", true,
                Map.of("Device", light.substring(0, light.length() - 1), "NewName", "desk"));
        assertThat(rename.getBody().getResponse().getOperateResp().getOperationResults(0).hasReqOutputArgs())
                .as("%s", rename).isTrue();
        await().atMost(WAIT).until(() -> "desk".equals(value(light + "Name")));
        assertThat(row(LIGHT)).isEqualTo(light);

        String plug = row(PLUG);
        ctl.operate(adapter + "RemoveDevice()", "x", true, Map.of("Device", plug));
        await().atMost(WAIT).until(() -> row(PLUG) == null);

        UspMsg.Msg bad = ctl.operate(adapter + "RemoveDevice()", "y", true, Map.of());
        assertThat(bad.getBody().getResponse().getOperateResp().getOperationResults(0).getCmdFailure().getErrCode())
                .as("%s", bad).isIn(7004, 7027);
    }
}
