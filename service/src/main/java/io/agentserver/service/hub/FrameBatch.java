package io.agentserver.service.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames, pongs and pings a writer took from its queue back to back, written together: on a direct
 * {@link SocketWire} as one socket write (the frames' bytes side by side), otherwise one session call each.
 * Used by one drain at a time. It follows the view positions ({@link Outbound.Tagged#tag()}) the frames carry,
 * so that each ping knows the last position written before it.
 */
final class FrameBatch {

    /** A batch is written once it holds this many bytes, so that a long queue never becomes one huge array. */
    static final int MAX_BYTES = 256 * 1024;

    private final SocketWire wire;
    /** What the batch holds: most drains write one frame, so the list is made only for a second part. */
    private Outbound first;
    private List<Outbound> more;
    private int items;
    private int bytes;
    private int frames;
    /** The last view position added; carried from batch to batch. */
    private long lastTag;

    FrameBatch(SocketWire wire, long lastTag) {
        this.wire = wire;
        this.lastTag = lastTag;
    }

    void add(Outbound item) {
        if (items == 0) {
            first = item;
        } else {
            if (more == null) {
                more = new ArrayList<>();
            }
            more.add(item);
        }
        items++;
        bytes += item.wireBytes();
        if (item instanceof TextFrame || item instanceof Outbound.Tagged) {
            frames++;
        }
    }

    boolean isEmpty() {
        return items == 0;
    }

    boolean isFull() {
        return bytes >= MAX_BYTES;
    }

    /** Queue bytes this batch holds. */
    int bytes() {
        return bytes;
    }

    /** The last view position written (or added, before the batch is written). */
    long lastTag() {
        return lastTag;
    }

    /**
     * Writes everything and tells {@code listener}; then the batch is empty again. A failed write throws, and
     * nothing of the batch counts as sent.
     */
    void write(OutboundWriter.FrameListener listener) {
        try {
            if (wire.direct()) {
                writeDirect();
            } else {
                sendEach();
            }
            report(listener);
        } finally {
            clear();
        }
    }

    void clear() {
        first = null;
        if (more != null) {
            more.clear();
        }
        items = 0;
        bytes = 0;
        frames = 0;
    }

    private void report(OutboundWriter.FrameListener listener) {
        if (frames > 0) {
            listener.sent(frames);
        }
        long before = lastTag;
        report(first, listener);
        if (more != null) {
            for (Outbound part : more) {
                report(part, listener);
            }
        }
        if (lastTag != before) {
            listener.positionWritten(lastTag);
        }
    }

    private void report(Outbound part, OutboundWriter.FrameListener listener) {
        switch (part) {
            case Outbound.Tagged tagged -> {
                if (tagged.tag() >= 0) {
                    lastTag = tagged.tag();
                }
                if (tagged.emittedAtMillis() > 0) {
                    listener.stepSent(tagged.emittedAtMillis());
                }
            }
            case Outbound.Ping ping -> listener.pingSent(ping.id(), lastTag);
            default -> {
            }
        }
    }

    private void writeDirect() {
        if (items == 1) {
            byte[] only = wireOf(first);
            wire.write(only, only.length);
            return;
        }
        byte[] out = new byte[bytes];
        int at = copy(first, out, 0);
        if (more != null) {
            for (Outbound part : more) {
                at = copy(part, out, at);
            }
        }
        wire.write(out, at);
    }

    private static int copy(Outbound part, byte[] out, int at) {
        byte[] frame = wireOf(part);
        System.arraycopy(frame, 0, out, at, frame.length);
        return at + frame.length;
    }

    private static byte[] wireOf(Outbound part) {
        return switch (part) {
            case TextFrame text -> text.wire();
            case Outbound.Tagged tagged -> tagged.frame().wire();
            case Outbound.Pong pong -> TextFrame.pong(pong.payload());
            case Outbound.Ping ping -> TextFrame.ping(ping.id());
            case Outbound.Close close -> throw new IllegalStateException("a close frame is not batched");
        };
    }

    private void sendEach() {
        sendOne(first);
        if (more != null) {
            more.forEach(this::sendOne);
        }
    }

    private void sendOne(Outbound part) {
        switch (part) {
            case TextFrame text -> wire.send(text.text());
            case Outbound.Tagged tagged -> wire.send(tagged.frame().text());
            case Outbound.Pong pong -> wire.pong(pong.payload());
            case Outbound.Ping ping -> wire.ping(TextFrame.pingPayload(ping.id()));
            case Outbound.Close close -> throw new IllegalStateException("a close frame is not batched");
        }
    }
}
