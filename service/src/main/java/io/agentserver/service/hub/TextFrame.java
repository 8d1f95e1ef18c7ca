package io.agentserver.service.hub;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A server text message encoded once as a complete WebSocket frame: a final, unmasked TEXT frame (RFC 6455 header
 * and UTF-8 payload). Server frames carry no mask, so these bytes are the same for every socket the message goes
 * to; one instance is shared by all of them and written as is. Immutable; {@link #wire()} must not be modified.
 */
public final class TextFrame implements Outbound {

    private static final int FIN_TEXT = 0x81;
    private static final int FIN_PING = 0x89;
    private static final int FIN_PONG = 0x8A;

    private final String text;
    private final byte[] wire;
    private final int payloadOffset;

    private TextFrame(String text, byte[] wire, int payloadOffset) {
        this.text = text;
        this.wire = wire;
        this.payloadOffset = payloadOffset;
    }

    /** Encodes {@code text} once: UTF-8 payload behind its frame header. */
    public static TextFrame of(String text) {
        Objects.requireNonNull(text, "text");
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] wire = frame(FIN_TEXT, payload);
        return new TextFrame(text, wire, wire.length - payload.length);
    }

    /** The message as a string. */
    public String text() {
        return text;
    }

    /** The complete frame as it goes on the wire; shared, do not modify. */
    public byte[] wire() {
        return wire;
    }

    /** Where the UTF-8 payload starts in {@link #wire()}: 2, 4 or 10. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** The UTF-8 payload's length in bytes. */
    public int payloadLength() {
        return wire.length - payloadOffset;
    }

    @Override
    public int wireBytes() {
        return wire.length;
    }

    /** A complete unmasked PING frame whose 8-byte payload is {@code id}. */
    static byte[] ping(long id) {
        return frame(FIN_PING, pingPayload(id));
    }

    /** The 8-byte payload of ping {@code id}, big-endian. */
    static byte[] pingPayload(long id) {
        byte[] payload = new byte[8];
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (id >>> (56 - 8 * i));
        }
        return payload;
    }

    /** The id a pong echoes, if its payload is one of our 8-byte ping ids. */
    static OptionalLong pingId(byte[] payload) {
        if (payload.length != 8) {
            return OptionalLong.empty();
        }
        long id = 0;
        for (byte b : payload) {
            id = (id << 8) | (b & 0xFF);
        }
        return OptionalLong.of(id);
    }

    /** A complete unmasked PONG frame carrying {@code payload} (at most 125 bytes, as for every control frame). */
    static byte[] pong(byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("control frame payload over 125 bytes");
        }
        return frame(FIN_PONG, payload);
    }

    private static byte[] frame(int firstByte, byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length < 1 << 16 ? 4 : 10;
        byte[] wire = new byte[header + length];
        wire[0] = (byte) firstByte;
        if (header == 2) {
            wire[1] = (byte) length;
        } else if (header == 4) {
            wire[1] = 126;
            wire[2] = (byte) (length >>> 8);
            wire[3] = (byte) length;
        } else {
            wire[1] = 127;
            long longLength = length;
            for (int i = 0; i < 8; i++) {
                wire[2 + i] = (byte) (longLength >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, wire, header, length);
        return wire;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TextFrame frame && frame.text.equals(text);
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
