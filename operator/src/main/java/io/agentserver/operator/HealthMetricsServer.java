package io.agentserver.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics} (Prometheus text) on one port. Liveness: 200 while
 * the process answers and, once the operator started, every informer runs, has synced and watches; 503
 * "informers not healthy: …" otherwise, so that the kubelet restarts an operator whose caches died instead
 * of leaving it up and blind. Readiness: 200 "leader" when leading with started, healthy informers; 200 "standby"
 * while waiting for the lease (a standby must not block the operator's own rolling update); 503
 * "not ready" for a leader still starting, 503 "leadership lost" once the lease is gone.
 */
public final class HealthMetricsServer implements AutoCloseable {

    private final HttpServer server;

    private HealthMetricsServer(HttpServer server) {
        this.server = server;
    }

    public static HealthMetricsServer start(int port, Operator operator, Leadership leadership,
                                            PrometheusMeterRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", exchange -> {
            var runtime = operator.getRuntimeInfo();
            if (runtime.isStarted() && !runtime.allEventSourcesAreHealthy()) {
                respond(exchange, 503, "text/plain", "informers not healthy: " + runtime.unhealthyEventSources().keySet()
                        + " " + runtime.unhealthyEventSources().values().stream().flatMap(m -> m.keySet().stream()).toList());
            } else {
                respond(exchange, 200, "text/plain", "ok");
            }
        });
        server.createContext("/readyz", exchange -> {
            var runtime = operator.getRuntimeInfo();
            switch (leadership.state()) {
                case STANDBY -> respond(exchange, 200, "text/plain", "standby");
                case LOST -> respond(exchange, 503, "text/plain", "leadership lost");
                case LEADING -> {
                    boolean ready = runtime.isStarted() && runtime.allEventSourcesAreHealthy();
                    respond(exchange, ready ? 200 : 503, "text/plain", ready ? "leader" : "not ready");
                }
            }
        });
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.start();
        return new HealthMetricsServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
