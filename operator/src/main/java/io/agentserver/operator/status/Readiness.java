package io.agentserver.operator.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Strict readiness of workloads: the controller observed the current generation, and every
 * desired replica is updated and available. A Deployment past its progress deadline is failing.
 */
public final class Readiness {

    private Readiness() {
    }

    public static ComponentState ofDeployment(String what, Optional<Deployment> found) {
        if (found.isEmpty()) {
            return ComponentState.progressing("NotCreated", what + " does not exist yet");
        }
        Deployment deployment = found.get();
        int desired = orZero(deployment.getSpec() == null ? null : deployment.getSpec().getReplicas());
        var status = deployment.getStatus();
        if (status == null) {
            return ComponentState.progressing("RolloutPending", what + " has no status yet");
        }
        boolean deadlineExceeded = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(Readiness::progressDeadlineExceeded);
        if (deadlineExceeded) {
            return ComponentState.failing("ProgressDeadlineExceeded", what + " rollout is stuck: "
                    + orZero(status.getAvailableReplicas()) + " of " + desired
                    + " replicas available; check its pods (image, probes, Secrets)");
        }
        return replicasState(what, deployment.getMetadata().getGeneration(), status.getObservedGeneration(), desired,
                orZero(status.getReplicas()), orZero(status.getUpdatedReplicas()), orZero(status.getAvailableReplicas()));
    }

    public static ComponentState ofStatefulSet(String what, Optional<StatefulSet> found) {
        if (found.isEmpty()) {
            return ComponentState.progressing("NotCreated", what + " does not exist yet");
        }
        StatefulSet set = found.get();
        int desired = orZero(set.getSpec() == null ? null : set.getSpec().getReplicas());
        var status = set.getStatus();
        if (status == null) {
            return ComponentState.progressing("RolloutPending", what + " has no status yet");
        }
        boolean revisionCurrent = status.getUpdateRevision() == null
                || Objects.equals(status.getUpdateRevision(), status.getCurrentRevision());
        int updated = revisionCurrent ? orZero(status.getReplicas()) : orZero(status.getUpdatedReplicas());
        int available = status.getAvailableReplicas() != null ? status.getAvailableReplicas() : orZero(status.getReadyReplicas());
        return replicasState(what, set.getMetadata().getGeneration(), status.getObservedGeneration(), desired,
                orZero(status.getReplicas()), updated, available);
    }

    /**
     * A CloudNativePG Cluster: ready while its {@code Ready} condition is True (the primary and every replica
     * run and stream); otherwise on its way, with CloudNativePG's phase and instance counts.
     */
    @SuppressWarnings("unchecked")
    public static ComponentState ofCloudNativePg(String what, Optional<GenericKubernetesResource> found) {
        if (found.isEmpty()) {
            return ComponentState.progressing("NotCreated", what + " does not exist yet");
        }
        Object raw = found.get().getAdditionalProperties().get("status");
        if (!(raw instanceof Map<?, ?> map)) {
            return ComponentState.progressing("ClusterPending", what + " has no status yet (is the CloudNativePG operator running?)");
        }
        Map<String, Object> status = (Map<String, Object>) map;
        boolean ready = status.get("conditions") instanceof List<?> conditions && conditions.stream()
                .filter(Map.class::isInstance).map(c -> (Map<String, Object>) c)
                .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(String.valueOf(c.get("status"))));
        String counts = status.getOrDefault("readyInstances", 0) + " of " + status.getOrDefault("instances", "?")
                + " instances ready";
        if (ready) {
            return ComponentState.ready("Available", what + ": " + counts + ", primary " + status.get("currentPrimary"));
        }
        return ComponentState.progressing("ClusterNotReady", what + ": " + status.getOrDefault("phase", "no phase")
                + "; " + counts);
    }

    private static ComponentState replicasState(String what, Long generation, Long observedGeneration,
                                                int desired, int current, int updated, int available) {
        if (generation != null && (observedGeneration == null || observedGeneration < generation)) {
            return ComponentState.progressing("RolloutPending", what + " has not yet observed generation " + generation);
        }
        if (updated < desired || current > desired) {
            return ComponentState.progressing("RollingOut", what + ": " + updated + " of " + desired + " replicas updated");
        }
        if (available < desired) {
            return ComponentState.progressing("ReplicasUnavailable", what + ": " + available + " of " + desired
                    + " replicas available");
        }
        return ComponentState.ready("Available", what + ": " + available + " of " + desired
                + " replicas updated and available");
    }

    private static boolean progressDeadlineExceeded(DeploymentCondition condition) {
        return "Progressing".equals(condition.getType()) && "False".equals(condition.getStatus())
                && "ProgressDeadlineExceeded".equals(condition.getReason());
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
