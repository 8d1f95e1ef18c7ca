package io.agentserver.operator.model;

import io.agentserver.operator.api.PodTemplateSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Passes {@code spec.podTemplate}'s scheduling, identity and extension fields through to the agent
 * server pod: pull secrets, service account, affinity, topology spread, priority class, extra
 * volumes and mounts, and sidecar containers (after the agent server container, which stays first).
 */
public final class ServerPodExtras {

    private ServerPodExtras() {
    }

    /** Adds the settings to a pod spec whose first container is the agent server. */
    public static void apply(PodTemplateSettings settings, PodSpec pod) {
        if (settings == null) {
            return;
        }
        pod.setImagePullSecrets(copy(settings.getImagePullSecrets()));
        pod.setServiceAccountName(settings.getServiceAccountName());
        pod.setAffinity(settings.getAffinity());
        pod.setTopologySpreadConstraints(copy(settings.getTopologySpreadConstraints()));
        pod.setPriorityClassName(settings.getPriorityClassName());
        if (settings.getVolumes() != null) {
            pod.getVolumes().addAll(settings.getVolumes());
        }
        if (settings.getVolumeMounts() != null) {
            Container server = pod.getContainers().getFirst();
            server.getVolumeMounts().addAll(settings.getVolumeMounts());
        }
        if (settings.getSidecars() != null) {
            pod.getContainers().addAll(settings.getSidecars());
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? null : new ArrayList<>(list);
    }
}
