package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agent.RunContext;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The files a run's tools see: the uploads the client attached and the files the run wrote (a run's
 * workspace starts with only its uploads). Writes go through {@link RunContext#writeFile}, so they show
 * in XAgent's workspace panel.
 */
final class RunWorkspace {

    static final int MAX_FILE_BYTES = 1_000_000;
    private static final Pattern SAFE_NAME = Pattern.compile("[\\w.\\- ]+(/[\\w.\\- ]+)*");

    private final RunContext ctx;
    private final Map<String, String> uploadsByName = new LinkedHashMap<>();
    private final Map<String, byte[]> written = new LinkedHashMap<>();

    RunWorkspace(RunContext ctx) {
        this.ctx = ctx;
        for (JsonNode file : ctx.files()) {
            if (file.path("name").isTextual() && file.path("uuid").isTextual()) {
                uploadsByName.put(file.path("name").asText(), file.path("uuid").asText());
            }
        }
    }

    /** A path the tools accept: relative, no {@code ..}, letters, digits, {@code _ . - space} and slashes. */
    static Optional<String> problemWith(String path) {
        if (path.isBlank() || path.length() > 200 || !SAFE_NAME.matcher(path).matches()
                || path.equals("..") || path.startsWith("../") || path.contains("/../") || path.endsWith("/..")) {
            return Optional.of("'" + path + "' is not a valid workspace file name (relative, no '..', at most 200 characters)");
        }
        return Optional.empty();
    }

    Optional<String> read(String path) {
        byte[] content = written.get(path);
        if (content == null) {
            content = Optional.ofNullable(uploadsByName.get(path)).flatMap(ctx::upload).orElse(null);
        }
        return Optional.ofNullable(content).map(c -> new String(c, StandardCharsets.UTF_8));
    }

    void write(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("content of " + path + " is over " + MAX_FILE_BYTES + " bytes");
        }
        ctx.writeFile(path, bytes);
        written.put(path, bytes);
    }

    TreeSet<String> list() {
        TreeSet<String> names = new TreeSet<>(uploadsByName.keySet());
        names.addAll(written.keySet());
        return names;
    }
}
