package io.agentserver.service.agent;

/**
 * A run's replica no longer holds the run's lease (another replica's reaper took it, or renewal failed for
 * longer than the lease lasts): the run must stop without writing anything more.
 */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String interactionId, String leaseOwner) {
        super("the lease of interaction " + interactionId + " is no longer held by " + leaseOwner);
    }
}
