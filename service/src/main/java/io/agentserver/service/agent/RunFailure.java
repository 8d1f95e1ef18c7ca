package io.agentserver.service.agent;

/** Ends a run as {@code failed}; the message is what the client sees. */
public class RunFailure extends RuntimeException {

    public RunFailure(String message) {
        super(message);
    }
}
