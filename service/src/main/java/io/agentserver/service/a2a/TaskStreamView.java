package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;
import io.agentserver.service.stream.StepCursor;
import io.agentserver.service.stream.StepSink;
import io.agentserver.service.sse.SseStream;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * An A2A task stream: one more view of the step log. Its {@link StepCursor} hands it steps and statuses; it renders
 * them ({@link TaskEvents}) into JSON-RPC stream responses on the stream's own executor (rendering a
 * {@code finished} step reads the workspace, one file per event) and offers them to the {@link SseStream} one event
 * at a time, taking the cursor's next step only once the last one's events are queued and the stream has room, so
 * a replay of any length streams page by page. Every event carries its id as the SSE {@code id:}; events up to
 * {@code after} (a resume's {@code Last-Event-ID}) are skipped. The stream ends after an event that leaves the task
 * terminal, or waiting for a human on a step that is still unanswered, or when the log is complete.
 *
 * <p>Sink calls run under the cursor's lock: they only queue and schedule. Rendering runs on {@code work}.
 */
final class TaskStreamView implements StepSink {

    private static final System.Logger LOG = System.getLogger(TaskStreamView.class.getName());

    /** The cursor's items, in order: a step, a final status, or the end of the log. */
    private sealed interface Item permits StepItem, StatusItem, EndItem {
    }

    private record StepItem(Step step) implements Item {
    }

    private record StatusItem(InteractionStatus status) implements Item {
    }

    private record EndItem() implements Item {
    }

    /** A rendered event waiting for room; {@code last}: the stream ends after it. */
    private record Pending(TaskEvent event, boolean last) {
    }

    /** What looking for the next event found. */
    private enum Fill { READY, IDLE, FINISHED }

    /** Renders the event a final status adds after the last step (read from the store when this view saw none). */
    interface Trailers {
        Optional<TaskEvent> after(Optional<Step> lastSeen, InteractionStatus status);
    }

    private final TaskRef task;
    private final JsonNode requestId;
    private final SseStream out;
    private final Executor work;
    private final Function<Step, Iterator<TaskEvent>> render;
    private final Trailers trailers;
    private final Optional<EventId> after;
    private final Runnable onEvent;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    /** Confined to the render task on {@code work}: the event waiting for room, and the rest of its step's. */
    private Pending pending;
    private Iterator<TaskEvent> rest = Collections.emptyIterator();
    private boolean restWaits;
    private Optional<Step> lastSeen = Optional.empty();
    /** Under the lock. */
    private boolean rendering;
    private Runnable resume;
    private boolean done;
    private volatile StepCursor cursor;

    /**
     * @param render  a step's events, rendered as they are taken
     * @param after   events up to this id were seen already (a resume); empty: send all
     * @param onEvent called for each event queued (metrics)
     */
    TaskStreamView(TaskRef task, JsonNode requestId, SseStream out, Executor work,
                   Function<Step, Iterator<TaskEvent>> render, Trailers trailers, Optional<EventId> after,
                   Runnable onEvent) {
        this.task = task;
        this.requestId = requestId;
        this.out = out;
        this.work = work;
        this.render = render;
        this.trailers = trailers;
        this.after = after;
        this.onEvent = onEvent;
    }

    /** The cursor feeding this view; closed when the stream ends. */
    void attach(StepCursor cursor) {
        this.cursor = cursor;
        boolean ended;
        lock.lock();
        try {
            ended = done;
        } finally {
            lock.unlock();
        }
        if (ended || out.ended()) {
            cursor.close();
        }
    }

    /** The stream ended from outside (client gone, too slow, server stopping): stop reading. */
    void streamEnded() {
        lock.lock();
        try {
            done = true;
            items.clear();
        } finally {
            lock.unlock();
        }
        StepCursor c = cursor;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public boolean offer(Step step) {
        lock.lock();
        try {
            if (done) {
                return true; // nothing more is read
            }
            if (rendering || !items.isEmpty() || !out.hasRoom()) {
                return false;
            }
            items.addLast(new StepItem(step));
            scheduleLocked();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void whenRoom(Runnable resume) {
        lock.lock();
        try {
            this.resume = resume;
            if (!rendering && items.isEmpty()) {
                work.execute(this::checkRoom);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void status(InteractionStatus status) {
        if (status.isFinal()) {
            queue(new StatusItem(status));
        }
    }

    @Override
    public void ended() {
        queue(new EndItem());
    }

    private void queue(Item item) {
        lock.lock();
        try {
            if (!done) {
                items.addLast(item);
                scheduleLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void scheduleLocked() {
        if (!rendering) {
            rendering = true;
            work.execute(this::render);
        }
    }

    /** On {@code work}: queues events while the stream has room, rendering each as it is taken. */
    private void render() {
        try {
            while (true) {
                if (pending == null) {
                    Fill fill = fill();
                    if (fill == Fill.FINISHED) {
                        return;
                    }
                    if (fill == Fill.IDLE) {
                        break;
                    }
                }
                SseStream.Offer offered = out.offer(encode(pending.event()));
                if (offered == SseStream.Offer.NO_ROOM) {
                    out.whenDrained(() -> work.execute(this::render));
                    return; // still rendering: the drained callback goes on
                }
                boolean last = pending.last();
                pending = null;
                if (offered == SseStream.Offer.CLOSED) {
                    finish();
                    return;
                }
                onEvent.run();
                if (last) {
                    finish();
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a2a stream failed task=" + task.taskId() + "; ending it (the client may resume"
                    + " with Last-Event-ID): " + e);
            out.abort();
            streamEnded();
            return;
        }
        checkRoom();
    }

    /**
     * Finds the next event the client has not seen: the rest of the step being rendered, else the cursor's next item.
     * The event that leaves the task terminal, or waiting on its step while that is unanswered, is the stream's last.
     * FINISHED: the stream was ended (the log is complete, or a resume is past the task's end); IDLE: nothing now.
     */
    private Fill fill() {
        while (true) {
            while (rest.hasNext()) {
                TaskEvent event = rest.next();
                boolean terminal = event.state().map(A2aState::terminal).orElse(false);
                if (seen(event)) {
                    if (terminal) {
                        finish(); // a resume past the task's end: nothing follows it
                        return Fill.FINISHED;
                    }
                    continue; // a question seen before: what follows its answer comes next
                }
                boolean asks = restWaits && event.state().filter(s -> s == A2aState.INPUT_REQUIRED).isPresent();
                pending = new Pending(event, terminal || asks);
                if (terminal || asks) {
                    rest = Collections.emptyIterator();
                }
                return Fill.READY;
            }
            Item item;
            lock.lock();
            try {
                item = done ? null : items.pollFirst();
                if (item == null) {
                    rendering = false;
                    return Fill.IDLE;
                }
            } finally {
                lock.unlock();
            }
            switch (item) {
                case StepItem(Step step) -> {
                    lastSeen = Optional.of(step);
                    rest = render.apply(step);
                    restWaits = step.askForHumanHelp() && !step.answered();
                }
                case StatusItem(InteractionStatus status) -> {
                    Optional<TaskEvent> trailer = trailers.after(lastSeen, status).filter(t -> !seen(t));
                    if (trailer.isEmpty()) {
                        finish();
                        return Fill.FINISHED;
                    }
                    pending = new Pending(trailer.get(), true);
                    return Fill.READY;
                }
                case EndItem() -> {
                    finish();
                    return Fill.FINISHED;
                }
            }
        }
    }

    private boolean seen(TaskEvent event) {
        return after.isPresent() && event.id().compareTo(after.get()) <= 0;
    }

    /** Gives the cursor its turn again once the stream has room and nothing is being rendered. */
    private void checkRoom() {
        Runnable go;
        lock.lock();
        try {
            if (done || rendering || !items.isEmpty() || resume == null) {
                return;
            }
            if (!out.hasRoom()) {
                out.whenDrained(() -> work.execute(this::checkRoom));
                return;
            }
            go = resume;
            resume = null;
        } finally {
            lock.unlock();
        }
        go.run();
    }

    private void finish() {
        lock.lock();
        try {
            done = true;
            rendering = false;
            items.clear();
        } finally {
            lock.unlock();
        }
        pending = null;
        rest = Collections.emptyIterator();
        out.finish();
        StepCursor c = cursor;
        if (c != null) {
            c.close();
        }
    }

    private byte[] encode(TaskEvent event) {
        return SseFrames.event(Optional.of(event.id().toString()), Json.write(response(requestId, event.response())));
    }

    /** A JSON-RPC stream response carrying {@code result}. */
    static ObjectNode response(JsonNode requestId, JsonNode result) {
        ObjectNode response = Json.object().put("jsonrpc", "2.0");
        response.set("id", requestId);
        response.set("result", result);
        return response;
    }
}
