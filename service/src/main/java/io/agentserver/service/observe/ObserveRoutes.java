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
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}. Readiness fails on a sustained outage of
 * a dependency only ({@link DependencyHealth}); liveness always answers 200 while the process serves, and
 * both bodies list every dependency as it is now, so a blip shows without taking the replica out.
 */
public final class ObserveRoutes implements HttpService {

    private final DependencyHealth dependencies;
    private final ServiceMetrics metrics;
    private final PrometheusTextFormatWriter prometheus = PrometheusTextFormatWriter.create();

    public ObserveRoutes(DependencyHealth dependencies, ServiceMetrics metrics) {
        this.dependencies = dependencies;
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
        boolean up = DependencyHealth.ready(dependencies.sample());
        respond(res, up, Json.object().put("status", up ? "healthy" : "unhealthy"));
    }

    /** 200 while the process serves (a dependency's outage is no reason to restart it); the body shows each. */
    private void live(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.object().put("status", "UP");
        checks(body, dependencies.sample());
        respond(res, true, body);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        List<DependencyHealth.State> states = dependencies.sample();
        boolean up = DependencyHealth.ready(states);
        ObjectNode body = Json.object();
        checks(body, states);
        body.put("status", up ? "UP" : "DOWN");
        respond(res, up, body);
    }

    private static void checks(ObjectNode body, List<DependencyHealth.State> states) {
        ObjectNode checks = body.putObject("checks");
        ObjectNode downSeconds = null;
        for (DependencyHealth.State state : states) {
            checks.put(state.name(), state.up() ? "UP" : "DOWN");
            if (state.downFor().isPresent()) {
                downSeconds = downSeconds == null ? body.putObject("down_seconds") : downSeconds;
                downSeconds.put(state.name(), state.downFor().get().toMillis() / 1000.0);
            }
        }
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
