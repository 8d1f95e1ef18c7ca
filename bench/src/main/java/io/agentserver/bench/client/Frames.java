package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Byte-level look-ups in received frames, so the load generator never decodes a frame to a String. */
public final class Frames {

    private Frames() {
    }

    /** Index of {@code needle} in {@code buf}'s readable bytes, or -1. */
    public static int indexOf(ByteBuf buf, byte[] needle) {
        int start = buf.readerIndex();
        int last = buf.writerIndex() - needle.length;
        outer:
        for (int i = start; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    public static boolean contains(ByteBuf buf, byte[] needle) {
        return indexOf(buf, needle) >= 0;
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
