package io.agentserver.service.agent.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;
import io.agentserver.service.store.WorkspaceFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** The folder of exported runs. A recording's name is its file name; nothing outside the folder is read. */
public final class Recordings {

    public static final String FORMAT = "agent-server-recording/1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path dir;

    public Recordings(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The recording called {@code name}, or empty when there is none (or the name is not a plain file name). */
    public Optional<JsonNode> load(String name) {
        Optional<Path> file = resolve(name).filter(Files::isRegularFile);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Json.parse(Files.readString(file.get()))
                    .filter(n -> FORMAT.equals(n.path("format").asText()) && n.path("steps").isArray());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes the interaction's log and workspace as {@code <interaction id>.json}; returns that name. */
    public String export(Interaction interaction, Stores stores) {
        ObjectNode recording = Json.object();
        recording.put("format", FORMAT);
        recording.put("interaction_id", interaction.interactionId());
        recording.put("user_id", interaction.userId());
        recording.put("description", interaction.description());
        recording.put("agent", interaction.agent());
        recording.put("mode", interaction.mode());
        ArrayNode parameters = recording.putArray("parameters");
        stores.parameters().list(interaction.interactionId()).forEach(p -> parameters.add(Json.read(p)));
        ArrayNode steps = recording.putArray("steps");
        for (Step step : stores.steps().listFrom(interaction.interactionId(), 0)) {
            ObjectNode node = steps.addObject();
            node.put("status", step.status());
            node.put("current", step.current());
            node.put("node_id", step.nodeId());
            node.set("data", Json.read(step.dataJson()));
            node.set("workspace_file_list", Json.read(step.workspaceFilesJson()));
            node.set("human_data", step.humanDataJson() == null ? null : Json.read(step.humanDataJson()));
        }
        ArrayNode workspace = recording.putArray("workspace");
        for (String name : stores.workspace().list(interaction.interactionId())) {
            stores.workspace().get(interaction.interactionId(), name).map(WorkspaceFile::content)
                    .ifPresent(bytes -> workspace.addObject().put("name", name)
                            .put("content_base64", Base64.getEncoder().encodeToString(bytes)));
        }
        String name = interaction.interactionId() + ".json";
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".export-", ".tmp");
            Files.writeString(tmp, Json.write(recording));
            Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write recording " + name, e);
        }
        return name;
    }

    private Optional<Path> resolve(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path file = dir.resolve(name).normalize();
        return file.getParent().equals(dir) ? Optional.of(file) : Optional.empty();
    }
}
