package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** An artifact of the remote task: its id, its human name and its parts as they came. */
record RemoteArtifact(String artifactId, String name, List<JsonNode> parts) {

    RemoteArtifact {
        parts = List.copyOf(parts);
    }

    static RemoteArtifact from(JsonNode node) {
        List<JsonNode> parts = new ArrayList<>();
        node.path("parts").forEach(parts::add);
        return new RemoteArtifact(node.path("artifactId").asText(""), node.path("name").asText(""), parts);
    }
}
