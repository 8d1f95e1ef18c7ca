package io.agentserver.operator.api;

/** Coarse state of an AgentServer, from the user's point of view. */
public enum Phase {
    /** Accepted, nothing running yet. */
    Pending,
    /** Objects applied, pods not yet all updated and available. */
    Progressing,
    /** Every replica updated and available, and its dependencies ready. */
    Ready,
    /** Running config cannot be applied or a dependency is missing; see the conditions. */
    Degraded,
    /** The spec itself is invalid; the operator changed nothing. */
    Failed
}
