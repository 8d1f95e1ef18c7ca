package io.agentserver.operator.model;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The restricted security settings every pod the operator creates runs with: Kubernetes'
 * "restricted" Pod Security Standard, and OpenShift's restricted-v2 SCC. No fixed user id unless
 * asked: the agent server image runs as its own numeric non-root user, so it never needs one. The
 * PostgreSQL and Redis images start as root and drop privileges themselves; on plain Kubernetes
 * they need a fixed non-root UID ({@code fixedUserIds}, the default), while restricted-v2 assigns
 * one from the namespace's range and refuses pods that ask for another (set it false there).
 *
 * @param fixedUserIds pin the UID, GID and fsGroup of pods whose image would start as root
 */
public record PodSecurity(boolean fixedUserIds) {

    /** Plain Kubernetes: fixed UIDs for the images that start as root. */
    public static final PodSecurity FIXED_USER_IDS = new PodSecurity(true);

    /** A pod whose image declares a numeric non-root USER: no UID of ours. */
    public static PodSecurityContext imageUser() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** A pod whose image starts as root: runs as {@code uid} (user, group, volume group) when UIDs are fixed. */
    public PodSecurityContext rootImageAs(long uid) {
        if (!fixedUserIds) {
            return imageUser();
        }
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
