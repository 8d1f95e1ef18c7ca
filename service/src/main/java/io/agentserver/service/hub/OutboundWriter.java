package io.agentserver.service.hub;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;

/**
 * The single writer of one socket. Producers offer frames or tasks without blocking to a lock-free queue; the
 * producer that finds the writer idle starts a drain, a virtual thread that takes everything queued, writes
 * consecutive frames (and pongs) in one socket write, runs tasks in order between them, and ends when the queue
 * is empty. No thread exists while the socket is idle; at most one drain runs at a time, and it is the only
 * code that writes to the socket. Tasks run on the drain too, so a protocol adapter can keep per-connection
 * delivery state there without locks.
 *
 * <p>Capacity counts what was queued and is not written yet: an offer over it is refused and reported once per
 * refusal to {@code onOverflow}, on the producer's thread.
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
            PENDING = lookup.findVarHandle(OutboundWriter.class, "pending", int.class);
            CLOSING = lookup.findVarHandle(OutboundWriter.class, "closing", boolean.class);
            STOPPED = lookup.findVarHandle(OutboundWriter.class, "stopped", boolean.class);
            DRAINER = lookup.findVarHandle(OutboundWriter.class, "drainer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String connectionId;
    private final String threadName;
    private final SocketWire wire;
    private final int capacity;
    private final IntConsumer onOverflow;
    private final ConcurrentLinkedQueue<Outbound> queue = new ConcurrentLinkedQueue<>();
    /** True from the moment a producer claims the drain until the drain finds the queue empty. */
    private volatile boolean scheduled;
    /** Items queued and not yet written or run. */
    private volatile int pending;
    private volatile boolean closing;
    private volatile boolean stopped;
    /** Set when the close went ahead of a full queue: what is still queued is dropped, not written. */
    private volatile boolean discarding;
    /**
     * True while the drain runs a task's own work (a store read, say). {@link #stop()} does not interrupt it
     * then: an interrupt inside JDBC breaks the pooled connection. A send inside a task is still interruptible.
     */
    private volatile boolean inTaskWork;
    /** The drain thread while one runs (set by whoever claimed it); null while the socket is idle. */
    private volatile Thread drainer;
    private volatile Runnable onSendFailure = () -> { };
    private volatile FrameListener frameListener = FrameListener.NONE;

    /** Observes frames that reached the socket; used for metrics and latency. */
    public interface FrameListener {
        FrameListener NONE = frames -> { };

        /** {@code frames} text frames were written. */
        void sent(int frames);

        /** A frame carrying a step emitted at {@code emittedAt} was written. */
        default void stepSent(Instant emittedAt) {
        }
    }

    /**
     * @param capacity   items queued and not yet written before the connection counts as slow
     * @param onOverflow called, off the writer, with the number of pending items when an offer overflowed
     */
    public OutboundWriter(String connectionId, WsSession session, int capacity, IntConsumer onOverflow) {
        this.connectionId = connectionId;
        this.threadName = "ws-writer-" + connectionId;
        this.wire = SocketWire.of(session);
        this.capacity = capacity;
        this.onOverflow = onOverflow;
    }

    /** Kept for callers that started the old per-socket thread: a drain now starts with the first offer. */
    public OutboundWriter start() {
        return this;
    }

    public void onSendFailure(Runnable callback) {
        this.onSendFailure = callback;
    }

    public void frameListener(FrameListener listener) {
        this.frameListener = listener;
    }

    /** Queues a text frame; false when the connection is closing or its queue is full. */
    public boolean send(String text) {
        return offer(new Outbound.Text(text));
    }

    /** Queues a frame encoded once and shared with other sockets; false when closing or full. */
    public boolean send(TextFrame frame) {
        return offer(frame);
    }

    /** Queues a shared frame carrying a step emitted at {@code emittedAt}; its latency is observed once written. */
    public boolean send(TextFrame frame, Instant emittedAt) {
        return offer(new Outbound.Stamped(frame, emittedAt));
    }

    /** Runs {@code body} on the writer, after everything queued before it. */
    public boolean execute(Runnable body) {
        return offer(new Outbound.Task(body));
    }

    /**
     * Sends a frame immediately; only for code already running on the writer (a task). True when the frame was
     * written: a frame the writer skipped (stopped) or failed to write was not delivered.
     */
    public boolean sendNow(String text) {
        return wire.direct() ? sendNow(TextFrame.of(text)) : sendNow(text, null);
    }

    /** {@link #sendNow(String)} for a frame encoded already. */
    public boolean sendNow(TextFrame frame) {
        return sendNow(frame.text(), frame);
    }

    /**
     * Writes {@code frames} now, side by side in as few socket writes as their size allows; only for code running
     * on the writer (a task). True when all were written; after a failed write the writer has ended.
     */
    public boolean sendNow(List<TextFrame> frames) {
        if (frames.isEmpty()) {
            return !stopped;
        }
        boolean wasInTaskWork = inTaskWork;
        inTaskWork = false;
        try {
            FrameBatch batch = new FrameBatch(wire);
            for (TextFrame frame : frames) {
                if (stopped) {
                    return false;
                }
                batch.add(frame);
                if (batch.isFull()) {
                    batch.write(frameListener);
                }
            }
            if (stopped) {
                return false;
            }
            batch.write(frameListener);
            return true;
        } catch (RuntimeException e) {
            fail(e);
            return false;
        } finally {
            inTaskWork = wasInTaskWork;
            if (wasInTaskWork && stopped) {
                Thread.interrupted(); // as in sendNow(String): the task's own work must not see a send's interrupt
            }
        }
    }

    /** Queues a pong answering a client ping (at most 125 bytes; the session checks). */
    public boolean pong(BufferData payload) {
        return offer(new Outbound.Pong(payload.copy().readBytes()));
    }

    /**
     * Queues a close frame after everything already queued; later offers are refused. When the queue is full the
     * client is not reading, so nothing queued would reach it anyway: the close goes ahead and the rest is
     * dropped.
     */
    public void close(int code, String reason) {
        if (CLOSING.compareAndSet(this, false, true)) {
            if (pending >= capacity) {
                discarding = true;
                queue.clear();
            }
            PENDING.getAndAdd(this, 1);
            queue.offer(new Outbound.Close(code, reason));
            schedule();
        }
    }

    /**
     * Stops the writer without sending anything more (the peer is gone): a drain stuck in a send is
     * interrupted; one running a task's own work finishes it, and its later sends are skipped.
     */
    public void stop() {
        closing = true;
        stopped = true;
        queue.clear();
        Thread writer = drainer;
        if (writer != null && !inTaskWork && writer != Thread.currentThread()) {
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

    public boolean onWriterThread() {
        return Thread.currentThread() == drainer;
    }

    public String connectionId() {
        return connectionId;
    }

    private boolean offer(Outbound item) {
        if (closing) {
            return false;
        }
        int queued = (int) PENDING.getAndAdd(this, 1);
        if (queued >= capacity) {
            PENDING.getAndAdd(this, -1);
            onOverflow.accept(queued);
            return false;
        }
        queue.offer(item);
        schedule();
        return true;
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
        FrameBatch batch = new FrameBatch(wire);
        try {
            while (true) {
                boolean open = drainQueue(batch);
                drainer = null;
                if (!open) {
                    return; // stays scheduled: no drain after the end
                }
                scheduled = false;
                if (queue.isEmpty() || stopped || !SCHEDULED.compareAndSet(this, false, true)) {
                    return;
                }
                drainer = self;
            }
        } finally {
            DRAINER.compareAndSet(this, self, null);
        }
    }

    /** Writes and runs everything queued; false once the writer has ended (closed, stopped or failed). */
    private boolean drainQueue(FrameBatch batch) {
        Outbound item;
        while (!stopped && (item = queue.poll()) != null) {
            if (discarding && !(item instanceof Outbound.Close)) {
                PENDING.getAndAdd(this, -1);
                continue;
            }
            switch (item) {
                case TextFrame frame -> batch.add(frame);
                case Outbound.Stamped(TextFrame frame, Instant emittedAt) -> batch.add(frame, emittedAt);
                case Outbound.Text(String text) -> batch.add(TextFrame.of(text));
                case Outbound.Pong(byte[] payload) -> batch.addPong(payload);
                case Outbound.Task(Runnable body) -> {
                    write(batch);
                    runTask(body);
                    PENDING.getAndAdd(this, -1);
                }
                case Outbound.Close(int code, String reason) -> {
                    write(batch);
                    closeSession(code, reason);
                    stopped = true;
                    return false;
                }
            }
            if (batch.isFull()) {
                write(batch);
            }
        }
        write(batch);
        return !stopped;
    }

    /** Writes what the batch holds, unless the writer stopped or the close went ahead of it. */
    private void write(FrameBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        int items = batch.items();
        if (stopped || discarding) {
            batch.clear();
        } else {
            try {
                batch.write(frameListener);
            } catch (RuntimeException e) {
                fail(e);
            }
        }
        PENDING.getAndAdd(this, -items);
    }

    private boolean sendNow(String text, TextFrame frame) {
        boolean wasInTaskWork = inTaskWork;
        inTaskWork = false;
        try {
            if (stopped) {
                return false;
            }
            if (frame != null) {
                wire.write(frame.wire(), frame.wire().length);
            } else {
                wire.send(text);
            }
        } catch (RuntimeException e) {
            fail(e);
            return false;
        } finally {
            inTaskWork = wasInTaskWork;
            if (wasInTaskWork && stopped) {
                // The interrupt that ended a stuck send stays set (JDK sockets keep it): the task's own work
                // that follows must not see it.
                Thread.interrupted();
            }
        }
        frameListener.sent(1);
        return true;
    }

    private void runTask(Runnable body) {
        inTaskWork = true;
        try {
            if (!stopped) {
                body.run();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection=" + connectionId + " task failed", e);
        } finally {
            inTaskWork = false;
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
            LOG.log(Level.DEBUG, "connection=" + connectionId + " send failed: " + e);
            onSendFailure.run();
        }
    }
}
