package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A workspace file as an A2A artifact: {@code artifactId} and {@code name} are the file name, and its one part is
 * {@code text} when the file is UTF-8 text of a textual media type, else {@code raw} (base64), with {@code filename}
 * and {@code mediaType}.
 */
final class ArtifactParts {

    /** Media types the JDK's table does not know, or knows differently. */
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("md", "text/markdown"), Map.entry("markdown", "text/markdown"),
            Map.entry("json", "application/json"), Map.entry("txt", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("csv", "text/csv"), Map.entry("py", "text/x-python"), Map.entry("java", "text/x-java"),
            Map.entry("js", "text/javascript"), Map.entry("ts", "text/plain"), Map.entry("html", "text/html"),
            Map.entry("yaml", "application/yaml"), Map.entry("yml", "application/yaml"),
            Map.entry("xml", "application/xml"), Map.entry("sh", "text/x-shellscript"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"));
    private static final String BINARY = "application/octet-stream";

    private ArtifactParts() {
    }

    static ObjectNode artifact(String name, byte[] content) {
        ObjectNode artifact = Json.object().put("artifactId", name).put("name", name);
        artifact.putArray("parts").add(part(name, content));
        return artifact;
    }

    static ObjectNode part(String name, byte[] content) {
        String mediaType = mediaType(name);
        ObjectNode part = Json.object();
        Optional<String> text = textual(mediaType) ? utf8(content) : Optional.empty();
        if (text.isPresent()) {
            part.put("text", text.get());
        } else {
            part.put("raw", Base64.getEncoder().encodeToString(content));
        }
        return part.put("filename", name).put("mediaType", mediaType);
    }

    static String mediaType(String name) {
        int dot = name.lastIndexOf('.');
        String suffix = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String known = KNOWN.get(suffix);
        if (known != null) {
            return known;
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed == null ? (suffix.isEmpty() ? "text/plain" : BINARY) : guessed;
    }

    private static boolean textual(String mediaType) {
        return mediaType.startsWith("text/") || mediaType.equals("application/json")
                || mediaType.equals("application/yaml") || mediaType.equals("application/xml")
                || mediaType.equals("image/svg+xml");
    }

    private static Optional<String> utf8(byte[] content) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
