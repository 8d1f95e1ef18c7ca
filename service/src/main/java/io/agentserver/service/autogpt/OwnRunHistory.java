package io.agentserver.service.autogpt;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The node events of our own runs as they were published, read back from the step log: what a replica's
 * {@code /ws} subscribers missed while its broker connection was away is filled from here.
 */
public interface OwnRunHistory {

    /** A replica without access to the log (tests of the fan-out alone): no run is ours. */
    OwnRunHistory NONE = new OwnRunHistory() {
        @Override
        public OptionalLong lastSeq(String userId, String interactionId) {
            return OptionalLong.empty();
        }

        @Override
        public List<PublishedEvent> after(String userId, String interactionId, long seq) {
            return List.of();
        }

        @Override
        public Optional<PublishedEvent> status(String userId, String interactionId) {
            return Optional.empty();
        }
    };

    /**
     * The seq of the last stored step when {@code interactionId} is one of our runs owned by {@code userId}
     * (-1 before its first step); empty for anything else (an AutoGPT executor's execution, another user's run).
     */
    OptionalLong lastSeq(String userId, String interactionId);

    /** The node events of the run's steps after {@code seq}, in order, exactly as they were published. */
    List<PublishedEvent> after(String userId, String interactionId, long seq);

    /** The {@code graph_execution_event} of the run's status as stored now. */
    Optional<PublishedEvent> status(String userId, String interactionId);

    /** One message as published: its channel, its text, and the step's seq. */
    record PublishedEvent(String channel, String message, long seq) {
    }
}
