package io.agentserver.service.hub;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames and pongs a writer took from its queue back to back, written together: on a direct
 * {@link SocketWire} as one socket write (the frames' bytes side by side), otherwise one session send each.
 * Used by one drain at a time.
 */
final class FrameBatch {

    /** A batch is written once it holds this many bytes, so that a long queue never becomes one huge array. */
    static final int MAX_BYTES = 256 * 1024;

    private final SocketWire wire;
    private final List<Outbound> parts = new ArrayList<>();
    private final List<Instant> stamps = new ArrayList<>();
    private int bytes;
    private int frames;

    FrameBatch(SocketWire wire) {
        this.wire = wire;
    }

    void add(TextFrame frame) {
        parts.add(frame);
        bytes += frame.wire().length;
        frames++;
    }

    void add(TextFrame frame, Instant emittedAt) {
        add(frame);
        stamps.add(emittedAt);
    }

    void addPong(byte[] payload) {
        parts.add(new Outbound.Pong(payload));
        bytes += 2 + payload.length;
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    boolean isFull() {
        return bytes >= MAX_BYTES;
    }

    /** Queue items this batch holds. */
    int items() {
        return parts.size();
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
            if (frames > 0) {
                listener.sent(frames);
            }
            for (Instant emittedAt : stamps) {
                listener.stepSent(emittedAt);
            }
        } finally {
            clear();
        }
    }

    void clear() {
        parts.clear();
        stamps.clear();
        bytes = 0;
        frames = 0;
    }

    private void writeDirect() {
        if (parts.size() == 1 && parts.getFirst() instanceof TextFrame only) {
            wire.write(only.wire(), only.wire().length);
            return;
        }
        byte[] out = new byte[bytes];
        int at = 0;
        for (Outbound part : parts) {
            byte[] frame = switch (part) {
                case TextFrame text -> text.wire();
                case Outbound.Pong pong -> TextFrame.pong(pong.payload());
                default -> throw new IllegalStateException("not a frame: " + part);
            };
            System.arraycopy(frame, 0, out, at, frame.length);
            at += frame.length;
        }
        wire.write(out, at);
    }

    private void sendEach() {
        for (Outbound part : parts) {
            switch (part) {
                case TextFrame text -> wire.send(text.text());
                case Outbound.Pong pong -> wire.pong(pong.payload());
                default -> throw new IllegalStateException("not a frame: " + part);
            }
        }
    }
}
