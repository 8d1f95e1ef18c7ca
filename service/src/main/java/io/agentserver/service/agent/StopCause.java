package io.agentserver.service.agent;

/** Why a run was stopped before it ended by itself. */
public enum StopCause {
    /** The client closed its socket or sent {@code disconnect}: the run ends {@code closed}. */
    CLIENT_CLOSED("closed by the client"),
    /** The client vanished and did not come back within the grace period: {@code closed}. */
    CLIENT_GONE("the client went away"),
    /** This replica is shutting down: the run ends {@code failed} with a final frame that says so. */
    SHUTDOWN("the server is shutting down; please start the run again"),
    /**
     * This replica lost the run's lease (renewal failed or another replica took it): the run stops without
     * writing; the replica that holds the lease now ends it.
     */
    LEASE_LOST("the server running this interaction lost it; please start the run again");

    private final String message;

    StopCause(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
