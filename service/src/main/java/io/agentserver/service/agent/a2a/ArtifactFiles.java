package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunContext;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.agent.upstream.SpooledBody;
import io.agentserver.service.agent.upstream.UpstreamCall;
import io.agentserver.service.agent.upstream.UpstreamClient;
import io.agentserver.service.agent.upstream.UpstreamFailure;
import io.agentserver.service.json.Json;
import io.agentserver.service.secrets.Redacted;

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
 * parts not written yet. A file over {@code max-artifact-bytes}, or more than {@code max-artifacts} files, ends
 * the run; a download goes through a temporary file and stops at the cap.
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
    private final UpstreamClients clients;
    private final URI endpoint;
    private final BooleanSupplier stopped;
    private final Map<String, Written> artifacts = new HashMap<>();
    private final Set<String> files = new HashSet<>();

    ArtifactFiles(A2aAgentSettings settings, UpstreamClients clients, URI endpoint, BooleanSupplier stopped) {
        this.settings = settings;
        this.clients = clients;
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
        if (!files.contains(target.file) && files.size() >= settings.maxArtifacts()) {
            clients.telemetry().upstreamError(settings.name(), AgentTelemetry.TOO_LARGE);
            throw new RunFailure("agent " + settings.name() + " sent more than " + settings.maxArtifacts()
                    + " artifacts (max-artifacts); the run was ended");
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(target.content);
        List<String> problems = new ArrayList<>();
        for (JsonNode part : parts) {
            switch (bytes(part, settings.maxArtifactBytes() - content.size(), target.file)) {
                case PartContent.Bytes(byte[] bytes) -> content.writeBytes(bytes);
                case PartContent.Skipped(String why) -> problems.add(why);
            }
            if (content.size() > settings.maxArtifactBytes()) {
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
                clients.telemetry().upstreamError(settings.name(), AgentTelemetry.BAD_RESPONSE);
                throw new RunFailure("agent " + settings.name() + " sent a raw part for " + file + " that is not base64");
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
            return fetch(part.path("url").asText(), room, file);
        }
        return new PartContent.Bytes(new byte[0]);
    }

    private PartContent fetch(String url, long room, String file) throws InterruptedException {
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
        if (room <= 0) {
            throw tooLarge(file);
        }
        try (UpstreamClient client = clients.download(uri, own);
             SpooledBody body = client.spool(UpstreamCall.get(Origins.path(uri)).header("Accept", "*/*"), room, stopped)
                     .body()) {
            return new PartContent.Bytes(body.bytes());
        } catch (UpstreamFailure e) {
            return skipped(uri, e.getMessage());
        }
    }

    private static PartContent skipped(URI uri, String why) {
        return new PartContent.Skipped("the url part " + Redacted.url(uri) + " was not fetched: " + why);
    }

    private RunFailure tooLarge(String file) {
        clients.telemetry().upstreamError(settings.name(), AgentTelemetry.TOO_LARGE);
        return new RunFailure("agent " + settings.name() + " sent " + file + " larger than " + settings.maxArtifactBytes()
                + " bytes (max-artifact-bytes); the run was ended");
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
