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
 * {@code /healthz} (the process answers), {@code /readyz} (a standby, or a leader whose operator
 * started with healthy informers) and {@code /metrics} (Prometheus text) on one port.
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
        server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok"));
        server.createContext("/readyz", exchange -> {
            var runtime = operator.getRuntimeInfo();
            boolean ready = !leadership.isLeading() || (runtime.isStarted() && runtime.allEventSourcesAreHealthy());
            respond(exchange, ready ? 200 : 503, "text/plain", ready ? "ready" : "not ready");
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
