package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.PartialOutput;
import io.agentserver.service.store.PartialOutputStore;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run's {@link LiveOutput}: pieces are queued as they arrive (never blocking the thread that reads the model's
 * stream), consecutive text or argument fragments of the same completion or call merged, and stored by
 * {@link #flush} under the run's append lock: every part stored with {@code beforeSeq = k} is in the store before
 * step k, so a reader that has step k has every part before it. Kinds and their data:
 * {@code text {c, d}}, {@code call {c, i, id, name}}, {@code args {c, id, d}}, {@code end {c, r}} (c: completion id,
 * d: the text, i: the call's index, r: the finish reason).
 */
final class RunLiveOutput implements LiveOutput {

    private static final System.Logger LOG = System.getLogger(RunLiveOutput.class.getName());

    /** A piece waiting to be stored; fragments of the same kind and completion (and call) are appended to it. */
    private static final class Pending {
        final String kind;
        final String completionId;
        final String callId;
        final ObjectNode fixed;
        final StringBuilder text = new StringBuilder();

        Pending(String kind, String completionId, String callId, ObjectNode fixed) {
            this.kind = kind;
            this.completionId = completionId;
            this.callId = callId;
            this.fixed = fixed;
        }

        boolean continues(String kind, String completionId, String callId) {
            return this.kind.equals(kind) && this.completionId.equals(completionId)
                    && java.util.Objects.equals(this.callId, callId);
        }

        String data() {
            ObjectNode data = fixed.deepCopy();
            if (kind.equals("text") || kind.equals("args")) {
                data.put("d", text.toString());
            }
            return Json.write(data);
        }
    }

    private final String interactionId;
    private final String leaseOwner;
    private final PartialOutputStore store;
    private final PartialOutputFeed feed;
    private final Clock clock;
    private final Runnable scheduleFlush;
    private final boolean enabled;
    private final ReentrantLock lock = new ReentrantLock();
    private List<Pending> pending = new ArrayList<>();
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
            add("text", completionId, null, Json.object().put("c", completionId), delta);
        }
    }

    @Override
    public void toolCallStarted(String completionId, int index, String toolCallId, String toolName) {
        add("call", completionId, toolCallId, Json.object().put("c", completionId).put("i", index)
                .put("id", toolCallId).put("name", toolName), null);
    }

    @Override
    public void toolCallArguments(String completionId, String toolCallId, String fragment) {
        if (!fragment.isEmpty()) {
            add("args", completionId, toolCallId, Json.object().put("c", completionId).put("id", toolCallId), fragment);
        }
    }

    @Override
    public void completionEnded(String completionId, String finishReason) {
        add("end", completionId, null, Json.object().put("c", completionId)
                .put("r", finishReason == null ? "" : finishReason), null);
    }

    private void add(String kind, String completionId, String callId, ObjectNode fixed, String text) {
        if (!enabled) {
            return;
        }
        boolean schedule;
        lock.lock();
        try {
            Pending last = pending.isEmpty() ? null : pending.getLast();
            if (text != null && last != null && last.continues(kind, completionId, callId)) {
                last.text.append(text);
            } else {
                Pending piece = new Pending(kind, completionId, callId, fixed);
                if (text != null) {
                    piece.text.append(text);
                }
                pending.add(piece);
            }
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
        List<Pending> taken;
        lock.lock();
        try {
            taken = pending;
            pending = new ArrayList<>();
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
            List<PartialOutput> parts = new ArrayList<>(taken.size());
            for (Pending piece : taken) {
                parts.add(new PartialOutput(interactionId, nextPart + parts.size(), beforeSeq, piece.kind, piece.data(),
                        clock.instant()));
            }
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
