package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds a byte string in a buffer in one pass (Knuth–Morris–Pratt) through {@link ByteBuf#forEachByte}, which reads
 * a direct buffer without a bounds and reference-count check per byte. Holds the match state: one per thread.
 */
public final class ByteMatcher implements ByteProcessor {
    private final byte[] needle;
    private final int[] fallback;
    private int matched;

    public ByteMatcher(byte[] needle) {
        if (needle.length == 0) {
            throw new IllegalArgumentException("empty needle");
        }
        this.needle = needle.clone();
        this.fallback = new int[needle.length];
        for (int i = 1, k = 0; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) {
                k = fallback[k - 1];
            }
            if (needle[i] == needle[k]) {
                k++;
            }
            fallback[i] = k;
        }
    }

    /** Absolute index in {@code buf} of the byte right after the first match in its readable bytes, or -1. */
    public int endOfFirstMatch(ByteBuf buf) {
        matched = 0;
        int last = buf.forEachByte(this);
        return last < 0 ? -1 : last + 1;
    }

    /** Index in {@code bytes} of the byte right after the first match in {@code [from, to)}, or -1. */
    public int endOfFirstMatch(byte[] bytes, int from, int to) {
        int k = 0;
        for (int i = from; i < to; i++) {
            byte value = bytes[i];
            while (k > 0 && value != needle[k]) {
                k = fallback[k - 1];
            }
            if (value == needle[k]) {
                k++;
                if (k == needle.length) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    @Override
    public boolean process(byte value) {
        int k = matched;
        while (k > 0 && value != needle[k]) {
            k = fallback[k - 1];
        }
        if (value == needle[k]) {
            k++;
        }
        if (k == needle.length) {
            return false;
        }
        matched = k;
        return true;
    }
}
