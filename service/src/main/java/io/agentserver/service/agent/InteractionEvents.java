package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;

import java.time.Instant;
import java.util.Optional;

/**
 * Broker topics of interactions and the JSON their events travel in. Topics are namespaced under
 * {@code agentserver:} so the service can share a Redis with other systems.
 */
public final class InteractionEvents {

    private static final String PREFIX = "agentserver:";

    private InteractionEvents() {
    }

    /** Where an interaction's steps and status changes are published for its viewers. */
    public static String eventsTopic(String interactionId) {
        return PREFIX + "interaction:" + interactionId;
    }

    /** Where replies, stops and viewer changes reach the replica that owns the run. */
    public static String controlTopic(String interactionId) {
        return PREFIX + "run:" + interactionId;
    }

    public static String encode(InteractionEvent event) {
        ObjectNode node = Json.object();
        switch (event) {
            case InteractionEvent.StepAppended(Step step) -> {
                node.put("type", "step");
                node.put("interaction_id", step.interactionId());
                node.put("seq", step.seq());
                node.put("node_id", step.nodeId());
                node.put("status", step.status());
                node.put("current", step.current());
                node.set("data", Json.read(step.dataJson()));
                node.set("workspace_file_list", Json.read(step.workspaceFilesJson()));
                node.put("ask", step.askForHumanHelp());
                node.put("time", step.createTime().toEpochMilli());
            }
            case InteractionEvent.StatusChanged(String id, String userId, InteractionStatus status, String message) -> {
                node.put("type", "status");
                node.put("interaction_id", id);
                node.put("user_id", userId);
                node.put("status", status.wire());
                node.put("message", message);
            }
        }
        return Json.write(node);
    }

    /** Empty for a message that is not an interaction event (logged by the caller). */
    public static Optional<InteractionEvent> decode(String message) {
        return Json.parse(message).flatMap(InteractionEvents::decode);
    }

    private static Optional<InteractionEvent> decode(JsonNode node) {
        String id = node.path("interaction_id").asText(null);
        if (id == null) {
            return Optional.empty();
        }
        return switch (node.path("type").asText()) {
            case "step" -> Optional.of(new InteractionEvent.StepAppended(new Step(
                    id,
                    node.path("seq").asLong(),
                    node.path("node_id").asText(),
                    node.path("status").asText(),
                    node.path("current").asText(),
                    Json.write(node.path("data")),
                    Json.write(node.path("workspace_file_list")),
                    node.path("ask").asBoolean(),
                    null,
                    Instant.ofEpochMilli(node.path("time").asLong()))));
            case "status" -> InteractionStatus.fromWire(node.path("status").asText())
                    .map(s -> new InteractionEvent.StatusChanged(id, node.path("user_id").asText(), s,
                            node.path("message").asText()));
            default -> Optional.empty();
        };
    }
}
