package io.agentserver.service.autogpt;

import io.agentserver.service.hub.TextFrame;

import java.util.Objects;

/**
 * An AutoGPT server message, encoded once and shared by every socket it goes to. Its WebSocket frame, a hub
 * {@link TextFrame} (header and UTF-8 payload), is built on first use and cached: every socket writes the same
 * bytes. Callers must not modify its bytes.
 */
public final class EncodedFrame {
    private final String text;
    private volatile TextFrame frame;

    EncodedFrame(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /** The frame as a WebSocket text message. */
    public String text() {
        return text;
    }

    /** The complete WebSocket frame, encoded on first use; shared, do not modify. */
    public TextFrame frame() {
        TextFrame encoded = frame;
        if (encoded == null) {
            encoded = TextFrame.of(text);
            frame = encoded;
        }
        return encoded;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedFrame encoded && encoded.text.equals(text);
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
