package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * The send stamp each published event carries in its payload: {@code "bench":[seq,sentNanos]}, with
 * {@code sentNanos} from {@link System#nanoTime()} of the load generator, which also receives the frames.
 */
public final class Stamp {
    private static final byte[] MARKER = Frames.ascii("\"bench\":[");

    /** The JSON member to put in an event. */
    public static String member(long seq, long sentNanos) {
        return "\"bench\":[" + seq + "," + sentNanos + "]";
    }

    private final long seq;
    private final long sentNanos;

    private Stamp(long seq, long sentNanos) {
        this.seq = seq;
        this.sentNanos = sentNanos;
    }

    public long seq() {
        return seq;
    }

    public long sentNanos() {
        return sentNanos;
    }

    /** The stamp in a frame, or null when it carries none. */
    public static Stamp find(ByteBuf frame) {
        int at = Frames.indexOf(frame, MARKER);
        if (at < 0) {
            return null;
        }
        int i = frame.readerIndex() + at + MARKER.length;
        long seq = 0;
        byte b;
        while ((b = frame.getByte(i++)) != ',') {
            seq = seq * 10 + (b - '0');
        }
        long sent = 0;
        boolean negative = false;
        if (frame.getByte(i) == '-') {
            negative = true;
            i++;
        }
        while ((b = frame.getByte(i++)) != ']') {
            sent = sent * 10 + (b - '0');
        }
        return new Stamp(seq, negative ? -sent : sent);
    }
}
