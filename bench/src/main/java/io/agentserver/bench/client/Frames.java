package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Byte-level look-ups in received frames, so the load generator never decodes a frame to a String. */
public final class Frames {

    private Frames() {
    }

    /** Whether {@code buf}'s readable bytes hold {@code needle} (off the per-frame path: it allocates a matcher). */
    public static boolean contains(ByteBuf buf, byte[] needle) {
        return new ByteMatcher(needle).endOfFirstMatch(buf) >= 0;
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
