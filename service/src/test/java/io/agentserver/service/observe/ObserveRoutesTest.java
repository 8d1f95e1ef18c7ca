package io.agentserver.service.observe;

import io.agentserver.service.hub.ConnectionRegistry;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health over HTTP with a database whose answers the test controls and a clock it moves: a blip keeps the
 * replica in the Service (readiness 200) while liveness's body and the metrics show it; an outage that
 * lasts the grace takes it out; liveness never fails for a dependency.
 */
class ObserveRoutesTest {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final MovableClock clock = new MovableClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;

    @BeforeEach
    void start() {
        ServiceMetrics metrics = new ServiceMetrics(new ConnectionRegistry(), () -> 0);
        DependencyHealth health = new DependencyHealth(List.of(new HealthCheck("database", databaseUp::get),
                new HealthCheck("broker", () -> true)), new HealthSettings(GRACE), clock, metrics.registry());
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(HttpRouting.builder().register("/", new ObserveRoutes(health, metrics)))
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aBlipOfTheDatabaseKeepsTheReplicaReadyWhileLivenessAndMetricsReportIt() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);

        databaseUp.set(false);
        HttpResponse<String> ready = get("/health/ready");
        clock.advance(GRACE.minusSeconds(1));
        HttpResponse<String> stillReady = get("/health/ready");
        HttpResponse<String> live = get("/health/live");
        String metrics = get("/metrics").body();

        assertThat(ready.statusCode()).as("a replica stays in the Service through a blip").isEqualTo(200);
        assertThat(stillReady.statusCode()).isEqualTo(200);
        assertThat(stillReady.body()).contains("\"database\":\"DOWN\"").contains("\"down_seconds\":{\"database\":29.0}");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"database\":\"DOWN\"");
        assertThat(metrics).contains("agentserver_dependency_up{dependency=\"database\"} 0.0")
                .contains("agentserver_dependency_up{dependency=\"broker\"} 1.0")
                .contains("agentserver_dependency_outages_total{dependency=\"database\"} 1.0");

        databaseUp.set(true);
        clock.advance(GRACE);
        assertThat(get("/health/ready").statusCode()).as("back before the grace ran out").isEqualTo(200);
        assertThat(get("/metrics").body()).contains("agentserver_dependency_up{dependency=\"database\"} 1.0");
    }

    @Test
    void anOutageThatLastsTheGraceFailsReadinessButNeverLiveness() throws Exception {
        get("/health/ready");
        databaseUp.set(false);
        get("/health/ready");
        clock.advance(GRACE);

        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"DOWN\"");
        assertThat(get("/health").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).as("restarting the pod would not bring the database back").isEqualTo(200);

        databaseUp.set(true);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aDependencyNeverSeenUpIsNotReadyAtOnceAndAZeroGraceFailsAtTheFirstError() {
        ServiceMetrics metrics = new ServiceMetrics(new ConnectionRegistry(), () -> 0);
        DependencyHealth neverUp = new DependencyHealth(List.of(new HealthCheck("database", () -> false)),
                new HealthSettings(GRACE), clock, metrics.registry());
        assertThat(DependencyHealth.ready(neverUp.sample())).isFalse();

        AtomicBoolean up = new AtomicBoolean(true);
        DependencyHealth strict = new DependencyHealth(List.of(new HealthCheck("database", up::get)),
                new HealthSettings(Duration.ZERO), clock, new ServiceMetrics(new ConnectionRegistry(), () -> 0).registry());
        strict.sample();
        up.set(false);
        assertThat(DependencyHealth.ready(strict.sample())).isFalse();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {

        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
