package io.agentserver.operator.model;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The restricted security settings every pod the operator creates runs with (Kubernetes' "restricted"
 * Pod Security Standard): a fixed non-root user, the runtime's default seccomp profile, no privilege
 * escalation, no capabilities.
 */
public final class PodSecurity {

    private PodSecurity() {
    }

    /** Runs the pod as {@code uid} (user, group and volume group). */
    public static PodSecurityContext nonRoot(long uid) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withFsGroup(uid)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** A container that cannot gain privileges; {@code readOnlyRoot} unless it must write outside volumes. */
    public static SecurityContext restrictedContainer(boolean readOnlyRoot) {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(readOnlyRoot ? Boolean.TRUE : null)
                .withNewCapabilities().addToDrop("ALL").endCapabilities()
                .build();
    }
}
