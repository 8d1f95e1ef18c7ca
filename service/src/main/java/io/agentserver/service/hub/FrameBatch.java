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
    /** What the batch holds: most drains write one frame, so the lists are made only for a second part. */
    private Outbound first;
    private List<Outbound> more;
    private Instant firstStamp;
    private List<Instant> moreStamps;
    private int items;
    private int bytes;
    private int frames;

    FrameBatch(SocketWire wire) {
        this.wire = wire;
    }

    void add(TextFrame frame) {
        addPart(frame);
        bytes += frame.wire().length;
        frames++;
    }

    void add(TextFrame frame, Instant emittedAt) {
        add(frame);
        if (firstStamp == null) {
            firstStamp = emittedAt;
        } else {
            if (moreStamps == null) {
                moreStamps = new ArrayList<>();
            }
            moreStamps.add(emittedAt);
        }
    }

    void addPong(byte[] payload) {
        addPart(new Outbound.Pong(payload));
        bytes += 2 + payload.length;
    }

    private void addPart(Outbound part) {
        if (items == 0) {
            first = part;
        } else {
            if (more == null) {
                more = new ArrayList<>();
            }
            more.add(part);
        }
        items++;
    }

    boolean isEmpty() {
        return items == 0;
    }

    boolean isFull() {
        return bytes >= MAX_BYTES;
    }

    /** Queue items this batch holds. */
    int items() {
        return items;
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
            if (firstStamp != null) {
                listener.stepSent(firstStamp);
                if (moreStamps != null) {
                    moreStamps.forEach(listener::stepSent);
                }
            }
        } finally {
            clear();
        }
    }

    void clear() {
        first = null;
        firstStamp = null;
        if (more != null) {
            more.clear();
        }
        if (moreStamps != null) {
            moreStamps.clear();
        }
        items = 0;
        bytes = 0;
        frames = 0;
    }

    private void writeDirect() {
        if (items == 1 && first instanceof TextFrame only) {
            wire.write(only.wire(), only.wire().length);
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
        byte[] frame = switch (part) {
            case TextFrame text -> text.wire();
            case Outbound.Pong pong -> TextFrame.pong(pong.payload());
            default -> throw new IllegalStateException("not a frame: " + part);
        };
        System.arraycopy(frame, 0, out, at, frame.length);
        return at + frame.length;
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
            case Outbound.Pong pong -> wire.pong(pong.payload());
            default -> throw new IllegalStateException("not a frame: " + part);
        }
    }
}
