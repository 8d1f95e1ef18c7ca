package io.agentserver.service.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the A2A view keeps beside the step log: the context each A2A task belongs to and the user's messages on it.
 * A run started elsewhere is a task too, without a row here (its context is its own id).
 */
public interface A2aTaskStore {

    /** Records an A2A task (an interaction) and the context the client put it in. */
    void create(String interactionId, String contextId);

    /** The context of an A2A task; empty for an interaction started elsewhere. */
    Optional<String> contextId(String interactionId);

    /** Appends a user message (ProtoJSON, as the client sent it) to the task's history. */
    void addMessage(String interactionId, String messageJson);

    /** The task's user messages, oldest first. */
    List<String> messages(String interactionId);

    /**
     * One page of a user's tasks, latest update first: every interaction a run started on, and every A2A task,
     * never a deleted one.
     */
    Page<ListedTask> list(TaskQuery query);

    /** A task of a listing and its context (its own id when it has none). */
    record ListedTask(Interaction interaction, String contextId) {
    }

    /**
     * @param contextId only tasks of this context, if present
     * @param statuses     only interactions in one of these (empty: any)
     * @param updatedSince only tasks updated at or after this instant, if present
     * @param after        only tasks after this one in the listing's order (the last of the previous page)
     * @param limit        most tasks on the page
     */
    record TaskQuery(String userId, Optional<String> contextId, Set<InteractionStatus> statuses,
                     Optional<Instant> updatedSince, Optional<Position> after, int limit) {
    }

    /** A place in the listing's order: update time, then interaction id, both descending. */
    record Position(Instant updateTime, String interactionId) {
    }
}
