package io.agentserver.operator.dependent;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.Map;
import java.util.Optional;

/**
 * The agent server Deployment's replica count while a HorizontalPodAutoscaler is enabled. The operator
 * keeps sending the count the Deployment has until another field manager (the autoscaler, through the
 * scale subresource) owns {@code spec.replicas}; only then does a server-side apply leave the field out.
 * Leaving it out earlier would release a field nobody else owns, and the API server would reset it to
 * its default of 1, cutting the sockets of every other pod until the autoscaler catches up. With
 * create/update, which replaces the whole spec, the count the Deployment has is always written back.
 * A Deployment that does not exist yet starts at the autoscaler's minimum.
 */
final class ReplicasUnderAutoscaler {

    private ReplicasUnderAutoscaler() {
    }

    /**
     * @param fieldManager the operator's own field manager; any other owner of spec.replicas is the autoscaler's side
     * @return the count to send, or null to leave the field to its other owner
     */
    static Integer replicas(boolean serverSideApply, Optional<Deployment> actual, int minReplicas, String fieldManager) {
        Integer current = actual.map(d -> d.getSpec() == null ? null : d.getSpec().getReplicas()).orElse(null);
        if (serverSideApply && actual.isPresent() && ownedByAnother(actual.get(), fieldManager)) {
            return null;
        }
        return current != null ? current : minReplicas;
    }

    /** True when a field manager other than ours owns {@code spec.replicas} (the HPA writes it through /scale). */
    static boolean ownedByAnother(Deployment deployment, String fieldManager) {
        var managed = deployment.getMetadata().getManagedFields();
        return managed != null && managed.stream()
                .filter(entry -> !fieldManager.equals(entry.getManager()))
                .anyMatch(ReplicasUnderAutoscaler::ownsReplicas);
    }

    private static boolean ownsReplicas(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() == null || entry.getFieldsV1().getAdditionalProperties() == null) {
            return false;
        }
        Object spec = entry.getFieldsV1().getAdditionalProperties().get("f:spec");
        return spec instanceof Map<?, ?> fields && fields.containsKey("f:replicas");
    }
}
