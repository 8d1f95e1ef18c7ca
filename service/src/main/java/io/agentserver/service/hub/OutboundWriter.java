package io.agentserver.service.hub;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.helidon.websocket.WsSession;

/**
 * The single writer of one socket; it writes bytes and does nothing else. Producers offer frames without blocking
 * to a lock-free queue; the producer that finds the writer idle starts a drain, a virtual thread that takes
 * everything queued, writes it in as few socket writes as the bytes allow, and ends when the queue is empty. No
 * thread exists while the socket is idle; at most one drain runs at a time, and it is the only code that writes
 * to the socket.
 *
 * <p>The queue is measured in bytes. Two kinds of producer use it:
 * <ul>
 *   <li>{@link #send}: a frame that must go out (a live event with no store behind it, an answer). Past
 *       {@code maxBytes} the client is not reading: the offer is refused and {@code onOverflow} runs once, on the
 *       producer's thread.</li>
 *   <li>{@link #offer}: a frame whose producer can wait (a cursor reading a log). Past half of {@code maxBytes}
 *       it is {@link Offer#NO_ROOM}, nothing is queued, and the producer asks {@link #whenDrained} to be told
 *       when the queue has emptied.</li>
 * </ul>
 * A frame bigger than the whole cap is still taken when the queue is empty, so no frame waits forever.
 *
 * <p>Nothing here runs protocol code or touches a store; the only thread ever interrupted is a drain stuck in a
 * write when the connection ends ({@link #stop}).
 */
public final class OutboundWriter {

    private static final System.Logger LOG = System.getLogger(OutboundWriter.class.getName());
    private static final VarHandle SCHEDULED;
    private static final VarHandle PENDING;
    private static final VarHandle CLOSING;
    private static final VarHandle STOPPED;
    private static final VarHandle DRAINER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SCHEDULED = lookup.findVarHandle(OutboundWriter.class, "scheduled", boolean.class);
            PENDING = lookup.findVarHandle(OutboundWriter.class, "pendingBytes", long.class);
            CLOSING = lookup.findVarHandle(OutboundWriter.class, "closing", boolean.class);
            STOPPED = lookup.findVarHandle(OutboundWriter.class, "stopped", boolean.class);
            DRAINER = lookup.findVarHandle(OutboundWriter.class, "drainer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The answer to a producer that can wait. */
    public enum Offer {
        /** Queued. */
        QUEUED,
        /** Over half the cap: not queued; try again after {@link #whenDrained}. */
        NO_ROOM,
        /** The writer is closing or stopped: not queued, and nothing ever will be. */
        CLOSED
    }

    /** Observes what reached the socket; used for metrics, latency and acknowledgements. */
    public interface FrameListener {
        FrameListener NONE = frames -> { };

        /** {@code frames} text frames were written. */
        void sent(int frames);

        /** A frame carrying a step emitted at {@code emittedAtMillis} (epoch ms) was written. */
        default void stepSent(long emittedAtMillis) {
        }

        /** Frames up to view position {@code lastTag} were written. */
        default void positionWritten(long lastTag) {
        }

        /** Ping {@code id} was written after every frame up to view position {@code lastTag} (-1: none). */
        default void pingSent(long id, long lastTag) {
        }
    }

    private final String connectionId;
    private final String threadName;
    private final SocketWire wire;
    private final long maxBytes;
    private final Runnable onOverflow;
    private final ConcurrentLinkedQueue<Outbound> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> drainedWaiters = new ConcurrentLinkedQueue<>();
    /** True from the moment a producer claims the drain until the drain finds the queue empty. */
    private volatile boolean scheduled;
    /** Bytes queued and not yet written. */
    private volatile long pendingBytes;
    private volatile boolean closing;
    private volatile boolean stopped;
    /** Set when the close went ahead of a full queue: what is still queued is dropped, not written. */
    private volatile boolean discarding;
    /** The drain thread while one runs (set by whoever claimed it); null while the socket is idle. */
    private volatile Thread drainer;
    /** The last view position written; only the drain reads and writes it. */
    private long lastTag = -1;
    private volatile Runnable onSendFailure = () -> { };
    private volatile FrameListener frameListener = FrameListener.NONE;

    /**
     * @param maxBytes   bytes queued and not yet written before the client counts as slow
     * @param onOverflow called, on the producer's thread, when a {@link #send} found the queue over the cap
     */
    public OutboundWriter(String connectionId, WsSession session, long maxBytes, Runnable onOverflow) {
        if (maxBytes < 2) {
            throw new IllegalArgumentException("maxBytes must be at least 2");
        }
        this.connectionId = connectionId;
        this.threadName = "ws-writer-" + connectionId;
        this.wire = SocketWire.of(session);
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
    }

    public void onSendFailure(Runnable callback) {
        this.onSendFailure = callback;
    }

    public void frameListener(FrameListener listener) {
        this.frameListener = listener;
    }

    /** Queues a text frame that must go out; false when closing or over the cap (then the client is slow). */
    public boolean send(String text) {
        return send(TextFrame.of(text));
    }

    /** Queues a frame encoded once and shared with other sockets; false when closing or over the cap. */
    public boolean send(TextFrame frame) {
        return queueWithinCap(frame);
    }

    /** {@link #send(TextFrame)} for a frame that carries a view position and, maybe, a step's emit time. */
    public boolean send(TextFrame frame, long tag, long emittedAtMillis) {
        return queueWithinCap(new Outbound.Tagged(frame, tag, emittedAtMillis));
    }

    /**
     * Queues a frame whose producer can wait: {@link Offer#NO_ROOM} over half the cap (unless the queue is empty),
     * and nothing is queued.
     *
     * @param tag             the view position the frame carries, -1 for none
     * @param emittedAtMillis when the step it carries was emitted (epoch ms), 0 when its latency is not observed
     */
    public Offer offer(TextFrame frame, long tag, long emittedAtMillis) {
        if (closing) {
            return Offer.CLOSED;
        }
        long pending = pendingBytes;
        if (pending > 0 && pending + frame.wire().length > maxBytes / 2) {
            return Offer.NO_ROOM;
        }
        enqueue(tag < 0 && emittedAtMillis <= 0 ? frame : new Outbound.Tagged(frame, tag, emittedAtMillis));
        return Offer.QUEUED;
    }

    /**
     * Runs {@code resume} once the queue is empty (at once when it is): on the drain's thread, so it must only
     * hand work on, never block. Never runs once the writer has stopped.
     */
    public void whenDrained(Runnable resume) {
        drainedWaiters.offer(resume);
        if (pendingBytes == 0 && !stopped) {
            releaseDrainedWaiters();
        }
    }

    /** Queues a pong answering a client ping (at most 125 bytes; the session checks). Never refused for size. */
    public boolean pong(byte[] payload) {
        if (closing) {
            return false;
        }
        enqueue(new Outbound.Pong(payload));
        return true;
    }

    /** Queues ping {@code id} behind everything queued; never refused for size. */
    public boolean ping(long id) {
        if (closing) {
            return false;
        }
        enqueue(new Outbound.Ping(id));
        return true;
    }

    /**
     * Queues a close frame after everything already queued; later offers are refused. When the queue is over the
     * cap the client is not reading, so nothing queued would reach it anyway: the close goes ahead and the rest is
     * dropped.
     */
    public void close(int code, String reason) {
        if (CLOSING.compareAndSet(this, false, true)) {
            if (pendingBytes >= maxBytes) {
                discarding = true;
                queue.clear();
            }
            enqueue(new Outbound.Close(code, reason));
        }
    }

    /**
     * Stops the writer without sending anything more (the peer is gone). A drain stuck in a write to a peer that
     * stopped reading is interrupted, which closes the socket under it: the drain runs nothing but socket writes,
     * so the interrupt can reach nothing else.
     */
    public void stop() {
        closing = true;
        stopped = true;
        queue.clear();
        drainedWaiters.clear();
        Thread writer = drainer;
        if (writer != null && writer != Thread.currentThread()) {
            writer.interrupt();
        }
    }

    /** Waits until no drain runs; false when one is still running after {@code timeout}. */
    public boolean awaitStopped(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Thread writer = drainer;
            if (writer == Thread.currentThread()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (writer == null) {
                if (stopped || !scheduled) {
                    return true;
                }
                if (left <= 0) {
                    return false;
                }
                Thread.yield(); // a producer between claiming the drain and starting it
                continue;
            }
            try {
                if (left <= 0 || !writer.join(Duration.ofNanos(left))) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            DRAINER.compareAndSet(this, writer, null);
        }
    }

    public boolean isOpen() {
        return !closing;
    }

    /** True when frames go to the connection as bytes, false when through the session (a test's fake). */
    boolean direct() {
        return wire.direct();
    }

    /** Bytes queued and not yet written. */
    public long pendingBytes() {
        return pendingBytes;
    }

    public String connectionId() {
        return connectionId;
    }

    private boolean queueWithinCap(Outbound item) {
        if (closing) {
            return false;
        }
        int size = item.wireBytes();
        long queued = (long) PENDING.getAndAdd(this, (long) size);
        if (queued > 0 && queued + size > maxBytes) {
            PENDING.getAndAdd(this, (long) -size);
            onOverflow.run();
            return false;
        }
        queue.offer(item);
        schedule();
        return true;
    }

    private void enqueue(Outbound item) {
        PENDING.getAndAdd(this, (long) item.wireBytes());
        queue.offer(item);
        schedule();
    }

    /** Starts a drain unless one is scheduled: the drain re-checks the queue before it ends, so nothing waits. */
    private void schedule() {
        if (!scheduled && SCHEDULED.compareAndSet(this, false, true)) {
            Thread thread = Thread.ofVirtual().name(threadName).unstarted(this::drain);
            drainer = thread;
            thread.start();
        }
    }

    private void drain() {
        Thread self = Thread.currentThread();
        FrameBatch batch = new FrameBatch(wire, lastTag);
        try {
            while (true) {
                boolean open = drainQueue(batch);
                lastTag = batch.lastTag();
                drainer = null;
                if (!open) {
                    return; // stays scheduled: no drain after the end
                }
                scheduled = false;
                if (queue.isEmpty()) {
                    releaseDrainedWaiters();
                }
                if (queue.isEmpty() || stopped || !SCHEDULED.compareAndSet(this, false, true)) {
                    return;
                }
                drainer = self;
            }
        } finally {
            DRAINER.compareAndSet(this, self, null);
        }
    }

    /** Writes everything queued; false once the writer has ended (closed, stopped or failed). */
    private boolean drainQueue(FrameBatch batch) {
        Outbound item;
        while (!stopped && (item = queue.poll()) != null) {
            if (item instanceof Outbound.Close(int code, String reason)) {
                write(batch);
                closeSession(code, reason);
                PENDING.getAndAdd(this, (long) -item.wireBytes());
                stopped = true;
                return false;
            }
            if (discarding) {
                PENDING.getAndAdd(this, (long) -item.wireBytes());
                continue;
            }
            batch.add(item);
            if (batch.isFull()) {
                write(batch);
            }
        }
        write(batch);
        return !stopped;
    }

    /** Writes what the batch holds, unless the writer stopped. */
    private void write(FrameBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        int bytes = batch.bytes();
        if (stopped) {
            batch.clear();
        } else {
            try {
                batch.write(frameListener);
            } catch (RuntimeException e) {
                fail(e);
            }
        }
        PENDING.getAndAdd(this, (long) -bytes);
    }

    private void releaseDrainedWaiters() {
        Runnable waiter;
        while (!stopped && (waiter = drainedWaiters.poll()) != null) {
            try {
                waiter.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "connection=" + connectionId + " drained callback failed", e);
            }
        }
    }

    private void closeSession(int code, String reason) {
        try {
            wire.close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "connection=" + connectionId + " close failed: " + e);
        }
    }

    private void fail(RuntimeException e) {
        if (STOPPED.compareAndSet(this, false, true)) {
            closing = true;
            queue.clear();
            drainedWaiters.clear();
            LOG.log(Level.DEBUG, "connection=" + connectionId + " send failed: " + e);
            onSendFailure.run();
        }
    }
}
