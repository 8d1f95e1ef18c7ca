package io.agentserver.operator;

import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator as {@link OperatorMain} wires it: leader election, health and Prometheus metrics. */
class OperatorMainIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void withLeaderElectionTheOperatorHoldsTheLeaseAndReconciles() throws Exception {
        try (MockCluster cluster = MockCluster.withCrd()) {
            cluster.startOperator(Map.of("OPERATOR_SSA", "false", "LEADER_ELECTION_ENABLED", "true",
                    "LEADER_ELECTION_NAMESPACE", MockCluster.NAMESPACE, "POD_NAME", "operator-0"));

            Lease lease = await("lease", () -> cluster.get(Lease.class, OperatorSettings.DEFAULT_LEASE_NAME), Objects::nonNull);
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("operator-0");
            await("leadership reported", () -> cluster.leadership().isLeading(), leading -> leading);
            cluster.create(Samples.managed("demo"));
            await("server Deployment", () -> cluster.get(Deployment.class, "demo"), Objects::nonNull);
        }
    }

    @Test
    void servesHealthReadinessAndPrometheusMetrics() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MockCluster cluster = MockCluster.withCrd()) {
            cluster.startOperator(Map.of("OPERATOR_SSA", "false"), registry);
            try (HealthMetricsServer server = HealthMetricsServer.start(0, cluster.operator(), cluster.leadership(), registry)) {
                cluster.create(Samples.managed("demo"));
                await("server Deployment", () -> cluster.get(Deployment.class, "demo"), Objects::nonNull);

                assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
                assertThat(await("ready", () -> get(server, "/readyz"), r -> r.statusCode() == 200).body()).isEqualTo("ready");
                HttpResponse<String> metrics = await("reconcile metrics", () -> get(server, "/metrics"),
                        r -> r.body().contains("operator_sdk_reconciliations"));
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("text/plain"));
            }
        }
    }

    @Test
    void aStandbyIsReadyWithoutReconciling() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MockCluster cluster = MockCluster.withCrd();
             HealthMetricsServer server = HealthMetricsServer.start(0, cluster.operatorNotStarted(),
                     Leadership.elected("standby"), registry)) {
            assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(HealthMetricsServer server, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
