package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** An artifact a task or step lists: what to download and where it goes in the workspace. */
record RemoteArtifact(String artifactId, String fileName, String relativePath) {

    static Optional<RemoteArtifact> from(JsonNode node) {
        if (!node.path("artifact_id").isTextual() || !node.path("file_name").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new RemoteArtifact(node.path("artifact_id").asText(), node.path("file_name").asText(),
                node.path("relative_path").isTextual() ? node.path("relative_path").asText() : ""));
    }

    /**
     * The workspace name: relative path and file name joined with {@code /}, with empty, {@code .} and
     * {@code ..} segments and leading slashes dropped so that no artifact names a place outside the workspace.
     */
    String workspaceName() {
        StringBuilder name = new StringBuilder();
        for (String segment : (relativePath + "/" + fileName).split("[/\\\\]+")) {
            if (segment.isBlank() || segment.equals(".") || segment.equals("..")) {
                continue;
            }
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(segment);
        }
        return name.isEmpty() ? artifactId : name.toString();
    }
}
