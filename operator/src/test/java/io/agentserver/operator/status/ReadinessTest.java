package io.agentserver.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {

    @Test
    void aDeploymentIsReadyOnlyWhenItObservedItsGenerationAndAllReplicasAreUpdatedAndAvailable() {
        assertThat(Readiness.ofDeployment("d", Optional.of(deployment(3, 2L, 2L, 3, 3, 3))).isReady()).isTrue();
        assertThat(Readiness.ofDeployment("d", Optional.of(deployment(3, 2L, 1L, 3, 3, 3))).reason()).isEqualTo("RolloutPending");
        assertThat(Readiness.ofDeployment("d", Optional.of(deployment(3, 2L, 2L, 4, 2, 3))).reason()).isEqualTo("RollingOut");
        assertThat(Readiness.ofDeployment("d", Optional.of(deployment(3, 2L, 2L, 3, 3, 2))).message())
                .isEqualTo("d: 2 of 3 replicas available");
        assertThat(Readiness.ofDeployment("d", Optional.empty()).reason()).isEqualTo("NotCreated");
    }

    @Test
    void aDeploymentPastItsProgressDeadlineIsFailing() {
        Deployment stuck = new DeploymentBuilder(deployment(2, 1L, 1L, 2, 2, 0)).editStatus()
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded").endCondition()
                .endStatus().build();

        ComponentState state = Readiness.ofDeployment("d", Optional.of(stuck));

        assertThat(state.health()).isEqualTo(ComponentState.Health.FAILING);
        assertThat(state.message()).contains("0 of 2 replicas available");
    }

    @Test
    void aStatefulSetIsReadyWhenItsRevisionIsCurrentAndItsReplicaReady() {
        assertThat(Readiness.ofStatefulSet("s", Optional.of(statefulSet("r1", "r1", 1))).isReady()).isTrue();
        assertThat(Readiness.ofStatefulSet("s", Optional.of(statefulSet("r1", "r2", 1))).isReady()).isFalse();
        assertThat(Readiness.ofStatefulSet("s", Optional.of(statefulSet("r1", "r1", 0))).reason()).isEqualTo("ReplicasUnavailable");
    }

    private static Deployment deployment(int desired, Long generation, Long observed, int replicas, int updated, int available) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("d").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(desired).endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                .withAvailableReplicas(available).withReadyReplicas(available).endStatus()
                .build();
    }

    private static StatefulSet statefulSet(String current, String update, int ready) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName("s").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(1).endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(update.equals(current) ? 1 : 0)
                .withReadyReplicas(ready).withAvailableReplicas(ready).withCurrentRevision(current).withUpdateRevision(update)
                .endStatus()
                .build();
    }
}
