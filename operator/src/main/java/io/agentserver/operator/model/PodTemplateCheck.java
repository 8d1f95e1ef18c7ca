package io.agentserver.operator.model;

import io.agentserver.operator.api.PodTemplateSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names in {@code spec.podTemplate} that would make the API server refuse the Deployment: a
 * sidecar or volume named like one of the operator's own, a name used twice, a mount of a volume that
 * does not exist. Caught here, they are an {@code InvalidSpec} with the field to fix instead of an
 * apply error.
 */
final class PodTemplateCheck {

    static final String SERVER_CONTAINER = "agent-server";
    static final Set<String> OPERATOR_VOLUMES = Set.of("tmp", "data");
    static final Set<String> OPERATOR_MOUNT_PATHS = Set.of("/tmp", "/app/data");

    private PodTemplateCheck() {
    }

    static void check(PodTemplateSettings pod, List<String> problems) {
        if (pod == null) {
            return;
        }
        Set<String> containers = new HashSet<>(Set.of(SERVER_CONTAINER));
        for (Container sidecar : orEmpty(pod.getSidecars())) {
            if (sidecar.getName() == null || !containers.add(sidecar.getName())) {
                problems.add("spec.podTemplate.sidecars: name \"" + sidecar.getName()
                        + "\" is missing or taken (agent-server is the operator's container)");
            }
        }
        Set<String> volumes = new HashSet<>(OPERATOR_VOLUMES);
        for (Volume volume : orEmpty(pod.getVolumes())) {
            if (volume.getName() == null || !volumes.add(volume.getName())) {
                problems.add("spec.podTemplate.volumes: name \"" + volume.getName()
                        + "\" is missing or taken (tmp and data are the operator's)");
            }
        }
        Set<String> mountPaths = new HashSet<>(OPERATOR_MOUNT_PATHS);
        for (VolumeMount mount : orEmpty(pod.getVolumeMounts())) {
            if (!volumes.contains(mount.getName())) {
                problems.add("spec.podTemplate.volumeMounts: volume \"" + mount.getName()
                        + "\" is not in spec.podTemplate.volumes");
            }
            if (!mountPaths.add(String.valueOf(mount.getMountPath()))) {
                problems.add("spec.podTemplate.volumeMounts: mountPath \"" + mount.getMountPath()
                        + "\" is missing or taken (/tmp and /app/data are the operator's)");
            }
        }
        for (Container sidecar : orEmpty(pod.getSidecars())) {
            keyedLists(sidecar, problems);
        }
    }

    /**
     * A container's env (by name), ports (by containerPort and protocol) and volume mounts (by mountPath)
     * are lists keyed like maps: the API server refuses a key twice.
     */
    private static void keyedLists(Container sidecar, List<String> problems) {
        String where = "spec.podTemplate.sidecars[" + sidecar.getName() + "]";
        unique(where + ".env", orEmpty(sidecar.getEnv()).stream().map(e -> e.getName()).toList(), problems);
        unique(where + ".ports", orEmpty(sidecar.getPorts()).stream()
                .map(p -> p.getContainerPort() + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol())).toList(), problems);
        unique(where + ".volumeMounts", orEmpty(sidecar.getVolumeMounts()).stream().map(VolumeMount::getMountPath).toList(),
                problems);
    }

    private static void unique(String field, List<String> keys, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (String key : keys) {
            if (key == null || !seen.add(key)) {
                problems.add(field + ": \"" + key + "\" is missing or appears more than once");
            }
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
