package io.agentserver.service.autogpt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A server frame encoded once, to be shared by every socket it goes to. The UTF-8 bytes are computed
 * on first use and cached; callers must not modify the array {@link #utf8()} returns.
 */
public final class EncodedFrame {
    private final String text;
    private volatile byte[] utf8;

    EncodedFrame(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /** The frame as a WebSocket text message. */
    public String text() {
        return text;
    }

    /** The frame's UTF-8 bytes, shared: do not modify. */
    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    /** Size on the wire in bytes, for byte-capped outbound queues. */
    public int byteLength() {
        return utf8().length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedFrame frame && frame.text.equals(text);
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
