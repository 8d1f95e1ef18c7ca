package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.support.MockCluster;
import io.agentserver.operator.support.Samples;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Objects;
import java.util.stream.StreamSupport;

import static io.agentserver.operator.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad change of the managed PostgreSQL (an image that cannot be pulled), then its revert: the StatefulSet
 * controller would wait forever for the pod it started with the bad revision. The operator recreates that
 * pod once the spec is back, says so in DatabaseReady and an Event, and leaves a pod of the current
 * rollout alone. The test plays the StatefulSet controller and the kubelet.
 */
class PostgresForcedRollbackIT {

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
    void aPodStuckAtARevertedRevisionIsRecreatedAndReported() throws Exception {
        cluster = MockCluster.withCrd();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        cluster.startOperator(Map.of("OPERATOR_SSA", "false", "POD_NAME", "operator-0"), registry);
        cluster.create(Samples.managed("demo"));
        await("StatefulSet", () -> cluster.get(StatefulSet.class, "demo-postgres"), Objects::nonNull);
        controllerRolled("demo-postgres-good", "demo-postgres-good", 1);

        cluster.edit("demo", r -> {
            r.getSpec().getDatabase().setImage("postgres:16-alpinee");
            return r;
        });
        await("the bad image applied", () -> cluster.get(StatefulSet.class, "demo-postgres"),
                s -> s.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals("postgres:16-alpinee"));
        cluster.client().resource(stuckPod("demo-postgres-bad")).create();
        controllerRolled("demo-postgres-good", "demo-postgres-bad", 0);
        await("DatabaseReady reports the stuck rollout", () -> cluster.get("demo"),
                r -> r.getStatus() != null && r.getStatus().condition("DatabaseReady")
                        .filter(c -> "False".equals(c.getStatus())).isPresent());
        assertThat(cluster.get(Pod.class, "demo-postgres-0")).as("a pod of the current rollout is left alone").isNotNull();

        cluster.edit("demo", r -> {
            r.getSpec().getDatabase().setImage(null);
            return r;
        });
        await("the revert applied", () -> cluster.get(StatefulSet.class, "demo-postgres"),
                s -> s.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals("postgres:16-alpine"));
        controllerRolled("demo-postgres-good", "demo-postgres-good", 0);

        await("the stuck pod deleted", () -> cluster.get(Pod.class, "demo-postgres-0"), Objects::isNull);
        AgentServer after = await("DatabaseReady says why", () -> cluster.get("demo"), r -> r.getStatus().condition("DatabaseReady")
                .filter(c -> "ForcedRollback".equals(c.getReason())).isPresent());
        assertThat(after.getStatus().condition("DatabaseReady").orElseThrow().getMessage())
                .contains("demo-postgres-0", "ImagePullBackOff", "demo-postgres-bad", "demo-postgres-good");
        Event event = await("a ForcedRollback event", () -> cluster.client().events().v1().events()
                .inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "ForcedRollback".equals(e.getReason())).findFirst().orElse(null), Objects::nonNull);
        assertThat(event.getRegarding().getName()).isEqualTo("demo");

        // The controller recreates the pod at the good revision; until it is Ready, every reconcile still says why.
        double reconciled = reconciliationsDone(registry);
        controllerRolled("demo-postgres-good", "demo-postgres-good", 0, 1);
        await("a reconcile after the controller's change", () -> reconciliationsDone(registry), n -> n > reconciled);
        assertThat(cluster.get("demo").getStatus().condition("DatabaseReady").orElseThrow())
                .as("the forced rollback stays reported until the database is ready")
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("ForcedRollback"))
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        controllerRolled("demo-postgres-good", "demo-postgres-good", 1, 1);
        await("DatabaseReady once the recreated pod is up", () -> cluster.get("demo"), r -> r.getStatus()
                .condition("DatabaseReady").filter(c -> "True".equals(c.getStatus())).isPresent());
    }

    /** Reconciles finished so far: the operator counts each after its status patch. */
    private static double reconciliationsDone(SimpleMeterRegistry registry) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.success"))
                .flatMap(m -> StreamSupport.stream(m.measure().spliterator(), false))
                .mapToDouble(Measurement::getValue).sum();
    }

    /** Plays the StatefulSet controller: it observed the current generation, with these revisions and ready count. */
    private void controllerRolled(String current, String update, int ready) {
        controllerRolled(current, update, ready, ready);
    }

    /** The same, with {@code updated} pods at the update revision. */
    private void controllerRolled(String current, String update, int ready, int updated) {
        cluster.client().apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("demo-postgres").editStatus(s -> {
            s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(s.getMetadata().getGeneration())
                    .withReplicas(1).withReadyReplicas(ready).withAvailableReplicas(ready).withUpdatedReplicas(updated)
                    .withCurrentRevision(current).withUpdateRevision(update).build());
            return s;
        });
    }

    /** Plays the kubelet: the pod of the bad revision cannot pull its image. */
    private static Pod stuckPod(String revision) {
        return new PodBuilder().withNewMetadata().withName("demo-postgres-0").withNamespace(MockCluster.NAMESPACE)
                .addToLabels("controller-revision-hash", revision).addToLabels("app.kubernetes.io/instance", "demo").endMetadata()
                .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:16-alpinee").endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("False").endCondition()
                    .addNewContainerStatus().withName("postgres").withReady(false).withNewState().withNewWaiting()
                        .withReason("ImagePullBackOff").endWaiting().endState().endContainerStatus()
                .endStatus().build();
    }
}
