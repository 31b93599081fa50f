package io.uspbridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.config.AgentConfig;
import io.uspbridge.config.UnknownKeys;
import io.uspbridge.security.EndpointTls;
import io.uspbridge.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code uspbridge.e2e.*}: the agent's E2E TLS material is loaded from PEM files, or off with a reason. */
class E2ETlsConfigTest {
    @TempDir
    Path dir;

    private static AgentConfig.E2e config(Path cert, Path key, Path anchors) {
        return new AgentConfig.E2e() {
            @Override
            public Optional<String> certificate() {
                return Optional.ofNullable(cert).map(Path::toString);
            }

            @Override
            public Optional<String> privateKey() {
                return Optional.ofNullable(key).map(Path::toString);
            }

            @Override
            public Optional<String> trustAnchors() {
                return Optional.ofNullable(anchors).map(Path::toString);
            }
        };
    }

    @Test
    void allThreeFilesGiveTheMaterialAndAnyMissingOneTurnsTlsOff() throws Exception {
        TestPki pki = TestPki.create("cfg-ca");
        TestPki.Paths agent = pki.issue("proto::agent").write(dir, "agent");
        Path ca = pki.writeCa(dir, "ca");

        EndpointTls tls = E2ESessionModule.loadTls(config(agent.certificate(), agent.key(), ca), "proto::agent");
        assertThat(tls).isNotNull();
        assertThat(EndpointTls.namesEndpoint(tls.certificate(), "proto::agent")).isTrue();

        assertThat(E2ESessionModule.loadTls(config(null, null, null), "proto::agent")).isNull();
        assertThat(E2ESessionModule.loadTls(config(agent.certificate(), null, ca), "proto::agent")).isNull();
        assertThat(E2ESessionModule.loadTls(config(agent.certificate(), agent.key(), dir.resolve("missing.crt")),
                "proto::agent")).isNull();
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "not a certificate");
        assertThat(E2ESessionModule.loadTls(config(garbage, agent.key(), ca), "proto::agent")).isNull();
    }

    @Test
    void theKeysAreKnownToTheUnknownKeyCheck() {
        List<String> unknown = new UnknownKeys(List.of(AgentConfig.class)).unknown(List.of(
                "uspbridge.e2e.certificate", "uspbridge.e2e.private-key", "uspbridge.e2e.trust-anchors",
                "uspbridge.e2e.certificat"), "uspbridge.");
        assertThat(unknown).containsExactly("uspbridge.e2e.certificat");
    }
}
