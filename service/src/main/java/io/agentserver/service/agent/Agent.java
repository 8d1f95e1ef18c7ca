package io.agentserver.service.agent;

/**
 * Something that carries out a goal step by step. Implementations emit every step through the context
 * and return normally when done; throwing {@link RunFailure} ends the run as failed with its message.
 */
public interface Agent {

    /** The name clients select with the start frame's {@code agent} field. */
    String name();

    void run(RunContext context) throws InterruptedException;

    /**
     * True when the agent reports model output as it streams ({@link RunContext#liveOutput()}): views that show
     * partial output then read what was stored before each step.
     */
    default boolean streamsOutput() {
        return false;
    }
}
