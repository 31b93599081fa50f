package io.uspbridge.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.uspbridge.proto.UspMsg;
import io.uspbridge.proto.UspRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import usp.ReferenceUspMsg14;
import usp_record.ReferenceUspRecord14;

/**
 * Our wire schema ({@code src/main/proto}) is the Broadband Forum's USP 1.4 schema ({@code src/test/proto}, the
 * reference copies compiled into the packages {@code usp} and {@code usp_record}): the same messages, fields,
 * numbers, types, labels, oneofs, maps and enums, descriptor by descriptor and in both directions, and the same
 * bytes: messages encoded by one are decoded by the other into equal messages (ENC-1, ENC-2).
 */
class WireSchemaCompatibilityTest {

    // ---- descriptors -----------------------------------------------------------------------------------------

    @Test
    void theMessageSchemaIsTheReferenceSchema() {
        assertThat(differences(UspMsg.getDescriptor(), ReferenceUspMsg14.getDescriptor())).isEmpty();
        assertThat(differences(ReferenceUspMsg14.getDescriptor(), UspMsg.getDescriptor())).isEmpty();
        assertThat(UspMsg.getDescriptor().getPackage()).isEqualTo("usp");
    }

    @Test
    void theRecordSchemaIsTheReferenceSchema() {
        assertThat(differences(UspRecord.getDescriptor(), ReferenceUspRecord14.getDescriptor())).isEmpty();
        assertThat(differences(ReferenceUspRecord14.getDescriptor(), UspRecord.getDescriptor())).isEmpty();
        assertThat(UspRecord.getDescriptor().getPackage()).isEqualTo("usp_record");
    }

    @Test
    void theComparisonFindsADifferentSchema() {
        // Msg and Record are different schemas: the walk must say so, or an empty list above proves nothing.
        assertThat(differences(UspMsg.getDescriptor(), UspRecord.getDescriptor()))
                .contains("message usp.Msg: missing in the other schema")
                .anyMatch(d -> d.startsWith("package: usp"));
        Descriptor ours = UspMsg.Get.getDescriptor();
        Descriptor other = UspMsg.GetInstances.getDescriptor();
        List<String> out = new ArrayList<>();
        compareMessage(ours, other, out);
        assertThat(out).contains("usp.Get.param_paths: missing in the other schema",
                "usp.Get.max_depth: missing in the other schema");
    }

    /** What {@code a} declares that {@code b} lacks or declares differently (one direction). */
    static List<String> differences(FileDescriptor a, FileDescriptor b) {
        List<String> out = new ArrayList<>();
        if (!a.getPackage().equals(b.getPackage())) {
            out.add("package: " + a.getPackage() + " vs " + b.getPackage());
        }
        if (!a.toProto().getSyntax().equals(b.toProto().getSyntax())) {
            out.add("syntax: " + a.toProto().getSyntax() + " vs " + b.toProto().getSyntax());
        }
        for (Descriptor m : a.getMessageTypes()) {
            Descriptor other = b.findMessageTypeByName(m.getName());
            if (other == null) {
                out.add("message " + m.getFullName() + ": missing in the other schema");
            } else {
                compareMessage(m, other, out);
            }
        }
        for (EnumDescriptor e : a.getEnumTypes()) {
            EnumDescriptor other = b.findEnumTypeByName(e.getName());
            if (other == null) {
                out.add("enum " + e.getFullName() + ": missing in the other schema");
            } else {
                compareEnum(e, other, out);
            }
        }
        if (!b.getServices().isEmpty() || !a.getServices().isEmpty()) {
            out.add("services are not expected in a USP schema");
        }
        return out;
    }

    static void compareMessage(Descriptor a, Descriptor b, List<String> out) {
        String name = a.getFullName();
        if (!name.equals(b.getFullName())) {
            out.add("message " + name + ": named " + b.getFullName() + " in the other schema");
        }
        for (FieldDescriptor f : a.getFields()) {
            FieldDescriptor g = b.findFieldByName(f.getName());
            String path = name + "." + f.getName();
            if (g == null) {
                out.add(path + ": missing in the other schema");
                continue;
            }
            if (f.getNumber() != g.getNumber()) {
                out.add(path + ": number " + f.getNumber() + " vs " + g.getNumber());
            }
            if (f.getType() != g.getType()) {
                out.add(path + ": type " + f.getType() + " vs " + g.getType());
            }
            if (f.isRepeated() != g.isRepeated() || f.isRequired() != g.isRequired()
                    || f.hasPresence() != g.hasPresence()) {
                out.add(path + ": label " + label(f) + " vs " + label(g));
            }
            if (f.isPacked() != g.isPacked()) {
                out.add(path + ": packed " + f.isPacked() + " vs " + g.isPacked());
            }
            if (f.isMapField() != g.isMapField()) {
                out.add(path + ": map " + f.isMapField() + " vs " + g.isMapField());
            }
            String oneofA = f.getRealContainingOneof() == null ? null : f.getRealContainingOneof().getName();
            String oneofB = g.getRealContainingOneof() == null ? null : g.getRealContainingOneof().getName();
            if (!Objects.equals(oneofA, oneofB)) {
                out.add(path + ": oneof " + oneofA + " vs " + oneofB);
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !f.getMessageType().getFullName().equals(g.getMessageType().getFullName())) {
                out.add(path + ": message type " + f.getMessageType().getFullName() + " vs "
                        + g.getMessageType().getFullName());
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.ENUM
                    && !f.getEnumType().getFullName().equals(g.getEnumType().getFullName())) {
                out.add(path + ": enum type " + f.getEnumType().getFullName() + " vs "
                        + g.getEnumType().getFullName());
            }
        }
        for (OneofDescriptor o : a.getRealOneofs()) {
            Set<String> members = new TreeSet<>();
            o.getFields().forEach(f -> members.add(f.getName()));
            OneofDescriptor p = b.getRealOneofs().stream().filter(x -> x.getName().equals(o.getName())).findFirst()
                    .orElse(null);
            if (p == null) {
                out.add(name + " oneof " + o.getName() + ": missing in the other schema");
                continue;
            }
            Set<String> others = new TreeSet<>();
            p.getFields().forEach(f -> others.add(f.getName()));
            if (!members.equals(others)) {
                out.add(name + " oneof " + o.getName() + ": members " + members + " vs " + others);
            }
        }
        for (Descriptor nested : a.getNestedTypes()) {
            Descriptor other = b.findNestedTypeByName(nested.getName());
            if (other == null) {
                out.add("message " + nested.getFullName() + ": missing in the other schema");
            } else {
                compareMessage(nested, other, out);
            }
        }
        for (EnumDescriptor e : a.getEnumTypes()) {
            EnumDescriptor other = b.findEnumTypeByName(e.getName());
            if (other == null) {
                out.add("enum " + e.getFullName() + ": missing in the other schema");
            } else {
                compareEnum(e, other, out);
            }
        }
    }

    static void compareEnum(EnumDescriptor a, EnumDescriptor b, List<String> out) {
        for (EnumValueDescriptor v : a.getValues()) {
            EnumValueDescriptor w = b.findValueByName(v.getName());
            if (w == null) {
                out.add("enum " + a.getFullName() + "." + v.getName() + ": missing in the other schema");
            } else if (v.getNumber() != w.getNumber()) {
                out.add("enum " + a.getFullName() + "." + v.getName() + ": " + v.getNumber() + " vs "
                        + w.getNumber());
            }
        }
        if (a.isClosed() != b.isClosed()) {
            out.add("enum " + a.getFullName() + ": closed " + a.isClosed() + " vs " + b.isClosed());
        }
    }

    private static String label(FieldDescriptor f) {
        return f.isRepeated() ? "repeated" : f.isRequired() ? "required" : f.hasPresence() ? "optional" : "singular";
    }

    // ---- bytes: every message type, every oneof member, in both directions -----------------------------------

    @Test
    void everyMessageOurSchemaEncodesTheReferenceDecodesAndBack() throws Exception {
        crossEncode(UspMsg.Msg.getDefaultInstance(), ReferenceUspMsg14.Msg.getDefaultInstance());
    }

    @Test
    void everyRecordOurSchemaEncodesTheReferenceDecodesAndBack() throws Exception {
        crossEncode(UspRecord.Record.getDefaultInstance(), ReferenceUspRecord14.Record.getDefaultInstance());
    }

    /**
     * Generates, for both schemas alike, messages that set every field (two items in repeated fields and maps,
     * values at the edge of their type: fixed32 and uint64 above the signed range) and together choose every member
     * of every oneof; each one encoded by one side decodes on the other into the message that side generated.
     */
    private static void crossEncode(Message ours, Message reference) throws InvalidProtocolBufferException {
        Coverage ourCoverage = new Coverage();
        Coverage referenceCoverage = new Coverage();
        List<Message> ourMessages = Generator.variants(ours, 0, ourCoverage);
        List<Message> referenceMessages = Generator.variants(reference, 0, referenceCoverage);

        assertThat(ourMessages).hasSameSizeAs(referenceMessages).hasSizeGreaterThan(10);
        assertThat(ourCoverage.unset(ours.getDescriptorForType()))
                .as("fields and oneof members no generated message sets").isEmpty();
        assertThat(ourCoverage.set).isEqualTo(referenceCoverage.set);
        for (int i = 0; i < ourMessages.size(); i++) {
            Message o = ourMessages.get(i);
            Message r = referenceMessages.get(i);
            Message decodedByReference = reference.getParserForType().parseFrom(o.toByteArray());
            Message decodedByUs = ours.getParserForType().parseFrom(r.toByteArray());
            assertThat(decodedByReference).as("ours → reference, message %d", i).isEqualTo(r);
            assertThat(decodedByUs).as("reference → ours, message %d", i).isEqualTo(o);
            assertThat(decodedByReference.getUnknownFields().asMap()).isEmpty();
            assertThat(TextFormat.printer().printToString(decodedByReference))
                    .isEqualTo(TextFormat.printer().printToString(o));
        }
    }

    /** Which fields (by full name) the generated messages set. */
    static final class Coverage {
        final Set<String> set = new TreeSet<>();

        /** Every field reachable from {@code root} that no generated message set. */
        Set<String> unset(Descriptor root) {
            Set<String> all = new TreeSet<>();
            collect(root, all, new LinkedHashSet<>());
            all.removeAll(set);
            return all;
        }

        private static void collect(Descriptor d, Set<String> all, Set<String> seen) {
            if (!seen.add(d.getFullName()) || d.getOptions().getMapEntry()) {
                return;
            }
            for (FieldDescriptor f : d.getFields()) {
                all.add(f.getFullName());
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    collect(f.getMessageType(), all, seen);
                }
            }
        }
    }

    /**
     * Builds messages by reflection from a prototype, so the same values come out of both schemas' generated
     * classes. A message yields as many variants as its richest field: variant k takes variant k (cyclically) of
     * every field and the k-th choice of every oneof, where a oneof's choices are each member with each of its
     * own variants.
     */
    static final class Generator {
        private static final int MAX_DEPTH = 12;

        static List<Message> variants(Message prototype, int depth, Coverage coverage) {
            Descriptor d = prototype.getDescriptorForType();
            Message.Builder probe = prototype.newBuilderForType();
            Map<FieldDescriptor, List<Object>> plain = new LinkedHashMap<>();
            List<List<Object[]>> oneofs = new ArrayList<>();
            for (FieldDescriptor f : d.getFields()) {
                if (f.getRealContainingOneof() == null) {
                    plain.put(f, values(probe, f, depth, coverage));
                }
            }
            for (OneofDescriptor o : d.getRealOneofs()) {
                List<Object[]> choices = new ArrayList<>();
                for (FieldDescriptor f : o.getFields()) {
                    for (Object v : values(probe, f, depth, coverage)) {
                        choices.add(new Object[] {f, v});
                    }
                }
                oneofs.add(choices);
            }
            int n = 1;
            for (List<Object> v : plain.values()) {
                n = Math.max(n, v.size());
            }
            for (List<Object[]> c : oneofs) {
                n = Math.max(n, c.size());
            }
            List<Message> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                Message.Builder b = prototype.newBuilderForType();
                for (Map.Entry<FieldDescriptor, List<Object>> e : plain.entrySet()) {
                    if (!e.getValue().isEmpty()) {
                        set(b, e.getKey(), e.getValue().get(k % e.getValue().size()), coverage);
                    }
                }
                for (List<Object[]> c : oneofs) {
                    if (!c.isEmpty()) {
                        Object[] choice = c.get(k % c.size());
                        set(b, (FieldDescriptor) choice[0], choice[1], coverage);
                    }
                }
                out.add(b.build());
            }
            return out;
        }

        private static void set(Message.Builder b, FieldDescriptor f, Object value, Coverage coverage) {
            coverage.set.add(f.getFullName());
            if (f.isRepeated()) {
                for (Object item : (List<?>) value) {
                    b.addRepeatedField(f, item);
                }
            } else {
                b.setField(f, value);
            }
        }

        /** The values one field takes across variants: a repeated field or map gets two items each time. */
        private static List<Object> values(Message.Builder probe, FieldDescriptor f, int depth, Coverage coverage) {
            List<Object> single;
            if (f.isMapField()) {
                Message.Builder entry = probe.newBuilderForField(f);
                Descriptor ed = f.getMessageType();
                FieldDescriptor key = ed.findFieldByName("key");
                FieldDescriptor value = ed.findFieldByName("value");
                List<Object> keys = scalars(key);
                List<Object> vals = value.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        ? new ArrayList<>(variants(entry.newBuilderForField(value).getDefaultInstanceForType(),
                                depth + 1, coverage))
                        : scalars(value);
                single = new ArrayList<>();
                for (int i = 0; i < Math.max(keys.size(), vals.size()); i++) {
                    single.add(entry.clone().clear().setField(key, keys.get(i % keys.size()))
                            .setField(value, vals.get(i % vals.size())).build());
                }
                coverage.set.add(key.getFullName());
                coverage.set.add(value.getFullName());
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (depth >= MAX_DEPTH) {
                    return List.of();
                }
                single = new ArrayList<>(variants(probe.newBuilderForField(f).getDefaultInstanceForType(), depth + 1,
                        coverage));
            } else {
                single = scalars(f);
            }
            if (!f.isRepeated()) {
                return single;
            }
            List<Object> lists = new ArrayList<>();
            for (int i = 0; i < single.size(); i++) {
                lists.add(List.of(single.get(i), single.get((i + 1) % single.size())));
            }
            if (single.size() == 1) {
                lists.add(List.of(single.get(0)));
            }
            return lists;
        }

        /** Two distinct, non-default values of a scalar field, at the edges of its wire type. */
        private static List<Object> scalars(FieldDescriptor f) {
            String tag = f.getName() + "#" + f.getNumber();
            return switch (f.getType()) {
                case STRING -> List.of(tag + " ✓", "Device.LocalAgent.Controller.1." + tag);
                case BYTES -> List.of(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xFF}),
                        ByteString.copyFromUtf8(tag));
                case BOOL -> List.of(true, true);
                // fixed32 (err_code, max_depth, reason_code) and uint32 above 2^31 (ENC-2)
                case FIXED32, UINT32 -> List.of(7004, (int) 0xFFFFFFF0L);
                case INT32, SINT32, SFIXED32 -> List.of(-7, Integer.MAX_VALUE);
                // uint64 session and sequence ids above 2^63
                case UINT64, FIXED64 -> List.of(1L, 0xFFFFFFFFFFFFFFF0L);
                case INT64, SINT64, SFIXED64 -> List.of(-1L, Long.MAX_VALUE);
                case DOUBLE -> List.of(1.5d, -2.25d);
                case FLOAT -> List.of(1.5f, -2.25f);
                case ENUM -> {
                    List<EnumValueDescriptor> values = f.getEnumType().getValues();
                    List<Object> out = new ArrayList<>();
                    for (EnumValueDescriptor v : values) {
                        if (v.getNumber() != 0) {
                            out.add(v);
                        }
                    }
                    yield out.isEmpty() ? List.of(values.get(0)) : out;
                }
                default -> throw new IllegalArgumentException("unexpected field type " + f.getType() + " of " + tag);
            };
        }
    }

    // ---- bytes: realistic messages, read field by field on the other side -------------------------------------

    @Test
    void aSessionContextRecordCarryingAGetResponseReadsTheSameWithTheReference() throws Exception {
        UspMsg.Msg resp = UspMsg.Msg.newBuilder()
                .setHeader(UspMsg.Header.newBuilder().setMsgId("get-42").setMsgType(UspMsg.Header.MsgType.GET_RESP))
                .setBody(UspMsg.Body.newBuilder().setResponse(UspMsg.Response.newBuilder().setGetResp(
                        UspMsg.GetResp.newBuilder().addReqPathResults(UspMsg.GetResp.RequestedPathResult.newBuilder()
                                .setRequestedPath("Device.LocalAgent.Controller.*.")
                                .addResolvedPathResults(UspMsg.GetResp.ResolvedPathResult.newBuilder()
                                        .setResolvedPath("Device.LocalAgent.Controller.1.")
                                        .putResultParams("EndpointID", "proto::controller")
                                        .putResultParams("Enable", "true"))
                                .addResolvedPathResults(UspMsg.GetResp.ResolvedPathResult.newBuilder()
                                        .setResolvedPath("Device.LocalAgent.Controller.2.")
                                        .putResultParams("EndpointID", "proto::other")))
                                .addReqPathResults(UspMsg.GetResp.RequestedPathResult.newBuilder()
                                        .setRequestedPath("Device.Nope.").setErrCode(7026)
                                        .setErrMsg("invalid path")))))
                .build();
        UspRecord.Record record = UspRecord.Record.newBuilder().setVersion("1.4").setToId("proto::controller")
                .setFromId("proto::agent").setPayloadSecurity(UspRecord.Record.PayloadSecurity.TLS12)
                .setMacSignature(ByteString.copyFromUtf8("mac")).setSenderCert(ByteString.copyFromUtf8("PEM"))
                .setSessionContext(UspRecord.SessionContextRecord.newBuilder().setSessionId(0xFFFFFFFFFFFFFFFEL)
                        .setSequenceId(7).setExpectedId(8).setRetransmitId(3)
                        .setPayloadSarState(UspRecord.SessionContextRecord.PayloadSARState.BEGIN)
                        .setPayloadrecSarState(UspRecord.SessionContextRecord.PayloadSARState.INPROCESS)
                        .addPayload(resp.toByteString().substring(0, 10))
                        .addPayload(resp.toByteString().substring(10)))
                .build();

        ReferenceUspRecord14.Record r = ReferenceUspRecord14.Record.parseFrom(record.toByteArray());
        assertThat(r.getRecordTypeCase()).isEqualTo(ReferenceUspRecord14.Record.RecordTypeCase.SESSION_CONTEXT);
        assertThat(r.getPayloadSecurity()).isEqualTo(ReferenceUspRecord14.Record.PayloadSecurity.TLS12);
        ReferenceUspRecord14.SessionContextRecord sc = r.getSessionContext();
        assertThat(sc.getSessionId()).isEqualTo(0xFFFFFFFFFFFFFFFEL);
        assertThat(sc.getPayloadrecSarState())
                .isEqualTo(ReferenceUspRecord14.SessionContextRecord.PayloadSARState.INPROCESS);
        ByteString payload = sc.getPayload(0).concat(sc.getPayload(1));

        ReferenceUspMsg14.Msg m = ReferenceUspMsg14.Msg.parseFrom(payload);
        assertThat(m.getHeader().getMsgType()).isEqualTo(ReferenceUspMsg14.Header.MsgType.GET_RESP);
        ReferenceUspMsg14.GetResp gr = m.getBody().getResponse().getGetResp();
        assertThat(gr.getReqPathResults(0).getResolvedPathResults(0).getResultParamsMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("EndpointID", "proto::controller", "Enable", "true"));
        assertThat(gr.getReqPathResults(1).getErrCode()).isEqualTo(7026);
        assertThat(UspMsg.Msg.parseFrom(m.toByteArray())).isEqualTo(resp);
        assertThat(UspRecord.Record.parseFrom(r.toByteArray())).isEqualTo(record);
    }

    @Test
    void aControllerRequestEncodedByTheReferenceReadsTheSameWithOurs() throws Exception {
        ReferenceUspMsg14.Msg request = ReferenceUspMsg14.Msg.newBuilder()
                .setHeader(ReferenceUspMsg14.Header.newBuilder().setMsgId("op-1")
                        .setMsgType(ReferenceUspMsg14.Header.MsgType.OPERATE))
                .setBody(ReferenceUspMsg14.Body.newBuilder().setRequest(ReferenceUspMsg14.Request.newBuilder()
                        .setOperate(ReferenceUspMsg14.Operate.newBuilder().setCommand("Device.ScheduleTimer()")
                                .setCommandKey("timer").setSendResp(true).putInputArgs("DelaySeconds", "30"))))
                .build();
        ReferenceUspMsg14.Msg error = ReferenceUspMsg14.Msg.newBuilder()
                .setHeader(ReferenceUspMsg14.Header.newBuilder().setMsgId("set-1")
                        .setMsgType(ReferenceUspMsg14.Header.MsgType.ERROR))
                .setBody(ReferenceUspMsg14.Body.newBuilder().setError(ReferenceUspMsg14.Error.newBuilder()
                        .setErrCode(7004).setErrMsg("invalid arguments")
                        .addParamErrs(ReferenceUspMsg14.Error.ParamError.newBuilder()
                                .setParamPath("Device.LocalAgent.Controller.1.Enable").setErrCode(7012))))
                .build();
        ReferenceUspRecord14.Record mqttConnect = ReferenceUspRecord14.Record.newBuilder().setVersion("1.4")
                .setToId("proto::agent").setFromId("proto::controller")
                .setMqttConnect(ReferenceUspRecord14.MQTTConnectRecord.newBuilder()
                        .setVersion(ReferenceUspRecord14.MQTTConnectRecord.MQTTVersion.V5)
                        .setSubscribedTopic("usp/controller"))
                .build();

        UspMsg.Operate op = UspMsg.Msg.parseFrom(request.toByteArray()).getBody().getRequest().getOperate();
        assertThat(op.getCommand()).isEqualTo("Device.ScheduleTimer()");
        assertThat(op.getSendResp()).isTrue();
        assertThat(op.getInputArgsMap()).containsExactly(Map.entry("DelaySeconds", "30"));

        UspMsg.Error err = UspMsg.Msg.parseFrom(error.toByteArray()).getBody().getError();
        assertThat(err.getErrCode()).isEqualTo(7004);
        assertThat(err.getParamErrs(0).getErrCode()).isEqualTo(7012);
        // fixed32 on the wire: tag (field 1, wire type 5) then four little-endian bytes 0x1B5C = 7004 (ENC-2)
        byte[] code = UspMsg.Error.newBuilder().setErrCode(7004).build().toByteArray();
        assertThat(code).containsExactly(0x0D, 0x5C, 0x1B, 0x00, 0x00);

        UspRecord.Record connect = UspRecord.Record.parseFrom(mqttConnect.toByteArray());
        assertThat(connect.getRecordTypeCase()).isEqualTo(UspRecord.Record.RecordTypeCase.MQTT_CONNECT);
        assertThat(connect.getMqttConnect().getVersion()).isEqualTo(UspRecord.MQTTConnectRecord.MQTTVersion.V5);
        assertThat(connect.getMqttConnect().getSubscribedTopic()).isEqualTo("usp/controller");
    }
}
