package io.agentserver.service.agent.recording;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.Step;
import io.agentserver.service.store.Stores;
import io.agentserver.service.store.WorkspaceFile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The folder of exported runs. A recording's name is its file name; nothing outside the folder is read. */
public final class Recordings {

    public static final String FORMAT = "agent-server-recording/1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int EXPORT_PAGE_STEPS = 64;
    private static final long EXPORT_PAGE_BYTES = 1024 * 1024;

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

    /**
     * Writes the interaction's log and workspace as {@code <interaction id>.json}; returns that name. The log is
     * read and written a page at a time, so an export of any size holds one page in memory.
     */
    public String export(Interaction interaction, Stores stores) {
        String name = interaction.interactionId() + ".json";
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".export-", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp);
                 JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
                writeRecording(json, interaction, stores);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write recording " + name, e);
        }
        return name;
    }

    private static void writeRecording(JsonGenerator json, Interaction interaction, Stores stores) throws IOException {
        String id = interaction.interactionId();
        json.writeStartObject();
        json.writeStringField("format", FORMAT);
        json.writeStringField("interaction_id", id);
        json.writeStringField("user_id", interaction.userId());
        json.writeStringField("description", interaction.description());
        json.writeStringField("agent", interaction.agent());
        json.writeStringField("mode", interaction.mode());
        json.writeArrayFieldStart("parameters");
        for (String parameter : stores.parameters().list(id)) {
            json.writeRawValue(parameter);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("steps");
        long next = 0;
        List<Step> page;
        while (!(page = stores.steps().page(id, next, EXPORT_PAGE_STEPS, EXPORT_PAGE_BYTES)).isEmpty()) {
            for (Step step : page) {
                json.writeStartObject();
                json.writeStringField("status", step.status());
                json.writeStringField("current", step.current());
                json.writeStringField("node_id", step.nodeId());
                json.writeFieldName("data");
                json.writeRawValue(step.dataJson());
                json.writeFieldName("workspace_file_list");
                json.writeRawValue(step.workspaceFilesJson());
                json.writeFieldName("human_data");
                if (step.humanDataJson() == null) {
                    json.writeNull();
                } else {
                    json.writeRawValue(step.humanDataJson());
                }
                json.writeEndObject();
                next = step.seq() + 1;
            }
        }
        json.writeEndArray();
        json.writeArrayFieldStart("workspace");
        for (String file : stores.workspace().list(id)) {
            Optional<WorkspaceFile> content = stores.workspace().get(id, file);
            if (content.isPresent()) {
                json.writeStartObject();
                json.writeStringField("name", file);
                json.writeStringField("content_base64", Base64.getEncoder().encodeToString(content.get().content()));
                json.writeEndObject();
            }
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private Optional<Path> resolve(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path file = dir.resolve(name).normalize();
        return file.getParent().equals(dir) ? Optional.of(file) : Optional.empty();
    }
}
