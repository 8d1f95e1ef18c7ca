package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the remote agent said, from one A2A {@code StreamResponse} (a stream event, or the result of
 * {@code SendMessage}) or a {@code GetTask} result: exactly one of a task snapshot, a message, a status update or
 * an artifact update.
 */
sealed interface RemoteEvent {

    /** The whole task as the agent has it now: status, and every artifact so far (appended chunks merged). */
    record TaskSnapshot(String taskId, String contextId, RemoteStatus status, List<RemoteArtifact> artifacts)
            implements RemoteEvent {
        static TaskSnapshot from(JsonNode task) {
            List<RemoteArtifact> artifacts = new ArrayList<>();
            task.path("artifacts").forEach(a -> artifacts.add(RemoteArtifact.from(a)));
            return new TaskSnapshot(task.path("id").asText(""), task.path("contextId").asText(""),
                    RemoteStatus.from(task.path("status")), List.copyOf(artifacts));
        }
    }

    /** The agent answered with a message and no task. */
    record MessageResult(RemoteMessage message) implements RemoteEvent {
    }

    record StatusUpdate(String taskId, String contextId, RemoteStatus status) implements RemoteEvent {
    }

    /** A new artifact, or with {@code append} more parts of one sent before under the same id. */
    record ArtifactUpdate(String taskId, RemoteArtifact artifact, boolean append) implements RemoteEvent {
    }

    /** The event in a {@code StreamResponse} or {@code SendMessageResponse}; empty when it holds none of the four. */
    static Optional<RemoteEvent> fromStreamResponse(JsonNode result) {
        if (result.path("task").isObject()) {
            return Optional.of(TaskSnapshot.from(result.get("task")));
        }
        if (result.path("message").isObject()) {
            return Optional.of(new MessageResult(RemoteMessage.from(result.get("message"))));
        }
        if (result.path("statusUpdate").isObject()) {
            JsonNode update = result.get("statusUpdate");
            return Optional.of(new StatusUpdate(update.path("taskId").asText(""), update.path("contextId").asText(""),
                    RemoteStatus.from(update.path("status"))));
        }
        if (result.path("artifactUpdate").isObject()) {
            JsonNode update = result.get("artifactUpdate");
            return Optional.of(new ArtifactUpdate(update.path("taskId").asText(""),
                    RemoteArtifact.from(update.path("artifact")), update.path("append").asBoolean(false)));
        }
        return Optional.empty();
    }
}
