package io.agentserver.operator;

import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.Samples;
import io.agentserver.operator.support.ShippedRbac;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.Objects;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator as {@link OperatorMain} wires it: leader election, health and Prometheus metrics. */
class OperatorMainIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Short timings: a renewal every 500 ms, so a few seconds cover many renewals. */
    private static final Map<String, String> ELECTED = Map.of("OPERATOR_SSA", "false", "LEADER_ELECTION_ENABLED", "true",
            "LEADER_ELECTION_NAMESPACE", ShippedRbac.SERVICE_ACCOUNT_NAMESPACE, "POD_NAME", "operator-0",
            "LEADER_ELECTION_LEASE_DURATION", "PT4S", "LEADER_ELECTION_RENEW_DEADLINE", "PT3S",
            "LEADER_ELECTION_RETRY_PERIOD", "PT0.5S");

    @Test
    void theLeaderKeepsTheLeaseThroughManyRenewalsUnderTheShippedRbacAndStillReconciles() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MockCluster cluster = MockCluster.withCrd()) {
            cluster.startOperator(ELECTED, registry);
            await("leadership reported", () -> cluster.leadership().isLeading(), leading -> leading);

            Set<String> renewals = new HashSet<>();
            await("five lease renewals", () -> {
                Lease lease = leaseIn(cluster);
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("operator-0");
                assertThat(cluster.leadership().state()).as("leadership after " + renewals.size() + " renewals, refused: "
                        + cluster.refusedByRbac()).isEqualTo(Leadership.State.LEADING);
                renewals.add(lease.getSpec().getRenewTime().toString());
                return renewals.size();
            }, count -> count >= 5);

            cluster.create(Samples.managed("demo"));
            await("server Deployment", () -> cluster.get(Deployment.class, "demo"), Objects::nonNull);
            assertThat(cluster.leadership().state()).isEqualTo(Leadership.State.LEADING);
            assertThat(cluster.refusedByRbac()).isEmpty();
            assertThat(registry.scrape()).contains(Leadership.GAUGE + "{identity=\"operator-0\"} 1.0");
        }
    }

    @Test
    void losingTheLeaseIsVisibleInTheProbeAndTheGauge() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MockCluster cluster = MockCluster.withCrd()) {
            cluster.startOperator(ELECTED, registry);
            try (HealthMetricsServer server = HealthMetricsServer.start(0, cluster.operator(), cluster.leadership(), registry)) {
                awaitLeader(server);

                takeTheLeaseAs("operator-1", cluster);

                await("leadership lost", () -> cluster.leadership().state(), state -> state == Leadership.State.LOST);
                HttpResponse<String> ready = get(server, "/readyz");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).isEqualTo("leadership lost");
                assertThat(registry.scrape()).contains(Leadership.GAUGE + "{identity=\"operator-0\"} 0.0");
            }
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
                awaitLeader(server);
                HttpResponse<String> metrics = await("reconcile metrics", () -> get(server, "/metrics"),
                        r -> r.body().contains("operator_sdk_reconciliations"));
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("text/plain"));
            }
        }
    }

    @Test
    void livenessFailsOnceAnInformerDied() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MockCluster cluster = MockCluster.withCrd()) {
            cluster.startOperator(Map.of("OPERATOR_SSA", "false"), registry);
            try (HealthMetricsServer server = HealthMetricsServer.start(0, cluster.operator(), cluster.leadership(), registry)) {
                awaitLeader(server);
                assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);

                var controller = (io.javaoperatorsdk.operator.processing.Controller<?>) cluster.operator()
                        .getRegisteredController(io.agentserver.operator.reconciler.AgentServerReconciler.NAME).orElseThrow();
                // The AgentServer informer dies where it stands (as after a watch error it does not recover from):
                // still registered, no longer running.
                controller.getEventSourceManager().getControllerEventSource().informerHealthIndicators().values()
                        .forEach(informer -> ((io.javaoperatorsdk.operator.processing.LifecycleAware) informer).stop());

                HttpResponse<String> health = await("liveness failing", () -> get(server, "/healthz"),
                        r -> r.statusCode() == 503);
                assertThat(health.body()).startsWith("informers not healthy: [agentserver]");
            }
        }
    }

    @Test
    void aStandbyIsReadyButSaysItIsAStandby() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Leadership standby = Leadership.elected("standby");
        standby.registerGauge(registry);
        try (MockCluster cluster = MockCluster.withCrd();
             HealthMetricsServer server = HealthMetricsServer.start(0, cluster.operatorNotStarted(), standby, registry)) {
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).as("a standby must not block the operator's rolling update").isEqualTo(200);
            assertThat(ready.body()).isEqualTo("standby");
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            assertThat(registry.scrape()).contains(Leadership.GAUGE + "{identity=\"standby\"} 0.0");
        }
    }

    @Test
    void aReplicaThatStartsAsStandbyTurnsLeaderOnlyOnceItTakesTheLease() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MockCluster cluster = MockCluster.withCrd()) {
            cluster.client().resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                    .withNewMetadata().withName(OperatorSettings.DEFAULT_LEASE_NAME)
                        .withNamespace(ShippedRbac.SERVICE_ACCOUNT_NAMESPACE).endMetadata()
                    .withNewSpec().withHolderIdentity("operator-1").withLeaseDurationSeconds(3)
                        .withAcquireTime(ZonedDateTime.now(ZoneOffset.UTC)).withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
                        .withLeaseTransitions(0).endSpec().build()).create();
            cluster.startOperator(ELECTED, registry);
            try (HealthMetricsServer server = HealthMetricsServer.start(0, cluster.operator(), cluster.leadership(), registry)) {
                HttpResponse<String> first = get(server, "/readyz");
                assertThat(first.statusCode()).as("a standby answers 200 too").isEqualTo(200);
                assertThat(first.body()).isEqualTo("standby");

                assertThat(get(server, "/healthz").statusCode()).as("a standby is alive").isEqualTo(200);

                awaitLeader(server);

                assertThat(cluster.leadership().state()).isEqualTo(Leadership.State.LEADING);
                assertThat(leaseIn(cluster).getSpec().getHolderIdentity()).isEqualTo("operator-0");
            }
        }
    }

    /**
     * Waits for "leader", not for any 200: a standby answers 200 "standby", and on a slow machine the first
     * 200 comes before the lease is won.
     */
    private void awaitLeader(HealthMetricsServer server) {
        HttpResponse<String> ready = await("readiness as leader", () -> get(server, "/readyz"),
                r -> r.statusCode() == 200 && "leader".equals(r.body()));
        assertThat(ready.body()).isEqualTo("leader");
    }

    /** Another replica takes the lease; retried when the leader's own renewal got there first (409). */
    private static void takeTheLeaseAs(String holder, MockCluster cluster) {
        await("lease taken by " + holder, () -> {
            try {
                cluster.client().resources(Lease.class).inNamespace(ShippedRbac.SERVICE_ACCOUNT_NAMESPACE)
                        .withName(OperatorSettings.DEFAULT_LEASE_NAME).edit(lease -> {
                            lease.getSpec().setHolderIdentity(holder);
                            lease.getSpec().setLeaseDurationSeconds(60);
                            lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                            return lease;
                        });
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                return false;
            }
        }, taken -> taken);
    }

    private static Lease leaseIn(MockCluster cluster) {
        return cluster.client().resources(Lease.class).inNamespace(ShippedRbac.SERVICE_ACCOUNT_NAMESPACE)
                .withName(OperatorSettings.DEFAULT_LEASE_NAME).get();
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
