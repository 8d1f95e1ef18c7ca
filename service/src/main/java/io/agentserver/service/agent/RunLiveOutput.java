package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.PartialOutput;
import io.agentserver.service.store.PartialOutputStore;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run's {@link LiveOutput}: pieces are queued as they arrive (never blocking the thread that reads the model's
 * stream) and stored by {@link #flush} under the run's append lock, everything pending as one part (kind
 * {@code pieces}, data {@code {"p":[piece…]}}): one insert per flush interval, and every piece kept as it came, so
 * a view shows each of the model's deltas as it was sent. Every part stored with {@code beforeSeq = k} is in the
 * store before step k, so a reader that has step k has every part before it. Pieces: {@code {"k":"text", c, d}},
 * {@code {"k":"call", c, i, id, name}}, {@code {"k":"args", c, id, d}}, {@code {"k":"end", c, r}} (c: completion id,
 * d: the text, i: the call's index, r: the finish reason).
 */
final class RunLiveOutput implements LiveOutput {

    private static final System.Logger LOG = System.getLogger(RunLiveOutput.class.getName());
    static final String PIECES = "pieces";

    private final String interactionId;
    private final String leaseOwner;
    private final PartialOutputStore store;
    private final PartialOutputFeed feed;
    private final Clock clock;
    private final Runnable scheduleFlush;
    private final boolean enabled;
    private final ReentrantLock lock = new ReentrantLock();
    private ArrayNode pending = Json.array();
    private boolean flushScheduled;
    /** The next part's number; read from the store at the first flush (-1 until then). Under the run's lock. */
    private long nextPart = -1;
    private boolean broken;

    RunLiveOutput(String interactionId, String leaseOwner, PartialOutputStore store, PartialOutputFeed feed, Clock clock,
                  Runnable scheduleFlush) {
        this(interactionId, leaseOwner, store, feed, clock, scheduleFlush, true);
    }

    private RunLiveOutput(String interactionId, String leaseOwner, PartialOutputStore store, PartialOutputFeed feed,
                          Clock clock, Runnable scheduleFlush, boolean enabled) {
        this.interactionId = interactionId;
        this.leaseOwner = leaseOwner;
        this.store = store;
        this.feed = feed;
        this.clock = clock;
        this.scheduleFlush = scheduleFlush;
        this.enabled = enabled;
    }

    static RunLiveOutput disabled(String interactionId) {
        return new RunLiveOutput(interactionId, "", null, null, null, () -> { }, false);
    }

    @Override
    public void textDelta(String completionId, String delta) {
        if (!delta.isEmpty()) {
            add(piece("text", completionId).put("d", delta));
        }
    }

    @Override
    public void toolCallStarted(String completionId, int index, String toolCallId, String toolName) {
        add(piece("call", completionId).put("i", index).put("id", toolCallId).put("name", toolName));
    }

    @Override
    public void toolCallArguments(String completionId, String toolCallId, String fragment) {
        if (!fragment.isEmpty()) {
            add(piece("args", completionId).put("id", toolCallId).put("d", fragment));
        }
    }

    @Override
    public void completionEnded(String completionId, String finishReason) {
        add(piece("end", completionId).put("r", finishReason == null ? "" : finishReason));
    }

    private static ObjectNode piece(String kind, String completionId) {
        return Json.object().put("k", kind).put("c", completionId);
    }

    private void add(ObjectNode piece) {
        if (!enabled) {
            return;
        }
        boolean schedule;
        lock.lock();
        try {
            pending.add(piece);
            schedule = !flushScheduled;
            flushScheduled = true;
        } finally {
            lock.unlock();
        }
        if (schedule) {
            scheduleFlush.run();
        }
    }

    /**
     * Stores what is pending as parts preceding step {@code beforeSeq}, then announces them. Called only under the
     * run's append lock (so never beside an append). A failed store drops the pieces: the run's steps still say
     * everything; a live view then shows that answer whole.
     */
    void flush(long beforeSeq) {
        if (!enabled) {
            return;
        }
        ArrayNode taken;
        lock.lock();
        try {
            taken = pending;
            pending = Json.array();
            flushScheduled = false;
        } finally {
            lock.unlock();
        }
        if (taken.isEmpty() || broken) {
            return;
        }
        try {
            if (nextPart < 0) {
                nextPart = store.nextPart(interactionId);
            }
            ObjectNode data = Json.object();
            data.set("p", taken);
            List<PartialOutput> parts = List.of(new PartialOutput(interactionId, nextPart, beforeSeq, PIECES,
                    Json.write(data), clock.instant()));
            if (!store.appendAsLeaseHolder(parts, leaseOwner)) {
                broken = true; // the run lost its lease or ended: it writes nothing more
                return;
            }
            nextPart += parts.size();
            feed.publish(parts);
        } catch (RuntimeException e) {
            // Parts are dense: after a failed write the next number is unknown, so stop storing for this run.
            broken = true;
            LOG.log(Level.WARNING, "live output not stored interaction=" + interactionId + "; its views show whole"
                    + " steps from here: " + e.getMessage());
        }
    }
}
