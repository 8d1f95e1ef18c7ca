package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * The send stamp each published event carries in its payload, {@code "bench":[seq,sentNanos]} with
 * {@code sentNanos} from {@link System#nanoTime()} of the load generator, which also receives the frames; and a
 * reader that finds it in a frame's bytes without copying or allocating. A reader keeps state: one per thread.
 */
public final class Stamp {
    private static final byte[] MARKER = Frames.ascii("\"bench\":[");

    /** The JSON member to put in an event. */
    public static String member(long seq, long sentNanos) {
        return "\"bench\":[" + seq + "," + sentNanos + "]";
    }

    private final ByteMatcher marker = new ByteMatcher(MARKER);
    private long seq;
    private long sentNanos;

    /** Reads the stamp of {@code frame} into {@link #seq()} and {@link #sentNanos()}; false when it has none. */
    public boolean read(ByteBuf frame) {
        int i = marker.endOfFirstMatch(frame);
        if (i < 0) {
            return false;
        }
        int end = frame.writerIndex();
        long number = 0;
        byte b;
        while (i < end && (b = frame.getByte(i++)) != ',') {
            number = number * 10 + (b - '0');
        }
        seq = number;
        boolean negative = i < end && frame.getByte(i) == '-';
        if (negative) {
            i++;
        }
        number = 0;
        while (i < end && (b = frame.getByte(i++)) != ']') {
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
