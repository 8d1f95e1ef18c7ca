package io.agentserver.operator.dependent;

import java.util.Optional;

/**
 * The agent server Deployment's replica count while a HorizontalPodAutoscaler owns it. With
 * server-side apply the operator leaves the field out of its apply patch, so it never claims it;
 * with create/update, which replaces the whole spec, it writes back what the autoscaler last set,
 * and the autoscaler's minimum when it creates the Deployment.
 */
final class ReplicasUnderAutoscaler {

    private ReplicasUnderAutoscaler() {
    }

    static Integer replicas(boolean serverSideApply, Optional<Integer> current, int minReplicas) {
        return serverSideApply ? null : current.orElse(minReplicas);
    }
}
