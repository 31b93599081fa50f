package io.uspbridge.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The operator's HTTP endpoints on the JDK's own HTTP server: {@code /q/health} (readiness and liveness),
 * {@code /q/health/ready}, {@code /q/health/live} in the MicroProfile Health JSON shape (200 when UP, 503 when
 * DOWN), and {@code /q/metrics} in the Prometheus text format. It listens only on the configured address, loopback
 * by default. One thread serves the requests: a probe or a scrape every few seconds needs no more.
 */
final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ManagementServer.class.getName());
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServer server;

    private ManagementServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (port 0: a free port) and starts serving.
     *
     * @throws IOException when the address cannot be bound (taken, or not an address of this machine)
     */
    static ManagementServer start(String host, int port, AgentHealth health, PrometheusRegistry registry)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/q/health", exact("/q/health",
                new HealthHandler(() -> List.of(health.liveness(), health.readiness()))));
        server.createContext("/q/health/ready", exact("/q/health/ready",
                new HealthHandler(() -> List.of(health.readiness()))));
        server.createContext("/q/health/live", exact("/q/health/live",
                new HealthHandler(() -> List.of(health.liveness()))));
        server.createContext("/q/metrics", exact("/q/metrics", new MetricsHandler(registry)));
        server.setExecutor(null);     // the server's own dispatcher thread
        server.start();
        ManagementServer s = new ManagementServer(server);
        LOG.info("health and metrics on http://" + s.authority() + "/q/health and /q/metrics");
        return s;
    }

    /** The bound address as {@code host:port}. */
    String authority() {
        InetSocketAddress a = server.getAddress();
        return a.getHostString() + ":" + a.getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A context serves only its own path (with or without a trailing slash), and only reads: the JDK server matches
     * contexts by prefix.
     */
    private static HttpHandler exact(String path, HttpHandler h) {
        return ex -> {
            String asked = ex.getRequestURI().getPath();
            if (!path.equals(asked) && !(path + "/").equals(asked)) {
                reply(ex, 404, "text/plain", "Not found\n".getBytes());
            } else if (!readOnly(ex)) {
                reply(ex, 405, "text/plain", "Only GET and HEAD\n".getBytes());
            } else {
                h.handle(ex);
            }
        };
    }

    private static boolean readOnly(HttpExchange ex) {
        String m = ex.getRequestMethod();
        if ("GET".equals(m) || "HEAD".equals(m)) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        return false;
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", type);
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        }
    }

    /** {@code /q/health}, {@code /q/health/ready}, {@code /q/health/live}: the checks each one runs. */
    private record HealthHandler(Supplier<List<AgentHealth.Check>> checks) implements HttpHandler {
        @Override
        public void handle(HttpExchange ex) throws IOException {
            List<AgentHealth.Check> results = checks.get();
            boolean up = results.stream().allMatch(AgentHealth.Check::up);
            reply(ex, up ? 200 : 503, "application/json", json(up, results));
        }

        private static byte[] json(boolean up, List<AgentHealth.Check> results) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (JsonGenerator g = JSON.createGenerator(bytes)) {
                g.writeStartObject();
                g.writeStringField("status", up ? "UP" : "DOWN");
                g.writeArrayFieldStart("checks");
                for (AgentHealth.Check c : results) {
                    g.writeStartObject();
                    g.writeStringField("name", c.name());
                    g.writeStringField("status", c.up() ? "UP" : "DOWN");
                    g.writeObjectFieldStart("data");
                    for (Map.Entry<String, String> e : c.data().entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            return bytes.toByteArray();
        }
    }
}
