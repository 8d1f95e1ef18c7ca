package io.agentserver.operator.model;

import io.agentserver.operator.api.PodTemplateSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
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
            settings.getSidecars().forEach(sidecar -> pod.getContainers().add(restrictedByDefault(sidecar)));
        }
    }

    /**
     * The sidecar with the restricted Pod Security Standard's values where it leaves them out: no privilege
     * escalation and every capability dropped, unless it is privileged (an unrestricted operator let it be).
     */
    static Container restrictedByDefault(Container sidecar) {
        SecurityContext security = sidecar.getSecurityContext() == null ? new SecurityContext() : sidecar.getSecurityContext();
        if (Boolean.TRUE.equals(security.getPrivileged())) {
            return sidecar;
        }
        SecurityContextBuilder restricted = new SecurityContextBuilder(security);
        if (security.getAllowPrivilegeEscalation() == null) {
            restricted.withAllowPrivilegeEscalation(false);
        }
        if (security.getCapabilities() == null || security.getCapabilities().getDrop() == null) {
            restricted.withNewCapabilities()
                    .withAdd(security.getCapabilities() == null ? null : security.getCapabilities().getAdd())
                    .withDrop("ALL").endCapabilities();
        }
        return new ContainerBuilder(sidecar).withSecurityContext(restricted.build()).build();
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? null : new ArrayList<>(list);
    }
}
