package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * One A2A stream response ({@code {"statusUpdate":…}} or {@code {"artifactUpdate":…}}) rendered from the step log,
 * with its id; {@code state} is the task state a status update reports (empty for an artifact).
 */
record TaskEvent(EventId id, Optional<A2aState> state, ObjectNode response) {

    /** The status update's {@code status} object ({@code state}, {@code message}, {@code timestamp}). */
    ObjectNode status() {
        return (ObjectNode) response.path("statusUpdate").path("status");
    }
}
