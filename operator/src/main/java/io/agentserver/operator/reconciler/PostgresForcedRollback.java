package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.AgentServerStatus;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.status.ComponentState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The StatefulSet "forced rollback": after a bad change to the managed PostgreSQL (a wrong major version, a
 * mistyped image) is reverted, the StatefulSet controller keeps waiting for the pod it already started with
 * the bad revision to become Ready, which it never does, and never replaces it. When the pod runs another
 * revision than the StatefulSet's update revision, is not Ready, and one of its containers is stuck (image
 * pull, crash loop, bad configuration), the pod is deleted: the controller recreates it at the update
 * revision. Looked up only while the StatefulSet has no ready replica.
 */
final class PostgresForcedRollback {

    /** Waiting reasons that do not resolve by themselves. */
    static final Set<String> STUCK = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError");
    static final String REVISION_LABEL = "controller-revision-hash";
    static final String REASON = "ForcedRollback";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresForcedRollback.class);

    private PostgresForcedRollback() {
    }

    /**
     * Deletes the stuck pod of a reverted rollout, if there is one.
     *
     * @return what was done, for the status and an Event
     */
    static Optional<String> heal(KubernetesClient client, AgentServer owner, Optional<StatefulSet> found) {
        if (found.isEmpty() || found.get().getStatus() == null) {
            return Optional.empty();
        }
        StatefulSet set = found.get();
        var status = set.getStatus();
        boolean observed = status.getObservedGeneration() != null
                && Objects.equals(status.getObservedGeneration(), set.getMetadata().getGeneration());
        if (!observed || status.getUpdateRevision() == null || (status.getReadyReplicas() != null && status.getReadyReplicas() > 0)) {
            return Optional.empty();
        }
        String podName = ResourceNames.postgres(owner) + "-0";
        Pod pod = client.pods().inNamespace(owner.getMetadata().getNamespace()).withName(podName).get();
        if (pod == null || pod.getMetadata().getLabels() == null) {
            return Optional.empty();
        }
        String revision = pod.getMetadata().getLabels().get(REVISION_LABEL);
        Optional<String> stuck = stuckReason(pod);
        if (revision == null || revision.equals(status.getUpdateRevision()) || ready(pod) || stuck.isEmpty()) {
            return Optional.empty();
        }
        client.pods().inNamespace(owner.getMetadata().getNamespace()).withName(podName).delete();
        String note = "Pod " + podName + " was stuck (" + stuck.get() + ") at revision " + revision
                + " after the StatefulSet went back to " + status.getUpdateRevision()
                + "; deleted so that it is recreated at that revision (forced rollback)";
        LOG.warn("namespace={} name={} outcome=forcedRollback pod={} revision={} updateRevision={} reason={}",
                owner.getMetadata().getNamespace(), owner.getMetadata().getName(), podName, revision,
                status.getUpdateRevision(), stuck.get());
        return Optional.of(note);
    }

    /**
     * The forced rollback, as reported, until the database is ready again (or fails for another reason): the
     * reconcile that deleted the pod is not the last one before the recreated pod is up, and what it did should
     * stay visible until then, not for the moment between two reconciles.
     */
    static Optional<ComponentState> stillUnderway(AgentServerStatus previous, ComponentState observed) {
        if (previous == null || observed.health() != ComponentState.Health.PROGRESSING) {
            return Optional.empty();
        }
        return previous.condition("DatabaseReady")
                .filter(c -> REASON.equals(c.getReason()) && "False".equals(c.getStatus()))
                .map(c -> ComponentState.progressing(REASON, c.getMessage()));
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Optional<String> stuckReason(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        return Stream.concat(
                        pod.getStatus().getInitContainerStatuses() == null ? Stream.empty() : pod.getStatus().getInitContainerStatuses().stream(),
                        pod.getStatus().getContainerStatuses() == null ? Stream.empty() : pod.getStatus().getContainerStatuses().stream())
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getWaiting() != null && STUCK.contains(state.getWaiting().getReason()))
                .map(state -> state.getWaiting().getReason())
                .findFirst();
    }
}
