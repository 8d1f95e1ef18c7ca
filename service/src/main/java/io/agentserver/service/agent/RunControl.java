package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.Optional;

/**
 * Messages to the replica that owns a run, sent by whichever replica the client is connected to. Who watches a run
 * is not among them: that is kept in the store ({@link RunViewers}), where a lost message cannot falsify it.
 */
public sealed interface RunControl {

    /** A human reply to step {@code nodeId} was stored. */
    record Reply(String nodeId) implements RunControl {
    }

    /** End the run as {@code closed}. */
    record Stop(String reason) implements RunControl {
    }

    static String encode(RunControl control) {
        ObjectNode node = Json.object();
        switch (control) {
            case Reply(String nodeId) -> node.put("type", "reply").put("node_id", nodeId);
            case Stop(String reason) -> node.put("type", "stop").put("reason", reason);
        }
        return Json.write(node);
    }

    static Optional<RunControl> decode(String message) {
        return Json.parse(message).flatMap(RunControl::decode);
    }

    private static Optional<RunControl> decode(JsonNode node) {
        return switch (node.path("type").asText()) {
            case "reply" -> Optional.of(new Reply(node.path("node_id").asText()));
            case "stop" -> Optional.of(new Stop(node.path("reason").asText()));
            default -> Optional.empty();
        };
    }
}
