package io.uspbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Health and metrics of the running application (the agent with no MTP: nothing to wait for). */
@QuarkusTest
@TestProfile(ConfigContractTest.Profile.class)
class ManagementEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    AgentService service;

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.managementPort().orElseThrow() + path);
    }

    @Test
    void healthIsUpWithTheAgentsDetails() throws Exception {
        HttpResponse<String> all = get("/q/health");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(all.body()).startsWith("{\"status\":\"UP\",\"checks\":[")
                .contains("\"name\":\"usp-agent-loop\"").contains("\"name\":\"usp-agent\"");

        HttpResponse<String> ready = get("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"endpointId\":\"proto::contract\"").contains("\"mtp\":\"none\"")
                .contains("\"store\":\"OK\"").doesNotContain("usp-agent-loop");

        HttpResponse<String> live = get("/q/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"loop\":\"answered in ");
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> m = get("/q/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(m.body()).contains("# TYPE usp_records_received_total counter")
                .contains("usp_records_sent_total").contains("usp_request_duration_seconds")
                .containsPattern("(?m)^process_resident_memory_bytes [0-9.eE+]+$");
    }

    @Test
    void onlyTheEndpointsAndOnlyReads() throws Exception {
        assertThat(get("/q/healthz").statusCode()).isEqualTo(404);
        assertThat(get("/q/health/other").statusCode()).isEqualTo(404);
        assertThat(get("/q/metrics/x").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/q/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(send(HttpRequest.newBuilder(uri("/q/metrics")).DELETE()).statusCode()).isEqualTo(405);
    }
}
