package io.agentserver.service.autogpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One streaming pass over a JSON object: its top-level string fields, the position of its text in
 * the source, and the same for the nested objects along one chosen path. Everything else is
 * tokenised (so the whole document is validated) but not materialised, which keeps ingest of large
 * events cheap and lets their raw text be forwarded untouched.
 */
record JsonObjectScan(int start, int end, Map<String, String> strings, Map<String, JsonObjectScan> objects) {
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Scans {@code source}, which must be exactly one JSON object without duplicate keys, descending
     * into the object-valued fields named by {@code path}, one name per level. Empty when the text is
     * not such an object. Never throws.
     */
    static Optional<JsonObjectScan> of(String source, List<String> path) {
        if (source == null) {
            return Optional.empty();
        }
        try (JsonParser parser = STRICT.createParser(source)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            JsonObjectScan scan = scan(parser, path);
            return parser.nextToken() == null ? Optional.of(scan) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static JsonObjectScan scan(JsonParser parser, List<String> path) throws IOException {
        int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
        Map<String, String> strings = new HashMap<>();
        Map<String, JsonObjectScan> objects = new HashMap<>();
        String descend = path.isEmpty() ? null : path.get(0);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_STRING) {
                strings.put(name, parser.getText());
            } else if (value == JsonToken.START_OBJECT && name.equals(descend)) {
                objects.put(name, scan(parser, path.subList(1, path.size())));
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
        int end = Math.toIntExact(parser.currentTokenLocation().getCharOffset()) + 1;
        return new JsonObjectScan(start, end, Map.copyOf(strings), Map.copyOf(objects));
    }

    /** This object's text within {@code source}. */
    RawJsonObject raw(String source) {
        return RawJsonObject.trusted(source.substring(start, end));
    }

    /** The non-blank string value of a top-level field, if it is one. */
    Optional<String> string(String name) {
        String value = strings.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    Optional<JsonObjectScan> object(String name) {
        return Optional.ofNullable(objects.get(name));
    }
}
