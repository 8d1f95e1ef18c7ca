package io.agentserver.service.web.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single writer of one Server-Sent Events response. Producers queue whole events as bytes without blocking;
 * the response's own thread (the HTTP handler's virtual thread, in {@link #run}) writes what is queued, in as few
 * writes as the bytes allow, flushes, and writes a comment when nothing was written for the keep-alive interval.
 * It does nothing else: no protocol code, no store.
 *
 * <p>The queue is measured in bytes, as the sockets' writer's is:
 * <ul>
 *   <li>{@link #send}: an event that must go out. Past {@code maxBytes} the client is not reading: the stream
 *       ends as {@link End#SLOW_CONSUMER} and its connection is dropped.</li>
 *   <li>{@link #offer}: an event whose producer can wait. Past half of {@code maxBytes} it is
 *       {@link Offer#NO_ROOM}, nothing is queued, and the producer asks {@link #whenDrained} to be told when the
 *       queue has emptied.</li>
 * </ul>
 * An event bigger than the whole cap is still taken when the queue is empty, so no event waits forever.
 * {@link #finish} ends the response after what is queued; {@link #abort} ends it now. A write that fails means the
 * client is gone ({@link End#CLIENT_GONE}).
 */
public final class SseStream {

    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());
    /** A batch is written once it holds this many bytes. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    /** The answer to a producer that can wait. */
    public enum Offer {
        /** Queued. */
        QUEUED,
        /** Over half the cap: not queued; try again after {@link #whenDrained}. */
        NO_ROOM,
        /** The stream is finishing or ended: not queued, and nothing ever will be. */
        CLOSED
    }

    /** How a stream ended. */
    public enum End {
        /** Everything queued was written and the response ended normally. */
        FINISHED,
        /** A write failed: the client went away. */
        CLIENT_GONE,
        /** The client read too slowly: its queue went over the cap and the connection was dropped. */
        SLOW_CONSUMER,
        /** This side stopped the stream without writing what was queued (a failure, or the server stopping). */
        ABORTED
    }

    private final String id;
    private final long maxBytes;
    private final Duration keepAlive;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final List<Runnable> drainedWaiters = new ArrayList<>();
    private final CompletableFuture<End> ended = new CompletableFuture<>();
    /** Bytes queued and not yet written. Under the lock. */
    private long pendingBytes;
    private boolean finishing;
    private End end;
    /** The thread in {@link #run} while it writes, so that an abort can free it from a write that never returns. */
    private Thread writing;
    /** System.nanoTime() when the write under way began. Under the lock. */
    private long writeStarted;

    /**
     * @param id        names the stream in logs
     * @param maxBytes  bytes queued and not written before the client counts as slow
     * @param keepAlive a comment line goes out when nothing was written for this long
     */
    public SseStream(String id, long maxBytes, Duration keepAlive) {
        if (maxBytes < 2 || keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("maxBytes must be at least 2 and keepAlive positive");
        }
        this.id = id;
        this.maxBytes = maxBytes;
        this.keepAlive = keepAlive;
    }

    public String id() {
        return id;
    }

    /** Queues an event that must go out; false when the stream is finishing or ended, or over the cap (then it ends). */
    public boolean send(byte[] event) {
        lock.lock();
        try {
            if (finishing || end != null) {
                return false;
            }
            if (pendingBytes > 0 && pendingBytes + event.length > maxBytes) {
                endLocked(End.SLOW_CONSUMER);
            } else {
                queueLocked(event);
                return true;
            }
        } finally {
            lock.unlock();
        }
        LOG.log(Level.DEBUG, () -> "sse stream=" + id + " over " + maxBytes + " bytes queued: client too slow");
        return false;
    }

    /** Queues an event whose producer can wait: {@link Offer#NO_ROOM} over half the cap (unless the queue is empty). */
    public Offer offer(byte[] event) {
        lock.lock();
        try {
            if (finishing || end != null) {
                return Offer.CLOSED;
            }
            if (pendingBytes > 0 && pendingBytes + event.length > maxBytes / 2) {
                return Offer.NO_ROOM;
            }
            queueLocked(event);
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** True when an offer of a small event would be queued now. */
    public boolean hasRoom() {
        lock.lock();
        try {
            return !finishing && end == null && pendingBytes < maxBytes / 2;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code resume} once the queue is empty (at once, on this thread, when it is): on the writer's thread, so
     * it must only hand work on, never block. Never runs once the stream ended.
     */
    public void whenDrained(Runnable resume) {
        boolean now;
        lock.lock();
        try {
            if (end != null) {
                return;
            }
            now = pendingBytes == 0;
            if (!now) {
                drainedWaiters.add(resume);
            }
        } finally {
            lock.unlock();
        }
        if (now) {
            resume.run();
        }
    }

    /** Ends the response once everything queued was written; later events are refused. */
    public void finish() {
        lock.lock();
        try {
            finishing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the response now, dropping what is queued and the connection under a write that does not return. */
    public void abort() {
        lock.lock();
        try {
            endLocked(End.ABORTED);
        } finally {
            lock.unlock();
        }
    }

    /** Completes once with how the stream ended, on a thread of its own (never under the stream's lock). */
    public CompletableFuture<End> ended() {
        return ended;
    }

    public boolean isOpen() {
        lock.lock();
        try {
            return end == null && !finishing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream as {@link End#SLOW_CONSUMER} when a write has not returned for {@code limit}: the client stopped
     * reading (a stream whose producers wait for room never overflows its cap, so this is how such a client is
     * found). Returns whether it did.
     */
    public boolean endIfStalled(Duration limit) {
        lock.lock();
        try {
            if (end != null || writing == null || System.nanoTime() - writeStarted < limit.toNanos()) {
                return false;
            }
            endLocked(End.SLOW_CONSUMER);
        } finally {
            lock.unlock();
        }
        LOG.log(Level.DEBUG, () -> "sse stream=" + id + " write stalled for " + limit + ": client not reading");
        return true;
    }

    /** Bytes queued and not yet written. */
    public long pendingBytes() {
        lock.lock();
        try {
            return pendingBytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the stream to {@code out} until it ends; call it once, on the response's thread. Returns how it ended;
     * the caller then returns from its handler (which closes the response) unless the connection was dropped.
     */
    public End run(OutputStream out) {
        long lastWrite = System.nanoTime();
        List<byte[]> batch = new ArrayList<>();
        while (true) {
            boolean ping = false;
            int batchBytes = 0;
            lock.lock();
            try {
                while (queue.isEmpty() && end == null && !finishing) {
                    long left = keepAlive.toNanos() - (System.nanoTime() - lastWrite);
                    if (left <= 0) {
                        ping = true;
                        break;
                    }
                    changed.awaitNanos(left);
                }
                if (end != null) {
                    return end;
                }
                if (queue.isEmpty() && !ping) {
                    endLocked(End.FINISHED);
                    return End.FINISHED;
                }
                while (!queue.isEmpty() && (batchBytes == 0 || batchBytes + queue.peekFirst().length <= MAX_BATCH_BYTES)) {
                    byte[] event = queue.pollFirst();
                    batch.add(event);
                    batchBytes += event.length;
                }
                writing = Thread.currentThread();
                writeStarted = System.nanoTime();
            } catch (InterruptedException e) {
                endLocked(End.ABORTED);
                return End.ABORTED;
            } finally {
                lock.unlock();
            }
            try {
                if (ping) {
                    out.write(SseEvents.PING);
                } else {
                    for (byte[] event : batch) {
                        out.write(event);
                    }
                }
                out.flush();
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.DEBUG, () -> "sse stream=" + id + " write failed: " + e);
                return gone();
            } finally {
                lock.lock();
                try {
                    writing = null;
                } finally {
                    lock.unlock();
                }
                // An abort may have interrupted the write; the interrupt has done its work (the socket is closed).
                Thread.interrupted();
            }
            lastWrite = System.nanoTime();
            batch.clear();
            List<Runnable> drained = List.of();
            lock.lock();
            try {
                pendingBytes -= batchBytes;
                if (end != null) {
                    return end;
                }
                if (queue.isEmpty() && !drainedWaiters.isEmpty()) {
                    drained = List.copyOf(drainedWaiters);
                    drainedWaiters.clear();
                }
            } finally {
                lock.unlock();
            }
            for (Runnable waiter : drained) {
                try {
                    waiter.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "sse stream=" + id + " drained callback failed", e);
                }
            }
        }
    }

    private End gone() {
        lock.lock();
        try {
            endLocked(End.CLIENT_GONE);
            return end;
        } finally {
            lock.unlock();
        }
    }

    private void queueLocked(byte[] event) {
        queue.addLast(event);
        pendingBytes += event.length;
        changed.signalAll();
    }

    /** Under the lock: the first end wins; the queue and waiters are dropped; a write that hangs is interrupted. */
    private void endLocked(End reason) {
        if (end != null) {
            return;
        }
        end = reason;
        queue.clear();
        drainedWaiters.clear();
        changed.signalAll();
        if (reason != End.FINISHED && writing != null && writing != Thread.currentThread()) {
            writing.interrupt();
        }
        // Not under this lock: whoever waits for the end may take locks of its own that producers hold.
        Thread.ofVirtual().name("sse-end-" + id).start(() -> ended.complete(reason));
    }
}
