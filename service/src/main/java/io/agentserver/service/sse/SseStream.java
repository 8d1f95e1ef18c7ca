package io.agentserver.service.sse;

import io.agentserver.service.hub.Connection;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single writer of one event-stream response. Producers queue bytes without blocking; the thread that serves
 * the request runs {@link #drain}, which writes whatever is queued in one write and flush, and returns once the
 * stream ended. The queue is capped in bytes:
 * <ul>
 *   <li>{@link #send}: bytes that must go out (live output, keep-alives, the last events). Past {@code maxBytes}
 *       the reader is not reading: the stream ends as slow, and nothing more is written.</li>
 *   <li>{@link #offer}: bytes whose producer can wait (a cursor reading a log). Past half of {@code maxBytes} it is
 *       {@link Offer#NO_ROOM}, nothing is queued, and the producer asks {@link #whenDrained} to be told.</li>
 * </ul>
 * A chunk larger than the cap is still taken when the queue is empty, so no chunk waits forever.
 */
public final class SseStream implements Connection.Session {

    private static final System.Logger LOG = System.getLogger(SseStream.class.getName());
    private static final long[] NO_STAMPS = {};
    static final byte[] KEEP_ALIVE = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

    /** The answer to a producer that can wait. */
    public enum Offer {
        QUEUED, NO_ROOM, CLOSED
    }

    /** How a stream ended. */
    public enum End {
        /** Everything queued was written and the response completed. */
        COMPLETED,
        /** The reader went away (a write failed). */
        GONE,
        /** The reader did not read: the queue overflowed, or nothing could be written for the stall timeout. */
        SLOW,
        /** This side stopped it without writing what was queued. */
        ABORTED
    }

    private final String id;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** Per queued chunk, when the step it carries was stored (epoch ms; 0: none), for the written-latency listener. */
    private final ArrayDeque<Long> stamps = new ArrayDeque<>();
    private volatile LongConsumer stepWritten = stamp -> { };
    private final List<Runnable> drainedWaiters = new ArrayList<>();
    private final AtomicLong bytesWritten = new AtomicLong();
    private long pendingBytes;
    private boolean finishing;
    private End end;
    private Thread drainer;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the oldest byte now queued was queued, or 0 when nothing waits (for stall detection). */
    private volatile long waitingSinceNanos;

    public SseStream(String id, long maxBytes) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("an event stream's byte cap must be at least 1024");
        }
        this.id = id;
        this.maxBytes = maxBytes;
    }

    public String id() {
        return id;
    }

    /** Queues bytes that must go out; false when the stream ended or, over the cap, now ends as slow. */
    public boolean send(byte[] bytes) {
        lock.lock();
        try {
            if (finishing || end != null) {
                return false;
            }
            if (pendingBytes > 0 && pendingBytes + bytes.length > maxBytes) {
                endLocked(End.SLOW);
                LOG.log(Level.INFO, "sse slow reader stream=" + id + " queued_bytes=" + pendingBytes);
                return false;
            }
            enqueue(bytes);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues bytes whose producer can wait: {@link Offer#NO_ROOM} past half the cap (unless nothing is queued). */
    public Offer offer(byte[] bytes) {
        lock.lock();
        try {
            if (finishing || end != null) {
                return Offer.CLOSED;
            }
            if (pendingBytes > 0 && pendingBytes + bytes.length > maxBytes / 2) {
                return Offer.NO_ROOM;
            }
            enqueue(bytes);
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a chunk for a producer that saw {@link #hasRoom()} under its own lock and has since rendered it: taken
     * whatever its size (the queue then holds at most half the cap plus that chunk); false once the stream ended.
     */
    public boolean put(byte[] bytes) {
        return put(bytes, 0);
    }

    /** {@link #put(byte[])} for a chunk carrying a step stored at {@code storedAtMillis}, told once it is written. */
    public boolean put(byte[] bytes, long storedAtMillis) {
        lock.lock();
        try {
            if (finishing || end != null) {
                return false;
            }
            enqueue(bytes, storedAtMillis);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** True while a producer that can wait may queue a chunk now (under half the cap). */
    public boolean hasRoom() {
        lock.lock();
        try {
            return end == null && !finishing && pendingBytes < maxBytes / 2;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code resume} once the queue is empty (at once when it is), on the writing thread; never after the end. */
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

    /** Called on the writing thread, once per written chunk that carried a step, with when the step was stored. */
    public void onStepWritten(LongConsumer listener) {
        this.stepWritten = listener;
    }

    /** Writes what is queued, then completes the response; later bytes are refused. */
    public void finish() {
        lock.lock();
        try {
            finishing = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream at once: nothing queued is written; a write stuck on a reader that does not read is broken. */
    public void abort() {
        end(End.ABORTED);
    }

    /** The registry's close (a drain): what is queued goes out, then the response completes. */
    @Override
    public void close(int code, String reason, boolean clean) {
        finish();
    }

    public long pendingBytes() {
        lock.lock();
        try {
            return pendingBytes;
        } finally {
            lock.unlock();
        }
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    public boolean ended() {
        lock.lock();
        try {
            return end != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes until the stream ends; runs on the request's thread and returns how it ended. The output stream is
     * closed (the response completed) only when everything was written.
     */
    public End drain(OutputStream out) {
        lock.lock();
        try {
            drainer = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        End how;
        try {
            how = writeUntilEnd(out);
        } finally {
            List<Runnable> dropped;
            lock.lock();
            try {
                drainer = null;
                dropped = List.copyOf(drainedWaiters);
                drainedWaiters.clear();
            } finally {
                lock.unlock();
            }
            if (!dropped.isEmpty()) {
                LOG.log(Level.DEBUG, () -> "sse stream=" + id + " ended with producers waiting");
            }
            Thread.interrupted(); // an interrupt that broke a stuck write must not reach the request's later work
        }
        return how;
    }

    private End writeUntilEnd(OutputStream out) {
        while (true) {
            byte[] chunk;
            int bytes;
            boolean last;
            long[] written;
            lock.lock();
            try {
                while (queue.isEmpty() && !finishing && end == null) {
                    work.awaitUninterruptibly();
                }
                if (end != null) {
                    return end;
                }
                last = finishing && queue.isEmpty();
                chunk = join(queue);
                bytes = chunk.length;
                queue.clear();
                written = stamps.isEmpty() ? NO_STAMPS : stamps.stream().mapToLong(Long::longValue).filter(t -> t > 0)
                        .toArray();
                stamps.clear();
            } finally {
                lock.unlock();
            }
            try {
                if (bytes > 0) {
                    out.write(chunk);
                    out.flush();
                    bytesWritten.addAndGet(bytes);
                }
                if (last) {
                    out.close();
                    return end(End.COMPLETED);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "sse write failed stream=" + id + ": " + e);
                End how = end(End.GONE);
                return how;
            }
            lastWriteNanos = System.nanoTime();
            for (long stamp : written) {
                stepWritten.accept(stamp);
            }
            List<Runnable> resume = List.of();
            lock.lock();
            try {
                pendingBytes -= bytes;
                if (pendingBytes == 0) {
                    waitingSinceNanos = 0;
                    resume = List.copyOf(drainedWaiters);
                    drainedWaiters.clear();
                } else {
                    waitingSinceNanos = lastWriteNanos;
                }
            } finally {
                lock.unlock();
            }
            for (Runnable waiter : resume) {
                try {
                    waiter.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "sse stream=" + id + " drained callback failed", e);
                }
            }
        }
    }

    /** On the ticker: a keep-alive when nothing was written for {@code idleNanos}; the end when stalled. */
    void tick(long now, long idleNanos, long stallNanos) {
        long since = waitingSinceNanos;
        if (since != 0 && now - since >= stallNanos && now - lastWriteNanos >= stallNanos) {
            LOG.log(Level.INFO, "sse reader stalled stream=" + id + " queued_bytes=" + pendingBytes());
            end(End.SLOW);
            return;
        }
        if (now - lastWriteNanos >= idleNanos && pendingBytes() == 0) {
            send(KEEP_ALIVE);
        }
    }

    private End end(End how) {
        lock.lock();
        try {
            return endLocked(how);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the first end wins; a drain stuck in a write is interrupted, which closes the connection. */
    private End endLocked(End how) {
        if (end == null) {
            end = how;
            queue.clear();
            stamps.clear();
            pendingBytes = 0;
            waitingSinceNanos = 0;
            drainedWaiters.clear();
            work.signalAll();
            Thread writer = drainer;
            if (how != End.COMPLETED && writer != null && writer != Thread.currentThread()) {
                writer.interrupt();
            }
        }
        return end;
    }

    private void enqueue(byte[] bytes) {
        enqueue(bytes, 0);
    }

    private void enqueue(byte[] bytes, long storedAtMillis) {
        if (pendingBytes == 0) {
            waitingSinceNanos = System.nanoTime();
        }
        queue.add(bytes);
        stamps.add(storedAtMillis);
        pendingBytes += bytes.length;
        work.signalAll();
    }

    private static byte[] join(ArrayDeque<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.peekFirst();
        }
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
