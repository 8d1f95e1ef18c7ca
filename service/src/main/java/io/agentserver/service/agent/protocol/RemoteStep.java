package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A step the Agent Protocol server executed. {@code output} is the spec's string (other JSON is kept as its
 * text); {@code additionalOutput} is whatever the server put there (null node when absent).
 */
record RemoteStep(String stepId, String name, String status, String output, JsonNode additionalOutput,
                  List<RemoteArtifact> artifacts, boolean isLast) {

    static RemoteStep from(JsonNode node) {
        if (!node.path("step_id").isTextual()) {
            throw new IllegalArgumentException("a step without step_id");
        }
        List<RemoteArtifact> artifacts = new ArrayList<>();
        node.path("artifacts").forEach(a -> RemoteArtifact.from(a).ifPresent(artifacts::add));
        JsonNode output = node.path("output");
        return new RemoteStep(
                node.path("step_id").asText(),
                node.path("name").isTextual() ? node.path("name").asText() : "",
                node.path("status").asText(""),
                output.isTextual() ? output.asText() : output.isMissingNode() || output.isNull() ? "" : Json.write(output),
                node.has("additional_output") ? node.get("additional_output") : NullNode.getInstance(),
                List.copyOf(artifacts),
                node.path("is_last").asBoolean(false));
    }
}
