package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A message of the remote agent (a status message or a message result): its id and its parts as they came. */
record RemoteMessage(String messageId, List<JsonNode> parts) {

    RemoteMessage {
        parts = List.copyOf(parts);
    }

    static RemoteMessage from(JsonNode node) {
        List<JsonNode> parts = new ArrayList<>();
        node.path("parts").forEach(parts::add);
        return new RemoteMessage(node.path("messageId").asText(""), parts);
    }

    /** The text parts joined by a new line. */
    String text() {
        return parts.stream().filter(p -> p.path("text").isTextual()).map(p -> p.path("text").asText())
                .collect(Collectors.joining("\n"));
    }

    /** The text parts and, after them, each {@code data} part as compact JSON on a line of its own. */
    String textAndData() {
        List<String> lines = new ArrayList<>();
        String text = text();
        if (!text.isEmpty()) {
            lines.add(text);
        }
        parts.stream().filter(p -> p.has("data")).forEach(p -> lines.add(Json.write(p.get("data"))));
        return String.join("\n", lines);
    }
}
