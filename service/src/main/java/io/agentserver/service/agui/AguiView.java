package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.sse.SseStream;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.PartialOutput;
import io.agentserver.service.store.PartialOutputStore;
import io.agentserver.service.store.Step;
import io.agentserver.service.stream.StepSink;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One AG-UI stream as a view of the step log: the {@link io.agentserver.service.stream.StepCursor}'s sink, which
 * renders steps (and, for agents that stream, the partial output stored before each step) into AG-UI events through
 * an {@link AguiRenderer}, numbers them 1, 2, 3… and queues them as SSE on the stream's {@link SseStream}. Events a
 * rejoining client already has ({@code Last-Event-ID}) are numbered and skipped, so every event keeps its id.
 *
 * <p>Parts of streamed output reach the view live (as soon as they are stored) and are rendered when they are the
 * next part before the next step; before it takes step k, a view of a streaming agent reads the parts stored before
 * k that it has not rendered (lost notices, a rejoin, a replay), so parts and steps come out in stored order
 * whatever arrived when. Runs under its own lock; the cursor calls it under the cursor's lock (cursor, then view).
 */
final class AguiView implements StepSink {

    private static final System.Logger LOG = System.getLogger(AguiView.class.getName());
    private static final int PART_PAGE = 256;
    private static final Duration RETRY = Duration.ofMillis(200);

    /** Tells the stream what happened; called outside the view's lock where it matters. */
    interface Listener {
        /** {@code count} events were queued. */
        void eventsQueued(int count);

        /** The AG-UI run's last event was queued: the stream ends once it is written. */
        void runEnded();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final String interactionId;
    private final AguiRenderer renderer;
    private final SseStream sse;
    private final long skip;
    private final boolean streaming;
    private final PartialOutputStore partials;
    private final Executor work;
    private final Listener listener;
    private long emitted;
    private long nextSeq;
    private long nextPart;
    /** Every part stored before a step up to this seq was rendered. */
    private long partsThrough = -1;
    /** Why the last offer was refused: the parts before this step must be read first (-1: it was room). */
    private long partsNeededFor = -1;
    private boolean ended;

    /**
     * @param skip      events the client has (its Last-Event-ID): numbered, not sent
     * @param streaming the run's agent streams its output (parts are read before each step)
     */
    AguiView(String interactionId, AguiRenderer renderer, SseStream sse, long skip, boolean streaming,
             PartialOutputStore partials, Executor work, Listener listener) {
        this.interactionId = interactionId;
        this.renderer = renderer;
        this.sse = sse;
        this.skip = skip;
        this.streaming = streaming;
        this.partials = partials;
        this.work = work;
        this.listener = listener;
    }

    /** Queues the events that open the run (before the cursor's first step). */
    void open() {
        lock.lock();
        try {
            queue(renderer.open());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void started(LogHead head) {
    }

    @Override
    public boolean offer(Step step) {
        lock.lock();
        try {
            if (ended || renderer.finished()) {
                return true; // the run ended here; the cursor is being closed
            }
            if (streaming && partsThrough < step.seq()) {
                partsNeededFor = step.seq();
                return false;
            }
            if (!sse.hasRoom()) {
                partsNeededFor = -1;
                return false;
            }
            nextSeq = step.seq() + 1;
            queue(renderer.step(step), step.createTime() == null ? 0 : step.createTime().toEpochMilli());
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void whenRoom(Runnable resume) {
        long needed;
        lock.lock();
        try {
            needed = partsNeededFor;
            partsNeededFor = -1;
        } finally {
            lock.unlock();
        }
        if (needed >= 0) {
            work.execute(() -> readParts(needed, true, resume));
        } else {
            sse.whenDrained(resume);
        }
    }

    @Override
    public void status(InteractionStatus status) {
        lock.lock();
        try {
            if (!ended) {
                queue(renderer.status(status));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void ended() {
        lock.lock();
        try {
            if (!ended && !renderer.finished()) {
                queue(renderer.status(InteractionStatus.CLOSED));
            }
        } finally {
            lock.unlock();
        }
    }

    /** A part of streamed output was stored (heard live, from any thread). */
    void partStored(PartialOutput part) {
        boolean gap = false;
        lock.lock();
        try {
            if (ended || renderer.finished() || !streaming || part.part() < nextPart || part.beforeSeq() != nextSeq) {
                return; // a copy, or not the next step's: the read before that step finds it
            }
            if (part.part() > nextPart) {
                gap = true;
            } else if (sse.hasRoom()) {
                nextPart++;
                queue(renderer.partial(part));
            }
        } finally {
            lock.unlock();
        }
        if (gap) {
            long before = part.beforeSeq();
            work.execute(() -> readParts(before, false, null));
        }
    }

    /** Stops the view: nothing more is queued. */
    void close() {
        lock.lock();
        try {
            ended = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the stream's work: renders the parts stored before steps up to {@code throughSeq} that the view has not
     * rendered, then (when {@code complete}) counts them all rendered and resumes the cursor.
     */
    private void readParts(long throughSeq, boolean complete, Runnable resume) {
        try {
            while (true) {
                long from;
                lock.lock();
                try {
                    if (ended) {
                        return;
                    }
                    from = nextPart;
                } finally {
                    lock.unlock();
                }
                List<PartialOutput> page = partials.page(interactionId, from, throughSeq, PART_PAGE);
                lock.lock();
                try {
                    for (PartialOutput part : page) {
                        if (part.part() == nextPart) {
                            nextPart++;
                            queue(renderer.partial(part));
                        }
                    }
                    if (page.size() < PART_PAGE) {
                        if (complete) {
                            partsThrough = Math.max(partsThrough, throughSeq);
                        }
                        break;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "partial output read failed interaction=" + interactionId + "; retrying: "
                    + e.getMessage());
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(RETRY);
                    work.execute(() -> readParts(throughSeq, complete, resume));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
            return;
        }
        if (resume != null) {
            sse.whenDrained(resume);
        }
    }

    private void queue(List<ObjectNode> events) {
        queue(events, 0);
    }

    /**
     * Under the lock: numbers the events, queues those the client does not have as one chunk ({@code storedAtMillis}:
     * when the step they render was stored, 0 for none).
     */
    private void queue(List<ObjectNode> events, long storedAtMillis) {
        if (events.isEmpty()) {
            return;
        }
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(256 * events.size());
        int sent = 0;
        for (ObjectNode event : events) {
            long id = ++emitted;
            if (id <= skip) {
                continue;
            }
            chunk.writeBytes(("id: " + id + "\ndata: ").getBytes(StandardCharsets.UTF_8));
            chunk.writeBytes(Json.write(event).getBytes(StandardCharsets.UTF_8));
            chunk.writeBytes(END_OF_EVENT);
            sent++;
        }
        if (sent > 0) {
            sse.put(chunk.toByteArray(), storedAtMillis);
            listener.eventsQueued(sent);
        }
        if (renderer.finished() && !ended) {
            ended = true;
            listener.runEnded();
        }
    }

    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.UTF_8);
}
