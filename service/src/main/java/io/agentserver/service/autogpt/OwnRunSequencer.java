package io.agentserver.service.autogpt;

import io.agentserver.service.json.Json;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node events of one of our own runs, for one execution key of this replica: delivered in step order, each
 * once, whatever the broker does. An event whose seq is already delivered (a PUBLISH retried after the gap was
 * filled) is dropped; an event after a gap waits while the gap is read from the step log; after the broker
 * resubscribed, the log is read for whatever was published while it was away. Reads of the log run on a virtual
 * thread, never on the broker's.
 *
 * <p>The run's {@code graph_execution_event}s pass through here too, so that none overtakes the node events held
 * during a fill; each fill also reads the run's stored status, so that a status change lost with the broker still
 * reaches the subscribers. A status equal to the last one delivered is not repeated.
 */
final class OwnRunSequencer {

    private static final System.Logger LOG = System.getLogger(OwnRunSequencer.class.getName());
    /** Events held while a gap is filled; beyond it the oldest waiting ones are dropped (the log has them). */
    static final int MAX_WAITING = 1_000;

    /** Delivers one message (as published) to the key's sockets. Must not block. */
    interface Sink {
        void deliver(String channel, String message);
    }

    private record Waiting(String channel, String message) {
    }

    private final OwnRunHistory history;
    private final String userId;
    private final String interactionId;
    private final Sink sink;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Long, Waiting> waiting = new TreeMap<>();
    private long delivered;
    /** Status events that arrived live during a fill, delivered after it. */
    private final List<Waiting> heldStatuses = new ArrayList<>();
    private String lastStatus;
    private boolean filling;
    /** A resubscribe during a fill: read once more after it, as the broker lost more in between. */
    private boolean fillAgain;

    /** @param delivered the seq of the last step before the subscription (-1: none) */
    OwnRunSequencer(OwnRunHistory history, String userId, String interactionId, long delivered, Sink sink) {
        this.history = history;
        this.userId = userId;
        this.interactionId = interactionId;
        this.delivered = delivered;
        this.sink = sink;
    }

    /** The {@code seq} a node event of our own runs carries, if the message has one. */
    static OptionalLong seqOf(String message) {
        return Json.parse(message)
                .map(node -> node.path("payload").path("seq"))
                .filter(seq -> seq.isIntegralNumber())
                .map(seq -> OptionalLong.of(seq.asLong()))
                .orElse(OptionalLong.empty());
    }

    /** A live node event of the run. Called on the broker's thread. */
    void offer(String channel, String message, long seq) {
        lock.lock();
        try {
            if (seq <= delivered) {
                return;
            }
            if (!filling && seq == delivered + 1) {
                sink.deliver(channel, message);
                delivered = seq;
                return;
            }
            waiting.put(seq, new Waiting(channel, message));
            while (waiting.size() > MAX_WAITING) {
                waiting.pollFirstEntry();
            }
            if (!filling) {
                startFill();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The {@code status} a {@code graph_execution_event} carries, if the message has one. */
    static Optional<String> statusOf(String message) {
        return Json.parse(message)
                .map(node -> node.path("payload").path("status"))
                .filter(status -> status.isTextual())
                .map(status -> status.asText());
    }

    /** A live {@code graph_execution_event} of the run. Called on the broker's thread. */
    void offerStatus(String channel, String message, String status) {
        lock.lock();
        try {
            if (filling) {
                heldStatuses.add(new Waiting(channel, message));
            } else {
                deliverStatus(channel, message, status);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The broker was away: read what it may have lost. */
    void resubscribed() {
        lock.lock();
        try {
            if (filling) {
                fillAgain = true;
            } else {
                startFill();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Must hold {@link #lock}. */
    private void startFill() {
        filling = true;
        fillAgain = false;
        Thread.ofVirtual().name("ws-gap-fill-" + interactionId).start(this::fill);
    }

    /**
     * Reads the log after the last delivered step until no gap is left. A gap the log still does not show after
     * two reads in a row is given up: the waiting events go out rather than being held forever.
     */
    private void fill() {
        int readsWithoutProgress = 0;
        while (true) {
            long from;
            lock.lock();
            try {
                fillAgain = false;
                from = delivered;
            } finally {
                lock.unlock();
            }
            List<OwnRunHistory.PublishedEvent> missed;
            Optional<OwnRunHistory.PublishedEvent> status;
            try {
                status = history.status(userId, interactionId);
                missed = history.after(userId, interactionId, from);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "gap fill failed interaction=" + interactionId + ": " + e.getMessage());
                status = Optional.empty();
                missed = List.of();
            }
            lock.lock();
            try {
                boolean progress = false;
                for (OwnRunHistory.PublishedEvent event : missed) {
                    if (event.seq() > delivered) {
                        sink.deliver(event.channel(), event.message());
                        delivered = event.seq();
                        progress = true;
                    }
                }
                drainWaiting();
                if (waiting.isEmpty() && !fillAgain) {
                    finishFill(status);
                    return;
                }
                readsWithoutProgress = progress ? 0 : readsWithoutProgress + 1;
                if (readsWithoutProgress >= 2) {
                    waiting.forEach(this::deliverLate);
                    waiting.clear();
                    if (!fillAgain) {
                        finishFill(status);
                        return;
                    }
                    readsWithoutProgress = 0;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Must hold {@link #lock}: after the node events, the status as stored when the fill read the log (it was
     * read before any of the held live ones could be newer than it), then the live ones that arrived meanwhile.
     */
    private void finishFill(Optional<OwnRunHistory.PublishedEvent> stored) {
        stored.ifPresent(event -> statusOf(event.message())
                .ifPresent(status -> deliverStatus(event.channel(), event.message(), status)));
        for (Waiting held : heldStatuses) {
            statusOf(held.message()).ifPresent(status -> deliverStatus(held.channel(), held.message(), status));
        }
        heldStatuses.clear();
        filling = false;
    }

    /**
     * Must hold {@link #lock}. After a final status nothing is delivered: a fill may have read the final status
     * from the store before the retried PUBLISHes of earlier changes arrive.
     */
    private void deliverStatus(String channel, String message, String status) {
        if (!status.equals(lastStatus) && !ExecutionStatus.isFinal(lastStatus)) {
            sink.deliver(channel, message);
            lastStatus = status;
        }
    }

    /** Must hold {@link #lock}: delivers the waiting events that are now next in line, drops those already seen. */
    private void drainWaiting() {
        while (!waiting.isEmpty()) {
            Map.Entry<Long, Waiting> first = waiting.firstEntry();
            if (first.getKey() <= delivered) {
                waiting.pollFirstEntry();
            } else if (first.getKey() == delivered + 1) {
                waiting.pollFirstEntry();
                sink.deliver(first.getValue().channel(), first.getValue().message());
                delivered = first.getKey();
            } else {
                return;
            }
        }
    }

    /** Must hold {@link #lock}: a step the log does not show (yet) is delivered rather than held forever. */
    private void deliverLate(long seq, Waiting event) {
        if (seq > delivered) {
            sink.deliver(event.channel(), event.message());
            delivered = seq;
        }
    }
}
