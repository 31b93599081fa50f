package io.uspbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.uspbridge.testing.TestAgent;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the broker connection; liveness follows the agent loop, not the broker. */
class AgentHealthTest {
    @TempDir
    Path dir;

    @Test
    void anAgentWithoutItsBrokerIsAliveButNotReady() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();     // nothing listens there once closed
        }
        Map<String, String> props = TestAgent.defaults(closed, dir);
        try (TestAgent agent = TestAgent.start(props)) {
            AgentHealth health = new AgentHealth(agent::runtime, Duration.ofSeconds(5));
            AgentHealth.Check ready = health.readiness();
            assertThat(ready.up()).isFalse();
            assertThat(ready.data()).containsEntry("Device.LocalAgent.MTP.1", "Down").containsEntry("store", "OK");
            assertThat(health.liveness().up()).isTrue();

            try (ManagementServer server = ManagementServer.start("127.0.0.1", 0, health,
                    new AgentMetrics().registry())) {
                assertThat(server.authority()).startsWith("127.0.0.1:");
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + server.authority() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).startsWith("{\"status\":\"DOWN\"").contains("\"Device.LocalAgent.MTP.1\":\"Down\"");
                HttpResponse<String> live = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + server.authority() + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(live.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aStuckLoopIsNotAlive() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (TestAgent agent = TestAgent.start(TestAgent.defaults(closed, dir))) {
            AgentHealth health = new AgentHealth(agent::runtime, Duration.ofMillis(200));
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            agent.runtime().loop().execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                AgentHealth.Check live = health.liveness();
                assertThat(live.up()).isFalse();
                assertThat(live.data().get("loop")).startsWith("no answer within 200 ms");
            } finally {
                release.countDown();
            }
            assertThat(health.liveness().up()).isTrue();
        }
    }
}
