package io.agentserver.service.agent;

/** The run was stopped (its client left, or the server is shutting down) while the agent waited. */
public class RunStoppedException extends RuntimeException {

    public RunStoppedException(String message) {
        super(message);
    }
}
