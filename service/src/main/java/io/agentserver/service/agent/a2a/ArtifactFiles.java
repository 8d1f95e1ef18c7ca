package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.json.Json;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A run's artifacts as workspace files. A file is named after the first part's {@code filename}, else the
 * artifact's {@code name}, else its {@code artifactId}, reduced to a plain name (no directory, no {@code ..}).
 * Parts: {@code text} as UTF-8, {@code raw} decoded from base64, {@code data} as JSON, {@code url} fetched
 * (http/https; from the agent's own origins or {@code fetch-origins}; a failed fetch is reported and the run goes
 * on). An update with {@code append} adds to the file of the same artifact id; a task snapshot adds only the
 * parts not written yet. A file over {@code max-file-bytes}, or more than {@code max-files} files, ends the run.
 */
final class ArtifactFiles {

    /** What one artifact update did, for its step: the file written (if any) and what to say about it. */
    record Saved(String file, String report, boolean complete) {
    }

    private static final String ANY_ORIGIN = "*";

    /** An artifact seen before: its file, how many of its parts were written, and the file's content so far. */
    private static final class Written {
        final String file;
        int parts;
        byte[] content = new byte[0];

        Written(String file) {
            this.file = file;
        }
    }

    private final A2aAgentSettings settings;
    private final A2aHttp http;
    private final URI endpoint;
    private final BooleanSupplier stopped;
    private final Map<String, Written> artifacts = new HashMap<>();
    private final Set<String> files = new HashSet<>();

    ArtifactFiles(A2aAgentSettings settings, A2aHttp http, URI endpoint, BooleanSupplier stopped) {
        this.settings = settings;
        this.http = http;
        this.endpoint = endpoint;
        this.stopped = stopped;
    }

    /** An {@code artifactUpdate}: a new artifact, a replacement (same id, no append) or more parts of one. */
    Saved update(RunContext ctx, RemoteArtifact artifact, boolean append) throws InterruptedException {
        Written known = artifacts.get(artifact.artifactId());
        if (known == null || !append) {
            known = new Written(known != null ? known.file : fileName(artifact));
        }
        return write(ctx, artifact, known, artifact.parts());
    }

    /** An artifact of a task snapshot: whole, so only the parts beyond those written already are new. */
    Optional<Saved> snapshot(RunContext ctx, RemoteArtifact artifact) throws InterruptedException {
        Written known = artifacts.get(artifact.artifactId());
        if (known == null) {
            return Optional.of(write(ctx, artifact, new Written(fileName(artifact)), artifact.parts()));
        }
        if (artifact.parts().size() <= known.parts) {
            return Optional.empty();
        }
        return Optional.of(write(ctx, artifact, known, artifact.parts().subList(known.parts, artifact.parts().size())));
    }

    private Saved write(RunContext ctx, RemoteArtifact artifact, Written target, List<JsonNode> parts)
            throws InterruptedException {
        if (!files.contains(target.file) && files.size() >= settings.maxFiles()) {
            throw new RunFailure("agent " + settings.name() + " sent more than " + settings.maxFiles()
                    + " files; the run was ended");
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(target.content);
        List<String> problems = new ArrayList<>();
        for (JsonNode part : parts) {
            switch (bytes(part, settings.maxFileBytes() - content.size(), target.file)) {
                case PartContent.Bytes(byte[] bytes) -> content.writeBytes(bytes);
                case PartContent.Skipped(String why) -> problems.add(why);
            }
            if (content.size() > settings.maxFileBytes()) {
                throw tooLarge(target.file);
            }
        }
        target.parts += parts.size();
        target.content = content.toByteArray();
        artifacts.put(artifact.artifactId(), target);
        ctx.writeFile(target.file, target.content);
        files.add(target.file);
        String report = "Saved " + target.file + " (" + target.content.length + " bytes) from artifact "
                + (artifact.name().isBlank() ? artifact.artifactId() : artifact.name());
        return new Saved(target.file, problems.isEmpty() ? report : report + "; " + String.join("; ", problems),
                problems.isEmpty());
    }

    /** What one part gives the file: bytes, or nothing and why (a {@code url} that could not be fetched). */
    private sealed interface PartContent {
        record Bytes(byte[] bytes) implements PartContent {
        }

        record Skipped(String why) implements PartContent {
        }
    }

    private PartContent bytes(JsonNode part, long room, String file) throws InterruptedException {
        if (part.path("text").isTextual()) {
            return new PartContent.Bytes(part.path("text").asText().getBytes(StandardCharsets.UTF_8));
        }
        if (part.path("raw").isTextual()) {
            String base64 = part.path("raw").asText();
            if ((long) base64.length() / 4 * 3 > room + 3) {
                throw tooLarge(file);
            }
            try {
                return new PartContent.Bytes(Base64.getDecoder().decode(base64.replaceAll("\\s", "")));
            } catch (IllegalArgumentException e) {
                throw new A2aFailure(AgentTelemetry.BAD_RESPONSE, "agent "
                        + settings.name() + " sent a raw part for " + file + " that is not base64");
            }
        }
        if (part.has("data")) {
            try {
                return new PartContent.Bytes(Json.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(part.get("data")));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (part.path("url").isTextual()) {
            return fetch(part.path("url").asText(), room);
        }
        return new PartContent.Bytes(new byte[0]);
    }

    private PartContent fetch(String url, long room) throws InterruptedException {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return new PartContent.Skipped("a url part that is not a URL was skipped");
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            return skipped(uri, "only http and https URLs are fetched");
        }
        boolean own = Origins.same(uri, settings.url()) || Origins.same(uri, endpoint);
        if (!own && !settings.fetchOrigins().contains(ANY_ORIGIN)
                && settings.fetchOrigins().stream().noneMatch(o -> Origins.same(uri, URI.create(o)))) {
            return skipped(uri, Origins.of(uri) + " is neither the agent's origin nor listed in fetch-origins");
        }
        String call = "GET " + Redaction.url(uri);
        try {
            A2aHttp.Answer answer = http.fetch(call, new A2aHttp.Request("GET", uri, null, Map.of("Accept", "*/*"), own),
                    room, stopped);
            if (answer.status() / 100 != 2) {
                return skipped(uri, "it answered HTTP " + answer.status());
            }
            return new PartContent.Bytes(answer.body());
        } catch (A2aFailure e) {
            return skipped(uri, e.getMessage());
        }
    }

    private static PartContent skipped(URI uri, String why) {
        return new PartContent.Skipped("the url part " + Redaction.url(uri) + " was not fetched: " + why);
    }

    private RunFailure tooLarge(String file) {
        return new RunFailure("agent " + settings.name() + " sent " + file + " larger than " + settings.maxFileBytes()
                + " bytes (max-file-bytes); the run was ended");
    }

    /** The workspace name of a new artifact: a plain file name from filename, name or id. */
    static String fileName(RemoteArtifact artifact) {
        List<String> candidates = new ArrayList<>();
        artifact.parts().stream().map(p -> p.path("filename").asText("")).filter(f -> !f.isBlank()).findFirst()
                .ifPresent(candidates::add);
        candidates.add(artifact.name());
        candidates.add(artifact.artifactId());
        for (String candidate : candidates) {
            String plain = plain(candidate);
            if (!plain.isEmpty()) {
                return plain;
            }
        }
        return "artifact";
    }

    private static String plain(String name) {
        String[] segments = name.split("[/\\\\]");
        String last = segments.length == 0 ? "" : segments[segments.length - 1];
        last = last.replaceAll("\\p{Cntrl}", "").strip();
        return last.equals(".") || last.equals("..") ? "" : last;
    }
}
