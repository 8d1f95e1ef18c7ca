package io.agentserver.service.hub;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One socket's pings and what its pongs prove. A socket that sent nothing for the ping interval is pinged; a ping
 * unanswered past the pong deadline means the peer is gone. When the protocol asks for acknowledgements, a ping
 * goes out after every burst of frames (one at a time, so at most one per round trip), and its pong proves that
 * the client read every frame written before it: the last view position (frame tag) written then is
 * acknowledged. Written by the liveness monitor, the connection's thread (pongs, messages) and the writer (what
 * was written); never blocks.
 */
final class Liveness {

    private static final long NONE = Long.MIN_VALUE;

    /** What a tick found. */
    enum Verdict { ALIVE, UNANSWERED }

    private final boolean acknowledge;
    private final long pingIntervalNanos;
    private final long pongDeadlineNanos;
    private final OutboundWriter writer;
    private final BooleanSupplier open;
    private final AtomicLong outstandingPing = new AtomicLong(NONE);
    private final AtomicLong pingIds = new AtomicLong();
    private volatile long lastInbound;
    private volatile long lastPingQueued;
    private volatile long outstandingPingTag = NONE;
    private volatile long lastAckedTag = -1;
    private volatile long lastWrittenTag = -1;

    Liveness(SocketSettings settings, OutboundWriter writer, BooleanSupplier open, long now) {
        this.acknowledge = settings.acknowledge();
        this.pingIntervalNanos = settings.pingInterval().toNanos();
        this.pongDeadlineNanos = settings.pongDeadline().toNanos();
        this.writer = writer;
        this.open = open;
        this.lastInbound = now;
        this.lastPingQueued = now;
    }

    /** The client sent something: it is alive. */
    void heard(long now) {
        lastInbound = now;
    }

    /** The writer wrote frames up to view position {@code lastTag}. */
    void written(long lastTag, long now) {
        lastWrittenTag = lastTag;
        askForAck(now);
    }

    /** The writer wrote ping {@code pingId} after the frames up to {@code lastTag}. */
    void pingWritten(long pingId, long lastTag) {
        if (outstandingPing.get() == pingId) {
            outstandingPingTag = lastTag;
        }
    }

    /** A pong arrived; the view position it newly acknowledges, if any. */
    OptionalLong pong(byte[] payload, long now) {
        lastInbound = now;
        OptionalLong pingId = TextFrame.pingId(payload);
        long tag = outstandingPingTag;
        if (pingId.isEmpty() || !outstandingPing.compareAndSet(pingId.getAsLong(), NONE)) {
            return OptionalLong.empty(); // unsolicited (RFC 6455 allows it) or late
        }
        OptionalLong acked = acknowledge(tag);
        askForAck(now); // frames written since that ping
        return acked;
    }

    /** The client answered the close this side sent: it read every frame written before it. */
    OptionalLong closeAnswered() {
        return acknowledge(lastWrittenTag);
    }

    /** Queues the ping that is due; says when the peer stopped answering. */
    Verdict tick(long now) {
        if (outstandingPing.get() != NONE) {
            return now - lastPingQueued > pongDeadlineNanos ? Verdict.UNANSWERED : Verdict.ALIVE;
        }
        if (now - Math.max(lastInbound, lastPingQueued) >= pingIntervalNanos && open.getAsBoolean()) {
            ping(now);
        } else {
            askForAck(now);
        }
        return Verdict.ALIVE;
    }

    private OptionalLong acknowledge(long tag) {
        if (tag > lastAckedTag) {
            lastAckedTag = tag;
            return OptionalLong.of(tag);
        }
        return OptionalLong.empty();
    }

    /** When acknowledgements are wanted and frames were written since the last answered ping: a ping, unless one is out. */
    private void askForAck(long now) {
        if (acknowledge && lastWrittenTag > lastAckedTag && outstandingPing.get() == NONE
                && open.getAsBoolean()) {
            ping(now);
        }
    }

    private void ping(long now) {
        long pingId = pingIds.incrementAndGet();
        if (outstandingPing.compareAndSet(NONE, pingId)) {
            outstandingPingTag = NONE;
            lastPingQueued = now;
            writer.ping(pingId);
        }
    }
}
