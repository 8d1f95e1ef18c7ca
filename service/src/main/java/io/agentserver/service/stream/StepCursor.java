package io.agentserver.service.stream;

import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.LogHead;
import io.agentserver.service.store.Step;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One view's position in one run's step log, and the only way steps reach that view. It hands its
 * {@link StepSink} the steps from a position on, each once, in seq order, whatever their source:
 * <ul>
 *   <li>live: a step this replica stored or another announced goes straight to the sink when it is the next one
 *       and the sink has room (no store read, no hand-off);</li>
 *   <li>read: anything else (a gap, a start behind the head, a sink that had no room, a quiet interaction, a broker
 *       that resubscribed) is read from the store, page by page on the view's own executor, only as fast as the
 *       sink takes it, so a replay of any size holds one page at most. Live steps heard meanwhile are not held:
 *       the store has them, and the read goes on until it reaches the last step it knows of.</li>
 * </ul>
 * A read that fails is retried with back-off, never skipped. Status changes reach the sink after every step stored
 * before them, each distinct status once; the end of the log (a final status, shown after every step before it)
 * is reported once, and the cursor then stops.
 */
public final class StepCursor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StepCursor.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    /** A start position: the step after the last one stored when the cursor first reads, and the status then. */
    static final long AT_HEAD = -1;

    /** A status change waiting for the steps stored before it. */
    private record PendingStatus(InteractionStatus status, long afterSeq) {
    }

    private final String interactionId;
    private final StepSink sink;
    private final Executor work;
    private final StepFeed feed;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<PendingStatus> pending = new ArrayDeque<>();
    /** The seq the sink takes next; written under the lock, read without it to drop duplicates early. */
    private volatile long next;
    private long knownLast = -1;
    private InteractionStatus shown;
    private boolean reading;
    private boolean waitingForRoom;
    private boolean ended;
    private boolean closed;
    private boolean started;
    /** Live status notices heard: a read ignores the status it read if a notice came while it read. */
    private long statusNotices;
    private int failures;

    StepCursor(String interactionId, long fromSeq, StepSink sink, Executor work, StepFeed feed) {
        this.interactionId = interactionId;
        this.next = fromSeq == AT_HEAD ? AT_HEAD : Math.max(0, fromSeq);
        this.sink = sink;
        this.work = work;
        this.feed = feed;
    }

    public String interactionId() {
        return interactionId;
    }

    /** The seq of the next step the view gets. */
    public long next() {
        return next;
    }

    /** Reads the store from the starting position: called once the feed hears the interaction's live events. */
    void start() {
        lock.lock();
        try {
            if (!closed && !reading) {
                scheduleRead();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A step this replica stored or another announced. Any thread; never blocks. */
    void live(Step step) {
        lock.lock();
        try {
            if (closed || ended || step.seq() < next) {
                return;
            }
            knownLast = Math.max(knownLast, step.seq());
            if (reading || waitingForRoom) {
                return; // the read under way reaches it
            }
            if (step.seq() == next) {
                take(step);
            } else {
                scheduleRead(); // a gap: the steps in between are in the store
            }
        } finally {
            lock.unlock();
        }
    }

    /** A status change this replica made or another announced. Any thread; never blocks. */
    void liveStatus(InteractionStatus status, long afterSeq) {
        lock.lock();
        try {
            if (closed || ended) {
                return;
            }
            statusNotices++;
            knownLast = Math.max(knownLast, afterSeq);
            pending.addLast(new PendingStatus(status, afterSeq));
            if (reading || waitingForRoom) {
                return;
            }
            if (afterSeq < next) {
                showDueStatuses();
            } else {
                scheduleRead();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The store may hold more than this cursor heard of (a quiet interaction, a broker that came back). */
    void poke() {
        lock.lock();
        try {
            if (!closed && !ended && !reading && !waitingForRoom) {
                scheduleRead();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the store's head shows something this cursor has not passed on. */
    boolean behind(LogHead head) {
        lock.lock();
        try {
            return !closed && !ended && (head.lastSeq() >= next || head.status() != shown);
        } finally {
            lock.unlock();
        }
    }

    boolean done() {
        lock.lock();
        try {
            return closed || ended;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the cursor: nothing more reaches the sink. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
        } finally {
            lock.unlock();
        }
        feed.release(this);
    }

    /** Under the lock: gives the sink the next step, or waits for room. */
    private boolean take(Step step) {
        if (!sink.offer(step)) {
            waitingForRoom = true;
            sink.whenRoom(this::roomAgain);
            return false;
        }
        next = step.seq() + 1;
        showDueStatuses();
        return true;
    }

    private void roomAgain() {
        lock.lock();
        try {
            if (!waitingForRoom) {
                return;
            }
            waitingForRoom = false;
            if (!closed && !ended) {
                scheduleRead();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private void scheduleRead() {
        reading = true;
        work.execute(this::read);
    }

    /** On the view's executor: one page, then the next one as long as the sink takes them. */
    private void read() {
        long from;
        long noticesBefore;
        lock.lock();
        try {
            if (closed || ended) {
                reading = false;
                return;
            }
            from = next;
            noticesBefore = statusNotices;
        } finally {
            lock.unlock();
        }
        Optional<LogHead> head;
        List<Step> page;
        try {
            // The head first: its status was set after its steps were stored, so it is shown after them.
            head = feed.head(interactionId);
            page = head.isPresent() && from != AT_HEAD ? feed.page(interactionId, from) : List.of();
        } catch (RuntimeException e) {
            retryLater(e);
            return;
        }
        lock.lock();
        try {
            if (failures > 0) {
                LOG.log(Level.INFO, "step log readable again interaction=" + interactionId + " after "
                        + failures + " failed reads");
                failures = 0;
            }
            if (closed || ended) {
                reading = false;
                return;
            }
            if (head.isEmpty()) {
                end(); // the interaction is gone
                reading = false;
                return;
            }
            knownLast = Math.max(knownLast, head.get().lastSeq());
            if (!started) {
                started = true;
                sink.started(head.get());
                if (next == AT_HEAD) {
                    // What the head shows is where this view starts: only what follows reaches it.
                    next = head.get().lastSeq() + 1;
                    shown = head.get().status();
                    if (statusNotices == noticesBefore) {
                        pending.clear();
                    }
                    noticesBefore = -1;
                }
            }
            if (statusNotices == noticesBefore) {
                pending.addLast(new PendingStatus(head.get().status(), head.get().lastSeq()));
            }
            for (Step step : page) {
                if (step.seq() < next) {
                    continue;
                }
                if (step.seq() > next) {
                    // Seqs are dense; a hole means a read raced something odd. Read again, never skip.
                    lock.unlock();
                    try {
                        retryLater(new IllegalStateException("step " + next + " missing before " + step.seq()));
                    } finally {
                        lock.lock();
                    }
                    return;
                }
                if (!take(step) || ended) {
                    break;
                }
            }
            if (ended || waitingForRoom) {
                reading = false;
                return;
            }
            if (knownLast >= next || page.size() >= feed.settings().pageSteps()) {
                work.execute(this::read); // more to read: stay reading
                return;
            }
            showDueStatuses();
            reading = false;
        } finally {
            lock.unlock();
        }
    }

    private void retryLater(RuntimeException e) {
        Duration pause;
        lock.lock();
        try {
            failures++;
            long millis = Math.min(feed.settings().maxRetry().toMillis(),
                    FIRST_RETRY.toMillis() << Math.min(failures - 1, 16));
            pause = Duration.ofMillis(millis);
        } finally {
            lock.unlock();
        }
        if (failures == 1) {
            LOG.log(Level.WARNING, "step log read failed interaction=" + interactionId + "; retrying: " + e.getMessage());
        } else {
            LOG.log(Level.DEBUG, () -> "step log read failed again interaction=" + interactionId + ": " + e.getMessage());
        }
        feed.later(pause, () -> work.execute(this::read));
    }

    /** Under the lock: the statuses whose steps were all shown, in order, each distinct one once. */
    private void showDueStatuses() {
        while (!ended && !pending.isEmpty() && pending.peekFirst().afterSeq() < next) {
            InteractionStatus status = pending.pollFirst().status();
            if (status != shown) {
                shown = status;
                sink.status(status);
            }
            if (status.isFinal()) {
                end();
            }
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            pending.clear();
            sink.ended();
            feed.release(this);
        }
    }
}
