package io.agentserver.service.hub;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * The single writer of one socket. Producers offer frames or tasks without blocking; one virtual thread
 * drains them in order and is the only caller of {@link WsSession#send}. Tasks run on that thread too, so
 * a protocol adapter can keep per-connection delivery state there without locks.
 */
public final class OutboundWriter {

    private static final System.Logger LOG = System.getLogger(OutboundWriter.class.getName());

    /** What the writer thread does next. */
    private sealed interface Item {
    }

    private record Text(String text) implements Item {
    }

    private record Task(Runnable body) implements Item {
    }

    private record Close(int code, String reason) implements Item {
    }

    private record Pong(BufferData payload) implements Item {
    }

    private final String connectionId;
    private final WsSession session;
    private final BlockingQueue<Item> queue;
    private final IntConsumer onOverflow;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile Runnable onSendFailure = () -> { };
    private volatile FrameListener frameListener = FrameListener.NONE;
    /**
     * True while the writer runs a task's own work (a store read, say). {@link #stop()} does not interrupt it
     * then: an interrupt inside JDBC breaks the pooled connection. A send inside a task is still interruptible.
     */
    private volatile boolean inTaskWork;
    private volatile Thread thread;

    /** Observes frames that reached the socket; used for metrics and latency. */
    public interface FrameListener {
        FrameListener NONE = text -> { };

        void sent(String text);
    }

    /**
     * @param capacity   queued items allowed before the connection counts as slow
     * @param onOverflow called once, off the writer thread, with the queue size when an offer overflowed
     */
    public OutboundWriter(String connectionId, WsSession session, int capacity, IntConsumer onOverflow) {
        this.connectionId = connectionId;
        this.session = session;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onOverflow = onOverflow;
    }

    public OutboundWriter start() {
        thread = Thread.ofVirtual().name("ws-writer-" + connectionId).start(this::drain);
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
        return offer(new Text(text));
    }

    /** Runs {@code body} on the writer thread, after everything queued before it. */
    public boolean execute(Runnable body) {
        return offer(new Task(body));
    }

    /**
     * Sends a frame immediately; only for code already running on the writer thread. True when the frame was
     * written: a frame the writer skipped (stopped) or failed to write was not delivered.
     */
    public boolean sendNow(String text) {
        boolean wasInTaskWork = inTaskWork;
        inTaskWork = false;
        try {
            if (stopped.get()) {
                return false;
            }
            session.send(text, true);
        } catch (RuntimeException e) {
            fail(e);
            return false;
        } finally {
            inTaskWork = wasInTaskWork;
        }
        frameListener.sent(text);
        return true;
    }

    /** Queues a pong answering a client ping. */
    public boolean pong(BufferData payload) {
        return offer(new Pong(payload.copy()));
    }

    /** Queues a close frame after everything already queued; later offers are refused. */
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            if (!queue.offer(new Close(code, reason))) {
                // Full queue: the client is not reading, so nothing queued would reach it anyway.
                queue.clear();
                queue.offer(new Close(code, reason));
            }
        }
    }

    /**
     * Stops the writer without sending anything more (the peer is gone): a writer waiting for work or stuck
     * in a send is interrupted; one running a task's own work finishes it, and its later sends are skipped.
     */
    public void stop() {
        closing.set(true);
        stopped.set(true);
        queue.clear();
        Thread writer = thread;
        if (writer != null && !inTaskWork && !onWriterThread()) {
            writer.interrupt();
        }
    }

    /** Waits until the writer thread has ended; false when it is still running after {@code timeout}. */
    public boolean awaitStopped(java.time.Duration timeout) {
        if (thread == null || onWriterThread()) {
            return true;
        }
        try {
            return thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isOpen() {
        return !closing.get();
    }

    public boolean onWriterThread() {
        return Thread.currentThread() == thread;
    }

    public String connectionId() {
        return connectionId;
    }

    private boolean offer(Item item) {
        if (closing.get()) {
            return false;
        }
        if (queue.offer(item)) {
            return true;
        }
        onOverflow.accept(queue.size());
        return false;
    }

    private void drain() {
        try {
            while (!stopped.get()) {
                Item item = queue.take();
                switch (item) {
                    case Text(String text) -> sendNow(text);
                    case Pong(BufferData payload) -> pongNow(payload);
                    case Task(Runnable body) -> runTask(body);
                    case Close(int code, String reason) -> {
                        closeSession(code, reason);
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.set(true);
        }
    }

    private void runTask(Runnable body) {
        inTaskWork = true;
        try {
            if (!stopped.get()) {
                body.run();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection=" + connectionId + " task failed", e);
        } finally {
            inTaskWork = false;
        }
    }

    private void pongNow(BufferData payload) {
        try {
            session.pong(payload);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void closeSession(int code, String reason) {
        try {
            session.close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "connection=" + connectionId + " close failed: " + e);
        }
    }

    private void fail(RuntimeException e) {
        if (stopped.compareAndSet(false, true)) {
            closing.set(true);
            queue.clear();
            LOG.log(Level.DEBUG, "connection=" + connectionId + " send failed: " + e);
            onSendFailure.run();
        }
    }
}
