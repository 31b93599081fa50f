package io.uspbridge.record;

import static io.uspbridge.record.ScriptedController.CTL;
import static io.uspbridge.record.ScriptedController.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.uspbridge.mtp.ReplyAddress;
import io.uspbridge.proto.UspRecord.Record;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signature method of Record integrity (R-E2E.29–32): the agent verifies a controller's mac_signature against
 * its sender_cert, ignores a Record that fails (and restarts its context, R-E2E.23), and signs its own Records when
 * given a key. Keys and certificates are made at test time with the JDK's keytool (EC P-256).
 */
class RecordIntegrityTest {
    static final long S = 0x5E55;

    record Credentials(PrivateKey key, String certificatePem) {
    }

    static Credentials controller;
    static Credentials stranger;
    static Credentials agent;

    @BeforeAll
    static void makeKeys(@TempDir Path dir) throws Exception {
        controller = credentials(dir, "ctl", "uri:urn:bbf:usp:id:" + CTL);
        stranger = credentials(dir, "other", "uri:urn:bbf:usp:id:proto::someone-else");
        agent = credentials(dir, "agent", "uri:urn:bbf:usp:id:" + ScriptedController.AGENT);
    }

    private static Credentials credentials(Path dir, String alias, String san) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-ext", "san=" + san, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(ks.getCertificate(alias).getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return new Credentials((PrivateKey) ks.getKey(alias, "changeit".toCharArray()), pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private final ScriptedController peer = new ScriptedController();

    private static Record signed(Credentials c, Record r) {
        return RecordIntegrity.signer(c.key(), c.certificatePem()).sign(r);
    }

    @Test
    void aSignatureCoversEveryNonPayloadFieldButNotThePayload() {
        Record r = signed(controller, peer.record(S, 3, 2).retransmit(1).msg(get("m1")).build());
        Date now = new Date();
        assertThat(RecordIntegrity.problem(r, now)).isNull();
        assertThat(RecordIntegrity.problem(r.toBuilder().setToId("proto::other-agent").build(), now))
                .isEqualTo("mac_signature does not verify");
        assertThat(RecordIntegrity.problem(r.toBuilder().setSessionContext(r.getSessionContext().toBuilder()
                .setExpectedId(9)).build(), now)).isEqualTo("mac_signature does not verify");
        assertThat(RecordIntegrity.problem(r.toBuilder().setSessionContext(r.getSessionContext().toBuilder()
                .setPayload(0, ByteString.copyFromUtf8("another payload"))).build(), now))
                .as("the payload is not covered (R-E2E.32)").isNull();
        assertThat(RecordIntegrity.problem(r, new Date(now.getTime() + 10L * 24 * 3600 * 1000)))
                .startsWith("sender_cert is not valid at this time");
    }

    @Test
    void theSenderCertificateMustNameTheSender() {
        Record r = signed(stranger, peer.record(S, 1, 1).msg(get("m1")).build());
        assertThat(RecordIntegrity.problem(r, new Date())).contains("does not name " + CTL);
        Record noCert = signed(controller, peer.record(S, 1, 1).msg(get("m1")).build()).toBuilder()
                .clearSenderCert().build();
        assertThat(RecordIntegrity.problem(noCert, new Date())).contains("without sender_cert");
    }

    @Test
    void tp469_2_7_aSignedRecordIsProcessedAndABadlySignedOneIsIgnoredAndRestartsTheContext() {
        peer.send(signed(controller, peer.record(S, 1, 1).msg(get("m1")).build()));
        peer.expect().inSession(S).answering("m1");
        Record good = signed(controller, peer.record(S, 2, 2).msg(get("m2")).build());
        Record tampered = good.toBuilder().setSessionContext(good.getSessionContext().toBuilder().setSequenceId(3))
                .build();
        peer.send(tampered);
        long restarted = peer.expect().seq(1).empty().sessionId();
        assertThat(restarted).isNotEqualTo(S);
        assertThat(peer.agent.ids()).containsExactly("m1");
        // a badly signed NoSessionContext Record is ignored too
        peer.send(signed(stranger, Record.newBuilder().setVersion("1.4").setFromId(CTL)
                .setToId(ScriptedController.AGENT).setNoSessionContext(io.uspbridge.proto.UspRecord
                        .NoSessionContextRecord.newBuilder().setPayload(get("m3").toByteString())).build()));
        peer.expectNothing();
        assertThat(peer.agent.ids()).containsExactly("m1");
    }

    @Test
    void anAgentWithAKeySignsEveryRecordAndStillKeepsToMaxUspRecordSize() {
        RecordLayerTest.FakeChannel channel = new RecordLayerTest.FakeChannel();
        ScriptedController.Directory directory = new ScriptedController.Directory();
        directory.settings = directory.settings.withMaxRecordSize(1024);
        ScriptedController.EchoAgent echo = new ScriptedController.EchoAgent();
        RecordLayer layer = new RecordLayer(ScriptedController.AGENT, directory, echo, ref -> channel,
                RecordMetrics.NONE).signWith(RecordIntegrity.signer(agent.key(), agent.certificatePem()))
                .enableSessions(new ManualClock(), SessionLimits.DEFAULT, new SplittableRandom(1));
        layer.onRecord(peer.record(S, 1, 1).msg(get("big", "Big.5000")).build().toByteArray(),
                new ReplyAddress(channel, "ctl/inbox"));
        assertThat(channel.sent).hasSizeGreaterThan(5).allSatisfy(s -> {
            Record r = s.parsed();
            assertThat(r.getSerializedSize()).isLessThanOrEqualTo(1024);
            assertThat(r.getSenderCert().toStringUtf8()).isEqualTo(agent.certificatePem());
            assertThat(RecordIntegrity.problem(r, new Date())).isNull();
        });
    }
}
