package io.uspbridge.bench;

import io.uspbridge.app.AgentSchema;
import io.uspbridge.message.MessageDispatcher;
import io.uspbridge.message.MessageHandlers;
import io.uspbridge.message.MessageSettings;
import io.uspbridge.message.Messages;
import io.uspbridge.model.DataModel;
import io.uspbridge.model.ObjectNode;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.path.ReferenceResolver;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import io.uspbridge.record.RecordLayer;
import io.uspbridge.record.RecordMetrics;
import io.uspbridge.record.RecordingChannel;
import io.uspbridge.record.TrustedControllers;
import io.uspbridge.security.AccessControl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A controller's Get through the whole agent stack, bytes in and bytes out: Record decode, Msg decode, permission
 * lookup, path resolution, the Get handler reading the tree, response and Record encode. The hub: the standard
 * TR-181 schema with 100 {@code Device.ProxiedDevice} rows, each with its mounted DeviceInfo and four capabilities
 * (a switch, a dimmer, a temperature sensor, a motion sensor) — about 5,000 values in all.
 *
 * <p>Run: {@code ./mvnw -Pbench test} (see the {@code bench} profile), or after {@code ./mvnw test-compile}:
 * {@code java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main
 * GetBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class GetBenchmark {
    static final String AGENT = "proto::usp-bridge";
    static final String CONTROLLER = "proto::controller";
    static final int DEVICES = 100;

    private RecordLayer layer;
    private final RecordingChannel channel = new RecordingChannel();
    private ReplyAddress reply;
    private byte[] getDevice;
    private byte[] getDeviceInfo;
    private byte[] getSwitches;
    private int responseBytes;

    @Setup(Level.Trial)
    public void setUp() {
        DataModel model = hub();
        AccessControl access = new AccessControl(model);
        MessageDispatcher dispatcher = MessageHandlers.register(new MessageDispatcher(access::forController), model,
                MessageSettings.defaults(), Runnable::run);
        layer = new RecordLayer(AGENT, new TrustedControllers(CONTROLLER), dispatcher, ref -> channel,
                RecordMetrics.NONE);
        reply = new ReplyAddress(channel, "usp/controller");
        getDevice = record("get-device", "Device.");
        getDeviceInfo = record("get-info", "Device.DeviceInfo.");
        getSwitches = record("get-switches", "Device.ProxiedDevice.*.IoTCapability.[Class==\"BinaryControl\"]."
                + "BinaryControl.Value");
        responseBytes = roundTrip(getDevice).length;
        if (responseBytes < 100_000) {
            throw new IllegalStateException("the Get of Device. answered only " + responseBytes + " bytes");
        }
    }

    /** Bytes in, response bytes out. */
    byte[] roundTrip(byte[] record) {
        layer.onRecord(record, reply);
        byte[] answer = channel.last();
        channel.sent().clear();
        if (answer == null) {
            throw new IllegalStateException("no answer");
        }
        return answer;
    }

    @Benchmark
    public byte[] getWholeDevice() {
        return roundTrip(getDevice);
    }

    @Benchmark
    public byte[] getDeviceInfo() {
        return roundTrip(getDeviceInfo);
    }

    @Benchmark
    public byte[] getEverySwitchValueBySearch() {
        return roundTrip(getSwitches);
    }

    private static byte[] record(String msgId, String path) {
        UspMsg.Msg msg = Messages.request(msgId, UspMsg.Header.MsgType.GET, UspMsg.Request.newBuilder()
                .setGet(UspMsg.Get.newBuilder().addParamPaths(path)).build());
        return UspRecord.Record.newBuilder().setVersion("1.4").setFromId(CONTROLLER).setToId(AGENT)
                .setNoSessionContext(UspRecord.NoSessionContextRecord.newBuilder().setPayload(msg.toByteString()))
                .build().toByteArray();
    }

    /** The hub: the agent's own objects, one controller with full access, and 100 devices. */
    static DataModel hub() {
        DataModel m = new DataModel(AgentSchema.build());
        m.setReferenceResolver(new ReferenceResolver(m));
        ObjectNode info = m.find("Device.DeviceInfo.");
        set(m, info, "Manufacturer", "USP Bridge project", "ModelName", "Raspberry Pi 4", "SerialNumber",
                "10000000abcdef", "SoftwareVersion", "0.1.0", "ProductClass", "IoT-Hub");
        ObjectNode agent = m.find("Device.LocalAgent.");
        set(m, agent, "EndpointID", AGENT, "SoftwareVersion", "0.1.0");
        ObjectNode trust = agent.child("ControllerTrust");
        ObjectNode role = m.addRow(trust, "Role", values("Name", "full-access", "Enable", "true"));
        m.addRow(role, "Permission", values("Enable", "true", "Order", "1", "Targets", "Device.", "Param", "rwxn",
                "Obj", "rwxn", "InstantiatedObj", "rwxn", "CommandEvent", "rwxn"));
        m.addRow(agent, "Controller", values("EndpointID", CONTROLLER, "Enable", "true", "AssignedRole",
                role.referencePath()));
        for (int i = 1; i <= DEVICES; i++) {
            ObjectNode d = m.addRow(m.root(), "ProxiedDevice", values("Name", "device " + i, "Type", "Light",
                    "Online", "true", "ProxyProtocol", "ZigBee", "LastTimeContacted", "2025-01-01T00:00:00Z"));
            set(m, m.ensureChild(d, "DeviceInfo"), "Manufacturer", "IKEA of Sweden", "ModelName",
                    "TRADFRI bulb E27", "SerialNumber", String.format("0x00158d0001%06x", i), "SoftwareVersion",
                    "2.3.095");
            capability(m, d, "switch", "BinaryControl", "Type", "Switch", "Value", "true");
            capability(m, d, "dimmer", "LevelControl", "Type", "Brightness", "Unit", "%", "MinValue", "0",
                    "MaxValue", "100", "StepValue", "10", "Value", "42");
            capability(m, d, "temperature", "LevelSensor", "Type", "Temperature", "Unit", "degC", "Value", "21.5",
                    "LastChange", "2025-01-01T00:00:00Z");
            capability(m, d, "motion", "BinarySensor", "Type", "MotionDetected", "Value", "false", "Sensitivity",
                    "50");
        }
        return m;
    }

    private static void capability(DataModel m, ObjectNode device, String name, String cls, String... kv) {
        ObjectNode cap = m.addRow(device, "IoTCapability", values("Name", name, "Class", cls));
        set(m, m.ensureChild(cap, cls), kv);
    }

    private static void set(DataModel m, ObjectNode node, String... kv) {
        for (int i = 0; i < kv.length; i += 2) {
            m.set(node, kv[i], kv[i + 1]);
        }
    }

    private static Map<String, String> values(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }
}
