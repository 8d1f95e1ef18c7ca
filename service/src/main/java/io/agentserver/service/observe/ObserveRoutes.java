package io.agentserver.service.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /} and {@code /health} (AutoGPT's {@code {"status":"healthy"}} when ready),
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}.
 */
public final class ObserveRoutes implements HttpService {

    private final List<HealthCheck> readiness;
    private final ServiceMetrics metrics;
    private final PrometheusTextFormatWriter prometheus = PrometheusTextFormatWriter.create();

    public ObserveRoutes(List<HealthCheck> readiness, ServiceMetrics metrics) {
        this.readiness = List.copyOf(readiness);
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::healthy)
                .get("/health", this::healthy)
                .get("/health/live", this::live)
                .get("/health/ready", this::ready)
                .get("/metrics", this::metrics);
    }

    private void healthy(ServerRequest req, ServerResponse res) {
        boolean up = readiness.stream().allMatch(c -> c.up().getAsBoolean());
        respond(res, up, Json.object().put("status", up ? "healthy" : "unhealthy"));
    }

    private void live(ServerRequest req, ServerResponse res) {
        respond(res, true, Json.object().put("status", "UP"));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.object();
        ObjectNode checks = body.putObject("checks");
        boolean up = true;
        for (HealthCheck check : readiness) {
            boolean ok = check.up().getAsBoolean();
            checks.put(check.name(), ok ? "UP" : "DOWN");
            up &= ok;
        }
        body.put("status", up ? "UP" : "DOWN");
        respond(res, up, body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            prometheus.write(out, metrics.registry().scrape());
            out.write(metrics.autogptCompatibilityGauge().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
        res.send(out.toByteArray());
    }

    private static void respond(ServerResponse res, boolean up, ObjectNode body) {
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(Json.write(body));
    }
}
