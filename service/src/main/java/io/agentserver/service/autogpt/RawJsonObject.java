package io.agentserver.service.autogpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The exact text of one JSON object, known to be well-formed, so that it can be spliced into a frame
 * as the {@code data} value without being re-serialised: unknown fields, key order and number
 * formats stay as published. Instances come only from {@link #parse(String)} or from code in this
 * package that has already validated the text.
 */
public final class RawJsonObject {
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String text;

    private RawJsonObject(String text) {
        this.text = text;
    }

    /**
     * The text as a raw object if it is exactly one JSON object (surrounding whitespace allowed, no
     * duplicate keys, nothing after it); empty otherwise. Never throws.
     */
    public static Optional<RawJsonObject> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try (JsonParser parser = STRICT.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(new RawJsonObject(text.strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** For text this package has validated or generated itself. */
    static RawJsonObject trusted(String text) {
        return new RawJsonObject(Objects.requireNonNull(text, "text"));
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawJsonObject raw && raw.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
