package io.uspbridge.adapter.zigbee2mqtt;

import static io.uspbridge.proxy.spi.Stages.done;
import static io.uspbridge.proxy.spi.Stages.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uspbridge.proxy.spi.AdapterException;
import io.uspbridge.proxy.spi.CapabilityClass;
import io.uspbridge.proxy.spi.CapabilityCommand;
import io.uspbridge.proxy.spi.CapabilityDescription;
import io.uspbridge.proxy.spi.CapabilityValue;
import io.uspbridge.proxy.spi.DeviceDescription;
import io.uspbridge.proxy.spi.RecordingSink;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter against the Zigbee2MQTT simulator over a real MQTT 5 broker (HiveMQ CE embedded), with a recording
 * sink in place of the core. Each test has its own base topic, so retained messages of one never reach another.
 */
class Zigbee2MqttAdapterTest {

    static final String LIGHT = "zigbee:0x000b57fffe1a2b01";
    static final String SENSOR = "zigbee:0x00124b0021aabb02";
    static final String PLUG = "zigbee:0x00158d0003cc4d03";
    private static final AtomicInteger RUN = new AtomicInteger();
    private static TestBroker broker;

    private final String base = "z2m-test-" + RUN.incrementAndGet();
    private final RecordingSink sink = new RecordingSink();
    private Zigbee2MqttSimulator sim;
    private Zigbee2MqttAdapter adapter;

    @BeforeAll
    static void broker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void stop() {
        if (adapter != null) {
            adapter.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** The adapter first, then Zigbee2MQTT: the adapter hears the devices' (non-retained) state reports. */
    private void start(Duration writeTimeout) {
        adapter = new Zigbee2MqttAdapter(Zigbee2MqttSettings.of(broker.url()).withClientId("adapter-" + base)
                .withBaseTopic(base).withTimeouts(writeTimeout, Duration.ofSeconds(5)));
        adapter.start(sink);
        await().atMost(15, TimeUnit.SECONDS).until(() -> sink.lastStatus().isPresent()
                && sink.lastStatus().get().lastError().startsWith("connected"));
        sim = new Zigbee2MqttSimulator(broker.url(), base).start();
        await().atMost(15, TimeUnit.SECONDS).until(() -> sink.devices().size() == 3 && sink.online(LIGHT)
                && sink.online(SENSOR) && sink.online(PLUG) && sink.lastValue(PLUG, "state").isPresent());
    }

    private void start() {
        start(Duration.ofSeconds(5));
    }



    private static CapabilityDescription cap(DeviceDescription d, String key) {
        return d.capabilities().stream().filter(c -> c.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(d.name() + " has no " + key));
    }

    @Test
    void devicesAppearWithTheirCapabilitiesAndCurrentValues() {
        start();
        DeviceDescription light = sink.device(LIGHT).orElseThrow();
        assertThat(light.name()).isEqualTo("light");
        assertThat(light.type()).isEqualTo("Light");
        assertThat(light.manufacturer()).isEqualTo("IKEA");
        assertThat(light.model()).isEqualTo("LED1545G12");
        assertThat(light.firmware()).isEqualTo("2.3.093");
        assertThat(light.capabilities()).extracting(CapabilityDescription::key)
                .containsExactly("state", "brightness", "color_temp");
        assertThat(sink.lastValue(LIGHT, "state")).contains(new CapabilityValue.Binary(true));
        assertThat(sink.lastValue(LIGHT, "brightness")).contains(new CapabilityValue.Level(new BigDecimal("50.39")));
        assertThat(sink.lastValue(LIGHT, "color_temp")).contains(new CapabilityValue.Level(new BigDecimal("3333")));
        assertThat(cap(light, "brightness").unit()).isEqualTo("%");
        assertThat(cap(light, "color_temp").unit()).isEqualTo("K");

        DeviceDescription sensor = sink.device(SENSOR).orElseThrow();
        assertThat(sensor.type()).isEqualTo("Sensor");
        assertThat(sensor.capabilities()).extracting(CapabilityDescription::key)
                .containsExactly("battery", "temperature", "humidity", "voltage");
        assertThat(sink.lastValue(SENSOR, "voltage")).contains(new CapabilityValue.Level(new BigDecimal("3")));
        assertThat(sink.lastValue(SENSOR, "temperature")).contains(new CapabilityValue.Level(new BigDecimal("21.3")));

        DeviceDescription plug = sink.device(PLUG).orElseThrow();
        assertThat(plug.type()).isEqualTo("PowerStrip");
        assertThat(plug.capabilities()).extracting(CapabilityDescription::key)
                .containsExactly("state", "power", "voltage", "current", "energy");

        assertThat(sink.inventories).isNotEmpty();
        assertThat(sink.inventories.get(sink.inventories.size() - 1)).containsExactlyInAnyOrder(LIGHT, SENSOR, PLUG);
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.lastStatus().map(s -> s.connected()).orElse(false));
        assertThat(adapter.proxyProtocol()).isEqualTo("ZigBee");
        assertThat(sink.removed).isEmpty();
    }

    @Test
    void retainedStatesThatArriveBeforeTheDeviceListBecomeInitialValues() {
        // Zigbee2MQTT with "retain: true" for a device: its state is retained, and may reach a new subscriber
        // before bridge/devices does.
        sim = new Zigbee2MqttSimulator(broker.url(), base).start();
        sim.raw("th_sensor", "{\"temperature\":18.25,\"humidity\":60,\"battery\":77}", true);
        adapter = new Zigbee2MqttAdapter(Zigbee2MqttSettings.of(broker.url()).withClientId("adapter-" + base)
                .withBaseTopic(base));
        adapter.start(sink);
        await().atMost(15, TimeUnit.SECONDS).until(() -> sink.device(SENSOR).isPresent() && sink.online(SENSOR));
        DeviceDescription sensor = sink.device(SENSOR).orElseThrow();
        assertThat(sink.lastValue(SENSOR, "temperature").or(() -> java.util.Optional.ofNullable(
                cap(sensor, "temperature").initial()))).contains(new CapabilityValue.Level(new BigDecimal("18.25")));
        assertThat(sink.lastValue(SENSOR, "battery").or(() -> java.util.Optional.ofNullable(
                cap(sensor, "battery").initial()))).contains(new CapabilityValue.Level(new BigDecimal("77")));
    }

    @Test
    void aWriteIsPublishedAsSetAndCompletesWhenTheStateEchoArrives() throws Exception {
        start();
        done(adapter.write(LIGHT, null, "brightness", new CapabilityValue.Level(new BigDecimal("25"))));
        // 25 % of 0..254 is 63.5, rounded to the whole number Zigbee2MQTT takes.
        assertThat(sim.received()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("light");
            assertThat(r.kind()).isEqualTo("set");
            assertThat(r.payload()).isEqualTo(json("{\"brightness\":64}"));
        });
        assertThat(sim.state("light").get("brightness").asInt()).isEqualTo(64);
        // The echo came back as a value report before the write completed.
        assertThat(sink.lastValue(LIGHT, "brightness")).contains(new CapabilityValue.Level(new BigDecimal("25.2")));

        done(adapter.write(PLUG, null, "state", new CapabilityValue.Binary(false)));
        assertThat(sim.state("plug").get("state").asText()).isEqualTo("OFF");
        assertThat(sink.lastValue(PLUG, "state")).contains(new CapabilityValue.Binary(false));

        done(adapter.write(LIGHT, null, "color_temp", new CapabilityValue.Level(new BigDecimal("2700"))));
        assertThat(sim.state("light").get("color_temp").asInt()).isEqualTo(370);
    }

    @Test
    void toggleUsesZigbee2mqttsNativeToggle() throws Exception {
        start();
        CompletionStage<Void> toggle = adapter.invoke(LIGHT, null, "state", CapabilityCommand.TOGGLE);
        assertThat(toggle).isNotNull();
        done(toggle);
        assertThat(sim.received()).anySatisfy(r -> assertThat(r.payload()).isEqualTo(json("{\"state\":\"TOGGLE\"}")));
        assertThat(sim.state("light").get("state").asText()).isEqualTo("OFF");
        assertThat(sink.lastValue(LIGHT, "state")).contains(new CapabilityValue.Binary(false));
        // Step commands and features without value_toggle are left to the core.
        assertThat(adapter.invoke(LIGHT, null, "brightness", CapabilityCommand.STEP_UP)).isNull();
        assertThat(adapter.invoke(SENSOR, null, "temperature", CapabilityCommand.TOGGLE)).isNull();
    }

    @Test
    void aWriteToASilentDeviceTimesOut() {
        start(Duration.ofMillis(400));
        sim.silence("plug");
        assertThat(failure(adapter.write(PLUG, null, "state", new CapabilityValue.Binary(false))))
                .isEqualTo(AdapterException.Reason.TIMEOUT);
    }

    @Test
    void aSetThatZigbee2mqttLogsAsFailedIsRejected() {
        start(Duration.ofSeconds(30));
        sim.failNext("light");
        assertThat(failure(adapter.write(LIGHT, null, "state", new CapabilityValue.Binary(false))))
                .isEqualTo(AdapterException.Reason.REJECTED);
    }

    @Test
    void badWritesFailWithTheRightReason() throws Exception {
        start();
        assertThat(failure(adapter.write("zigbee:0xdeadbeefdeadbeef", null, "state", new CapabilityValue.Binary(true))))
                .isEqualTo(AdapterException.Reason.UNKNOWN_DEVICE);
        assertThat(failure(adapter.write(LIGHT, null, "nope", new CapabilityValue.Binary(true))))
                .isEqualTo(AdapterException.Reason.UNKNOWN_DEVICE);
        assertThat(failure(adapter.write(SENSOR, null, "temperature", CapabilityValue.Level.of(20))))
                .isEqualTo(AdapterException.Reason.NOT_SUPPORTED);
        assertThat(failure(adapter.write(LIGHT, null, "state", CapabilityValue.Level.of(1))))
                .isEqualTo(AdapterException.Reason.INVALID_VALUE);
        assertThat(sim.received()).isEmpty();
    }

    @Test
    void stateReportsBecomeValueChanges() {
        start();
        sim.report("th_sensor", "{\"temperature\":22.7,\"voltage\":2950,\"humidity\":51}");
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(sink.lastValue(SENSOR, "temperature")).contains(new CapabilityValue.Level(new BigDecimal("22.7")));
            assertThat(sink.lastValue(SENSOR, "voltage")).contains(new CapabilityValue.Level(new BigDecimal("2.95")));
            assertThat(sink.lastValue(SENSOR, "humidity")).contains(new CapabilityValue.Level(new BigDecimal("51")));
        });
        // linkquality is in every report but is not a capability.
        assertThat(sink.values).noneMatch(v -> v.capabilityKey().equals("linkquality"));
    }

    @Test
    void bridgeOfflineTakesEveryDeviceOfflineAndBack() {
        start();
        sim.bridgeOnline(false);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !sink.online(LIGHT) && !sink.online(SENSOR) && !sink.online(PLUG));
        assertThat(sink.lastStatus().orElseThrow().connected()).isFalse();
        assertThat(failure(adapter.write(PLUG, null, "state", new CapabilityValue.Binary(false))))
                .isEqualTo(AdapterException.Reason.DISCONNECTED);
        assertThat(sink.removed).isEmpty();
        sim.bridgeOnline(true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.online(LIGHT) && sink.online(SENSOR) && sink.online(PLUG));
        assertThat(sink.lastStatus().orElseThrow().connected()).isTrue();
    }

    @Test
    void availabilityTopicsInJsonAndLegacyForm() {
        start();
        sim.availability("plug", false, true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !sink.online(PLUG));
        assertThat(sink.online(LIGHT)).isTrue();
        sim.availability("plug", true, false);
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.online(PLUG));
        sim.availability("light", false, false);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !sink.online(LIGHT));
    }

    @Test
    void aDeviceThatLeavesIsRemoved() {
        start();
        sim.leave("0x00124b0021aabb02");
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.removed.contains(SENSOR));
        assertThat(sink.device(SENSOR)).isEmpty();
        assertThat(failure(adapter.write(SENSOR, null, "battery", CapabilityValue.Level.of(1))))
                .isEqualTo(AdapterException.Reason.UNKNOWN_DEVICE);
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.inventories.get(sink.inventories.size() - 1)
                .equals(java.util.Set.of(LIGHT, PLUG)));
        assertThat(sink.removed).containsExactly(SENSOR);
    }

    @Test
    void renameKeepsTheKeyAndChangesTheName() throws Exception {
        start();
        Map<String, String> out = done(adapter.runCommand(Zigbee2MqttAdapter.RENAME_DEVICE,
                Map.of("Device", PLUG, "NewName", "kitchen_plug")));
        assertThat(out).containsEntry("Name", "kitchen_plug");
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.device(PLUG).map(DeviceDescription::name)
                .filter("kitchen_plug"::equals).isPresent());
        assertThat(sink.removed).isEmpty();
        assertThat(sink.online(PLUG)).isTrue();
        // The device now lives on its new topics.
        sim.report("kitchen_plug", "{\"power\":99.5}");
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.lastValue(PLUG, "power")
                .equals(java.util.Optional.of(new CapabilityValue.Level(new BigDecimal("99.5")))));
        done(adapter.write(PLUG, null, "state", new CapabilityValue.Binary(false)));
        assertThat(sim.received()).anySatisfy(r -> assertThat(r.name()).isEqualTo("kitchen_plug"));
        // A refused rename is a REJECTED failure, with Zigbee2MQTT's reason.
        assertThat(failure(adapter.runCommand(Zigbee2MqttAdapter.RENAME_DEVICE,
                Map.of("Device", LIGHT, "NewName", "kitchen_plug")))).isEqualTo(AdapterException.Reason.REJECTED);
    }

    @Test
    void permitJoinMatchesItsResponseByTransaction() throws Exception {
        start();
        Map<String, String> out = done(adapter.runCommand(Zigbee2MqttAdapter.PERMIT_JOIN, Map.of("Duration", "60")));
        assertThat(out).containsEntry("Duration", "60");
        assertThat(sim.permitJoin()).isTrue();
        JsonNode request = sim.requests().get(0);
        assertThat(request.get("time").asInt()).isEqualTo(60);
        assertThat(request.get("transaction").asText()).isNotBlank();

        // Only the response with our transaction completes the command.
        sim.muteRequests(true);
        CompletionStage<Map<String, String>> close = adapter.runCommand(Zigbee2MqttAdapter.PERMIT_JOIN,
                Map.of("Duration", "0"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> sim.requests().size() == 2);
        String ours = sim.requests().get(1).get("transaction").asText();
        sim.raw("bridge/response/permit_join", "{\"data\":{},\"status\":\"error\",\"error\":\"not yours\","
                + "\"transaction\":\"someone-else-1\"}", false);
        sim.raw("bridge/response/permit_join", "{\"data\":{\"time\":0},\"status\":\"ok\"}", false);
        sim.raw("bridge/response/device/remove", "{\"data\":{},\"status\":\"ok\",\"transaction\":\"" + ours + "\"}",
                false);
        sim.raw("bridge/response/permit_join", "{\"data\":{\"time\":0},\"status\":\"ok\",\"transaction\":\"" + ours
                + "\"}", false);
        assertThat(done(close)).containsEntry("Duration", "0");

        assertThat(failure(adapter.runCommand(Zigbee2MqttAdapter.PERMIT_JOIN, Map.of("Duration", "255"))))
                .isEqualTo(AdapterException.Reason.INVALID_VALUE);
        assertThat(failure(adapter.runCommand("Reboot", Map.of()))).isEqualTo(AdapterException.Reason.NOT_SUPPORTED);
    }

    @Test
    void removeDeviceAsksZigbee2mqttAndRemovesTheRow() throws Exception {
        start();
        done(adapter.runCommand(Zigbee2MqttAdapter.REMOVE_DEVICE, Map.of("Device", LIGHT, "Force", "true")));
        assertThat(sim.requests()).anySatisfy(r -> {
            assertThat(r.get("id").asText()).isEqualTo("0x000b57fffe1a2b01");
            assertThat(r.get("force").asBoolean()).isTrue();
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.removed.contains(LIGHT));
        assertThat(sink.removed).containsExactly(LIGHT);
        assertThat(failure(adapter.runCommand(Zigbee2MqttAdapter.REMOVE_DEVICE, Map.of("Device", LIGHT))))
                .isEqualTo(AdapterException.Reason.UNKNOWN_DEVICE);
        assertThat(adapter.commands()).extracting(c -> c.name()).containsExactly("PermitJoin", "RemoveDevice",
                "RenameDevice");
    }

    @Test
    void aJoiningDeviceAppearsOnceItsInterviewSucceeds() throws Exception {
        start();
        JsonNode lock = Zigbee2MqttSimulator.resource("synthetic-devices.json").get("devices").get(0);
        String key = "zigbee:" + lock.get("ieee_address").asText();
        sim.join(lock, "{\"state\":\"LOCK\",\"lock_state\":\"locked\",\"battery\":87}");
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.device(key).isPresent());
        DeviceDescription d = sink.device(key).orElseThrow();
        assertThat(d.type()).isEqualTo("Lock");
        assertThat(cap(d, "state").capabilityClass()).isEqualTo(CapabilityClass.BINARY_CONTROL);
        assertThat(cap(d, "state").type()).isEqualTo("Locked");
        // It was never announced half-interviewed, without capabilities.
        assertThat(sink.appeared).filteredOn(a -> a.key().equals(key)).allSatisfy(a ->
                assertThat(a.capabilities()).isNotEmpty());
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.lastValue(key, "lock_state")
                .equals(java.util.Optional.of(new CapabilityValue.Enumerated("Locked"))));
        done(adapter.write(key, null, "state", new CapabilityValue.Binary(false)));
        assertThat(sim.state(d.name()).get("state").asText()).isEqualTo("UNLOCK");
    }

    @Test
    void malformedPayloadsAndOddExposesBreakNothing() throws Exception {
        start();
        sim.raw("light", "{not json", false);
        sim.raw("bridge/event", "[1,2,3]", false);
        sim.raw("bridge/event", "{\"type\":\"device_leave\"}", false);
        sim.raw("bridge/info", "\u0000\u0001", false);
        sim.raw("bridge/state", "{\"state\":\"sleepy\"}", false);
        sim.raw("plug/availability", "{\"state\":42}", false);
        sim.raw("bridge/devices", "{\"not\":\"a list\"}", false);
        sim.raw("bridge/devices", "[{\"friendly_name\":\"no ieee\"}, 7, null]xx", false);
        sim.raw("bridge/devices", "[{\"friendly_name\":\"no ieee\"}, 7, null]", false);
        sim.raw("th_sensor", "{\"temperature\":\"warm\",\"humidity\":null}", false);
        JsonNode odd = Zigbee2MqttSimulator.resource("synthetic-devices.json").get("devices").get(5);
        String oddKey = "zigbee:" + odd.get("ieee_address").asText();
        sim.join(odd, "{\"pressure\":1013.2,\"contact\":false,\"mystery\":1}");
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.device(oddKey).isPresent());
        assertThat(sink.device(oddKey).orElseThrow().capabilities()).extracting(CapabilityDescription::key)
                .contains("pressure", "contact", "schedule").doesNotContain("mystery", "noprop", "lcd_message");
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.lastValue(oddKey, "pressure")
                .equals(java.util.Optional.of(new CapabilityValue.Level(new BigDecimal("101320")))));
        assertThat(sink.lastValue(oddKey, "contact")).contains(new CapabilityValue.Binary(true));

        // Still the same three devices, still online, still working.
        assertThat(sink.removed).isEmpty();
        assertThat(sink.online(LIGHT)).isTrue();
        sim.report("th_sensor", "{\"temperature\":19.5}");
        await().atMost(5, TimeUnit.SECONDS).until(() -> sink.lastValue(SENSOR, "temperature")
                .equals(java.util.Optional.of(new CapabilityValue.Level(new BigDecimal("19.5")))));
        done(adapter.write(LIGHT, null, "state", new CapabilityValue.Binary(false)));
    }

    @Test
    void refreshAsksZigbee2mqttToReadWhatItCanRead() throws Exception {
        start();
        done(adapter.refresh(PLUG, null, "power"));
        assertThat(sim.received()).anySatisfy(r -> {
            assertThat(r.kind()).isEqualTo("get");
            assertThat(r.payload()).isEqualTo(json("{\"power\":\"\"}"));
        });
        int before = sim.received().size();
        // temperature has no GET access bit: nothing to ask, the last report stands.
        done(adapter.refresh(SENSOR, null, "temperature"));
        assertThat(sim.received()).hasSize(before);
    }

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
