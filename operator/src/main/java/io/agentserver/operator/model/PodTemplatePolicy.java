package io.agentserver.operator.model;

/**
 * What {@code spec.podTemplate} may put into the agent server pods. Restricted (the default): nothing the
 * Kubernetes "restricted" Pod Security Standard forbids, and no service account of the user's choosing,
 * so that whoever may create an AgentServer cannot run privileged or host-level containers, or borrow
 * another workload's API permissions, in its namespace. Unrestricted: passed through as written, for
 * platforms that grant that right deliberately.
 *
 * @param unrestricted {@code UNRESTRICTED_POD_TEMPLATES}, default false
 */
public record PodTemplatePolicy(boolean unrestricted) {

    public static final PodTemplatePolicy RESTRICTED = new PodTemplatePolicy(false);
    public static final PodTemplatePolicy UNRESTRICTED = new PodTemplatePolicy(true);
}
