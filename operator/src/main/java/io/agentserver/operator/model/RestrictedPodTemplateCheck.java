package io.agentserver.operator.model;

import io.agentserver.operator.api.PodTemplateSettings;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes "restricted" Pod Security Standard applied to what {@code spec.podTemplate} adds to the
 * pods: sidecars that are privileged, may escalate, add capabilities other than NET_BIND_SERVICE, run as
 * root, leave seccomp unconfined, unmask /proc, run as a Windows host process or bind host ports; volumes
 * of a type the standard does not allow (hostPath and every other node- or cluster-level type); and a
 * service account of the user's choosing. Fields a sidecar leaves out get the restricted values from
 * {@link ServerPodExtras}; only what it asks for explicitly is refused here.
 */
final class RestrictedPodTemplateCheck {

    /** The volume types the restricted standard allows. */
    static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    private static final String HOW = " (the restricted Pod Security Standard; an operator installed with"
            + " UNRESTRICTED_POD_TEMPLATES=true allows it)";

    private RestrictedPodTemplateCheck() {
    }

    static void check(PodTemplateSettings pod, PodTemplatePolicy policy, List<String> problems) {
        if (pod == null || policy.unrestricted()) {
            return;
        }
        if (pod.getServiceAccountName() != null) {
            problems.add("spec.podTemplate.serviceAccountName: choosing the pods' service account is not allowed" + HOW);
        }
        for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            String type = type(volume);
            if (type != null && !ALLOWED_VOLUMES.contains(type)) {
                problems.add("spec.podTemplate.volumes[" + volume.getName() + "]: " + type + " volumes are not allowed" + HOW);
            }
        }
        for (Container sidecar : pod.getSidecars() == null ? List.<Container>of() : pod.getSidecars()) {
            sidecar(sidecar, problems);
        }
    }

    private static void sidecar(Container sidecar, List<String> problems) {
        String at = "spec.podTemplate.sidecars[" + sidecar.getName() + "]";
        for (ContainerPort port : sidecar.getPorts() == null ? List.<ContainerPort>of() : sidecar.getPorts()) {
            if (port.getHostPort() != null && port.getHostPort() != 0) {
                problems.add(at + ".ports: hostPort " + port.getHostPort() + " is not allowed" + HOW);
            }
        }
        SecurityContext security = sidecar.getSecurityContext();
        if (security == null) {
            return;
        }
        if (Boolean.TRUE.equals(security.getPrivileged())) {
            problems.add(at + ".securityContext.privileged is not allowed" + HOW);
        }
        if (Boolean.TRUE.equals(security.getAllowPrivilegeEscalation())) {
            problems.add(at + ".securityContext.allowPrivilegeEscalation must be false" + HOW);
        }
        Capabilities capabilities = security.getCapabilities();
        if (capabilities != null && capabilities.getAdd() != null) {
            capabilities.getAdd().stream().filter(cap -> !"NET_BIND_SERVICE".equals(cap)).forEach(cap ->
                    problems.add(at + ".securityContext.capabilities.add: " + cap + " is not allowed" + HOW));
        }
        if (security.getRunAsUser() != null && security.getRunAsUser() == 0) {
            problems.add(at + ".securityContext.runAsUser: 0 (root) is not allowed" + HOW);
        }
        if (Boolean.FALSE.equals(security.getRunAsNonRoot())) {
            problems.add(at + ".securityContext.runAsNonRoot must not be false" + HOW);
        }
        if (security.getSeccompProfile() != null && "Unconfined".equals(security.getSeccompProfile().getType())) {
            problems.add(at + ".securityContext.seccompProfile: Unconfined is not allowed" + HOW);
        }
        if (security.getProcMount() != null && !"Default".equals(security.getProcMount())) {
            problems.add(at + ".securityContext.procMount: " + security.getProcMount() + " is not allowed" + HOW);
        }
        if (security.getWindowsOptions() != null && Boolean.TRUE.equals(security.getWindowsOptions().getHostProcess())) {
            problems.add(at + ".securityContext.windowsOptions.hostProcess is not allowed" + HOW);
        }
    }

    /** The volume's source type, e.g. hostPath: the one field besides its name that is set. */
    private static String type(Volume volume) {
        Map<String, Object> fields = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(volume,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        return fields.entrySet().stream()
                .filter(field -> !"name".equals(field.getKey()) && field.getValue() != null)
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }
}
