package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.Phase;
import io.agentserver.operator.support.AgentSamples;
import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole reconcile with {@code OPERATOR_SSA=true}, the production setting: every dependent but ConfigMaps and
 * Secrets, and the status, go out as server-side apply patches. The fabric8 mock has no apply support of its
 * own; {@code support/ServerSideApplyEmulation} plays create-or-merge (no field ownership, see there). What
 * this proves: the operator's apply requests are well-formed and authorized by the shipped RBAC, the status
 * is written by apply, spec changes and user env overrides reach the objects, turning autoscaling on keeps
 * the replica count, and a reconcile that changes nothing writes nothing (no endless loop).
 */
class ServerSideApplyIT {

    private MockCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            var refused = cluster.refusedByRbac();
            cluster.close();
            assertThat(refused).as("requests the shipped RBAC refused").isEmpty();
        }
    }

    @Test
    void aManagedInstanceIsReconciledToReadyAndFollowsSpecChangesWithServerSideApply() throws Exception {
        cluster = MockCluster.withCrd();
        cluster.startOperator(Map.of("OPERATOR_SSA", "true", "POD_NAME", "operator-0"), new SimpleMeterRegistry());
        AgentServer resource = Samples.managed("demo");
        resource.getSpec().setReplicas(3);
        resource.getSpec().setEnv(List.of(new EnvVarBuilder().withName("REDIS_URI").withValue("redis://mine:6379/0").build()));
        cluster.create(resource);

        await("Deployment", () -> cluster.get(Deployment.class, "demo"), Objects::nonNull);
        await("StatefulSet", () -> cluster.get(StatefulSet.class, "demo-postgres"), Objects::nonNull);
        cluster.markAvailable("demo");
        cluster.markAvailable("demo-redis");
        cluster.markReady("demo-postgres");
        AgentServer ready = await("Ready by apply", () -> cluster.get("demo"),
                r -> r.getStatus() != null && r.getStatus().getPhase() == Phase.Ready);
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
        assertThat(cluster.operatorRequests()).as("dependents and status applied")
                .anySatisfy(r -> assertThat(r).startsWith("PATCH /apis/apps/v1/namespaces/agents/deployments/demo?fieldManager=agentserver"))
                .anySatisfy(r -> assertThat(r).startsWith("PATCH /apis/agentserver.io/v1alpha1/namespaces/agents/agentservers/demo/status?fieldManager=agentserver"));
        var env = cluster.get(Deployment.class, "demo").getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertThat(env).filteredOn(e -> e.getName().equals("REDIS_URI")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("redis://mine:6379/0"));

        String version = cluster.get(Deployment.class, "demo").getMetadata().getResourceVersion();
        cluster.edit("demo", r -> {
            r.getSpec().setConfig(Map.of("server.idle-connection-timeout", "PT30M"));
            return r;
        });
        await("the config change applied", () -> cluster.get(ConfigMap.class, "demo-config"),
                c -> "PT30M".equals(c.getData().get("SERVER_IDLE_dash_CONNECTION_dash_TIMEOUT")));
        await("pods rolled by the new hash", () -> cluster.get(Deployment.class, "demo").getMetadata().getResourceVersion(),
                v -> !v.equals(version));

        cluster.edit("demo", r -> {
            r.getSpec().setAutoscaling(AgentSamples.autoscaling(2, 6));
            return r;
        });
        await("the autoscaler", () -> cluster.get(HorizontalPodAutoscaler.class, "demo"), Objects::nonNull);
        assertThat(cluster.get(Deployment.class, "demo").getSpec().getReplicas())
                .as("turning autoscaling on keeps the count until the autoscaler owns it").isEqualTo(3);

        // Another event on the Deployment (its status, as the Deployment controller writes it) makes the operator
        // reconcile and apply again: an apply that changes nothing must not write (or the informer would wake it
        // again, forever).
        long applies = deploymentApplies();
        cluster.markAvailable("demo");
        String afterStatus = cluster.get(Deployment.class, "demo").getMetadata().getResourceVersion();
        await("the operator applied the Deployment again", this::deploymentApplies, n -> n > applies);
        assertThat(cluster.get(Deployment.class, "demo").getMetadata().getResourceVersion())
                .as("a reconcile that changes nothing writes nothing").isEqualTo(afterStatus);
    }

    private long deploymentApplies() {
        return cluster.operatorRequests().stream()
                .filter(r -> r.startsWith("PATCH /apis/apps/v1/namespaces/agents/deployments/demo?fieldManager=")).count();
    }
}
