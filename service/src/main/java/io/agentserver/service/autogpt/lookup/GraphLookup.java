package io.agentserver.service.autogpt.lookup;

import java.util.Optional;

/** The graph of one of a user's AutoGPT executions. */
public interface GraphLookup extends AutoCloseable {

    /**
     * @return the execution's {@code agentGraphId}; empty when there is no such execution of that user (unknown,
     *         another user's, or deleted)
     * @throws LookupFailedException when the database could not answer
     */
    Optional<String> graphOf(String userId, String graphExecId);

    @Override
    void close();

    /** The database could not answer (unreachable, timed out, refused the query). */
    final class LookupFailedException extends RuntimeException {
        public LookupFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
