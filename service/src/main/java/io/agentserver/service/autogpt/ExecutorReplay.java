package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.history.ExecutionHistory;
import io.agentserver.service.autogpt.history.HistoryRecorder;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.OutboundWriter;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@code since} subscription to an AutoGPT executor's execution: its recorded history after the client's cursor,
 * then its live events, each once and with its {@code event_id}. The ack comes first and must say how many events
 * follow and where they end, so the history is read twice, page by page: once to count (nothing kept), once to
 * send, only as fast as the socket's writer has room; what was recorded meanwhile follows, read the same way,
 * until the replay has caught up with the live events. Nothing is held in memory but one page.
 */
final class ExecutorReplay implements HistoryRecorder.Listener {

    private static final System.Logger LOG = System.getLogger(ExecutorReplay.class.getName());
    static final int PAGE = 64;

    private final ConnectionSession session;
    private final HistoryRecorder recorder;
    private final SubscriptionCodec codec;
    private final String key;
    private final String since;
    private final ReentrantLock lock = new ReentrantLock();
    /** The id of the last event sent. */
    private String lastId;
    /** The newest id recorded live while the replay was reading. */
    private String newestSeen;
    private boolean reading = true;
    private boolean closed;

    ExecutorReplay(ConnectionSession session, HistoryRecorder recorder, SubscriptionCodec codec, String key,
                   String since) {
        this.session = session;
        this.recorder = recorder;
        this.codec = codec;
        this.key = key;
        this.since = since;
        this.lastId = since;
        this.newestSeen = since;
    }

    /** On the connection's work: counts, sends the ack, then replays page by page. */
    void start() {
        int count = 0;
        boolean complete;
        String end = since;
        try {
            ExecutionHistory.Slice page = recorder.after(key, since, PAGE);
            complete = page.complete();
            while (!page.entries().isEmpty()) {
                count += page.entries().size();
                end = page.entries().getLast().id();
                if (page.entries().size() < PAGE) {
                    break;
                }
                page = recorder.after(key, end, PAGE);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "history read failed conn=" + session.id() + " key=" + key + ": " + e);
            complete = false;
            count = 0;
            end = since;
            lock.lock();
            try {
                reading = false; // live events only, from here on
            } finally {
                lock.unlock();
            }
        }
        session.send(codec.recoveryAck(key, SocketSubscriptions.recoveryData(since, complete, count, end)).frame());
        if (reading) {
            replay();
        }
    }

    /** On the connection's work: sends pages while the writer has room; continues when it drained. */
    private void replay() {
        while (true) {
            String from;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                from = lastId;
            } finally {
                lock.unlock();
            }
            ExecutionHistory.Slice page;
            try {
                page = recorder.after(key, from, PAGE);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "history read failed conn=" + session.id() + " key=" + key
                        + "; live events only from here: " + e);
                lock.lock();
                try {
                    reading = false;
                } finally {
                    lock.unlock();
                }
                return;
            }
            lock.lock();
            try {
                for (ExecutionHistory.Entry entry : page.entries()) {
                    if (ExecutionHistory.compareIds(entry.id(), lastId) <= 0) {
                        continue;
                    }
                    OutboundWriter.Offer offered = session.offer(frame(entry.id(), entry.frame()).frame(), -1, 0);
                    if (offered == OutboundWriter.Offer.NO_ROOM) {
                        session.whenDrained(() -> session.work().execute(this::replay));
                        return;
                    }
                    lastId = entry.id();
                }
                if (page.entries().size() < PAGE && ExecutionHistory.compareIds(newestSeen, lastId) <= 0) {
                    reading = false; // caught up: live events from here on
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** A live event the recorder stored (on its thread): sent once the replay has caught up. */
    @Override
    public void recorded(Optional<String> id, String frame) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (id.isEmpty()) {
                session.send(new EncodedFrame(frame).frame()); // history unavailable: live, without a cursor
                return;
            }
            if (reading) {
                if (ExecutionHistory.compareIds(id.get(), newestSeen) > 0) {
                    newestSeen = id.get();
                }
                return;
            }
            if (ExecutionHistory.compareIds(id.get(), lastId) > 0) {
                lastId = id.get();
                session.send(frame(id.get(), frame).frame());
            }
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private EncodedFrame frame(String id, String frame) {
        return SubscriptionCodec.withEventId(new EncodedFrame(frame), id);
    }
}
