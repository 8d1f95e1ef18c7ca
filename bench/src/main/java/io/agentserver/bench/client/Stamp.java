package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * The send stamp each published event carries in its payload, {@code "bench":[seq,sentNanos]} with
 * {@code sentNanos} from {@link System#nanoTime()} of the load generator, which also receives the frames; and a
 * reader that finds it in a frame's bytes without decoding or allocating per frame. A reader keeps state: one per
 * thread.
 */
public final class Stamp {
    private static final byte[] MARKER = Frames.ascii("\"bench\":[");

    /** The JSON member to put in an event. */
    public static String member(long seq, long sentNanos) {
        return "\"bench\":[" + seq + "," + sentNanos + "]";
    }

    private final ByteMatcher marker = new ByteMatcher(MARKER);
    /**
     * The frame's bytes, copied in one bulk read: on JDK 25 Netty reads a direct buffer byte by byte through
     * {@code ScopedMemoryAccess} with a liveness check each, which made the search the load generator's top cost.
     */
    private byte[] scratch = new byte[4096];
    private long seq;
    private long sentNanos;

    /** Reads the stamp of {@code frame} into {@link #seq()} and {@link #sentNanos()}; false when it has none. */
    public boolean read(ByteBuf frame) {
        int length = frame.readableBytes();
        if (length > scratch.length) {
            scratch = new byte[Integer.highestOneBit(length) << 1];
        }
        byte[] bytes = scratch;
        frame.getBytes(frame.readerIndex(), bytes, 0, length);
        int i = marker.endOfFirstMatch(bytes, 0, length);
        if (i < 0) {
            return false;
        }
        long number = 0;
        byte b;
        while (i < length && (b = bytes[i++]) != ',') {
            number = number * 10 + (b - '0');
        }
        seq = number;
        boolean negative = i < length && bytes[i] == '-';
        if (negative) {
            i++;
        }
        number = 0;
        while (i < length && (b = bytes[i++]) != ']') {
            number = number * 10 + (b - '0');
        }
        sentNanos = negative ? -number : number;
        return true;
    }

    public long seq() {
        return seq;
    }

    public long sentNanos() {
        return sentNanos;
    }
}
