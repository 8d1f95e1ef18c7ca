package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.autogpt.ClientCommand.Rejected;
import io.agentserver.service.autogpt.ClientCommand.SubscribeExecution;
import io.agentserver.service.autogpt.ClientCommand.SubscribeGraph;
import io.agentserver.service.autogpt.ClientCommand.SubscriptionCommand;
import io.agentserver.service.autogpt.ClientCommand.Unsubscribe;
import io.agentserver.service.autogpt.history.ExecutionHistory;
import io.agentserver.service.autogpt.history.HistoryRecorder;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The subscriptions of one {@code /ws} socket: subscribe and unsubscribe answered as AutoGPT does, within the
 * limits (ids of a sane shape, at most so many channels per socket and per user), and the recovery extension:
 * a {@code subscribe_graph_execution} with {@code since} is answered with an ack that says whether the gap was
 * recovered, then the missed events, then live events, without duplicates. Events of a recovering subscription
 * carry {@code event_id}, the cursor for the next {@code since}.
 *
 * <p>Threads: commands arrive on the socket's thread; live events on the broker's or the history recorder's
 * thread. A recovering key's state and its sends are guarded by one lock, never held across I/O.
 */
final class SocketSubscriptions {

    private static final System.Logger LOG = System.getLogger(SocketSubscriptions.class.getName());
    static final String FROM_START = "0";

    private final Subscriptions shared;
    private final ExecutionSubscriber socket;
    private final Consumer<EncodedFrame> send;
    private final Consumer<List<EncodedFrame>> sendAll;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Map<String, Recovering> recovering = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guards {@link #closed} and the socket's membership of {@link #keys} against the end of the connection. */
    private final ReentrantLock membership = new ReentrantLock();
    private boolean closed;

    /**
     * @param send    queues one frame on the socket's writer
     * @param sendAll queues a recovery (its ack and replayed events) as one unit of the writer's queue: a
     *                client catching up is not a slow consumer, however long its gap was
     */
    SocketSubscriptions(Subscriptions shared, ExecutionSubscriber socket, Consumer<EncodedFrame> send,
                        Consumer<List<EncodedFrame>> sendAll) {
        this.shared = shared;
        this.socket = socket;
        this.send = send;
        this.sendAll = sendAll;
    }

    void handle(SubscriptionCommand command) {
        switch (command) {
            case SubscribeExecution(String execId, Optional<String> since) -> {
                if (!shared.settings.validId(execId)) {
                    send.accept(shared.codec.error(Rejected.INVALID_DATA));
                    return;
                }
                String key = ChannelKeys.execution(socket.userId(), execId);
                if (keys.contains(key)) {
                    send.accept(shared.codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXEC, key));
                    return;
                }
                ExecutionDirectory.Resolution resolution = shared.directory.resolve(socket.userId(), execId);
                if (resolution instanceof ExecutionDirectory.Resolution.Refused refused) {
                    send.accept(shared.codec.subscribeRefused(refused.error()));
                    return;
                }
                Optional<String> graphId = resolution.graph();
                if (!takeSlot()) {
                    return;
                }
                if (since.isPresent()) {
                    subscribeRecovering(execId, key, since.get(), graphId);
                } else {
                    if (hold(shared.fanOut.subscribeExecution(socket, execId, graphId))) {
                        send.accept(shared.codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXEC, key));
                    }
                }
            }
            case SubscribeGraph(String graphId) -> {
                if (!shared.settings.validId(graphId)) {
                    send.accept(shared.codec.error(Rejected.INVALID_DATA));
                    return;
                }
                String key = ChannelKeys.graph(socket.userId(), graphId);
                if (!keys.contains(key)) {
                    if (!takeSlot()) {
                        return;
                    }
                    if (!hold(shared.fanOut.subscribeGraph(socket, graphId))) {
                        return;
                    }
                }
                send.accept(shared.codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXECS, key));
            }
            case Unsubscribe(String execId) -> {
                String key = ChannelKeys.execution(socket.userId(), execId);
                boolean known = drop(key);
                if (known) {
                    stopRecovering(key);
                    shared.fanOut.unsubscribe(socket, key);
                    shared.perUser.release(socket.userId(), 1);
                }
                send.accept(shared.codec.unsubscribeAck(known ? key : null));
            }
        }
    }

    /**
     * A live frame from the fan-out: true when the socket should send it as usual; false when this class
     * handles it (a recovering subscription: held back, de-duplicated, or sent with its cursor).
     */
    boolean admit(IngestedEvent event, EncodedFrame frame) {
        if (recovering.isEmpty()) {
            return true;
        }
        for (IngestedEvent.Delivery delivery : event.deliveries()) {
            if (delivery.frame() == frame && delivery.channelKey() != null) {
                Recovering state = recovering.get(delivery.channelKey());
                if (state == null) {
                    return true;
                }
                if (state instanceof OwnRun own) {
                    own.live(frame);
                }
                return false; // executor events of a recovering key come from the history recorder, with ids
            }
        }
        return true;
    }

    /** The socket closed: leave every channel. */
    void release() {
        Set<String> held;
        membership.lock();
        try {
            closed = true;
            held = Set.copyOf(keys);
            keys.clear();
        } finally {
            membership.unlock();
        }
        recovering.keySet().forEach(this::stopRecovering);
        shared.fanOut.disconnect(socket, held);
        shared.perUser.release(socket.userId(), held.size());
    }

    int size() {
        return keys.size();
    }

    /**
     * Records a channel the socket now holds. A subscribe can wait for the broker while the connection ends on
     * another thread (a failed write ends it there): then the subscription is undone here, as the end's
     * {@link #release} did not see it. False when it was undone.
     */
    private boolean hold(String key) {
        membership.lock();
        try {
            if (!closed) {
                keys.add(key);
                return true;
            }
        } finally {
            membership.unlock();
        }
        stopRecovering(key);
        shared.fanOut.unsubscribe(socket, key);
        shared.perUser.release(socket.userId(), 1);
        return false;
    }

    /** Forgets a channel the socket held; false when it held none such (or the connection's end took it). */
    private boolean drop(String key) {
        membership.lock();
        try {
            return keys.remove(key);
        } finally {
            membership.unlock();
        }
    }

    private boolean takeSlot() {
        if (keys.size() >= shared.settings.maxPerSocket()) {
            send.accept(shared.codec.error("Subscription limit reached: at most " + shared.settings.maxPerSocket()
                    + " channels per connection"));
            return false;
        }
        if (!shared.perUser.tryAcquire(socket.userId())) {
            send.accept(shared.codec.error("Subscription limit reached: at most " + shared.settings.maxPerUser()
                    + " channels per user"));
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ recovery

    private void subscribeRecovering(String execId, String key, String since, Optional<String> graphId) {
        Optional<Interaction> ownRun;
        try {
            ownRun = shared.ownRuns.find(socket.userId(), execId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "run lookup failed conn=" + socket.connectionId() + " key=" + key + ": " + e);
            ownRun = Optional.empty();
        }
        if (ownRun.isPresent()) {
            if (!since.matches("\\d{1,18}")) {
                shared.perUser.release(socket.userId(), 1);
                send.accept(shared.codec.error(Rejected.INVALID_DATA));
                return;
            }
            OwnRun state = new OwnRun(key, Long.parseLong(since));
            recovering.put(key, state);
            if (!hold(shared.fanOut.subscribeExecution(socket, execId, graphId))) {
                return;
            }
            List<OwnRunReplay.Replayed> replay;
            boolean read = true;
            try {
                replay = shared.ownRuns.from(ownRun.get(), state.nextSeq, key);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "run replay failed conn=" + socket.connectionId() + " key=" + key + ": " + e);
                replay = List.of();
                read = false;
            }
            state.replay(replay, since, read);
            return;
        }
        if (!FROM_START.equals(since) && !ExecutionHistory.validId(since)) {
            shared.perUser.release(socket.userId(), 1);
            send.accept(shared.codec.error(Rejected.INVALID_DATA));
            return;
        }
        if (shared.recorder.isEmpty()) {
            if (!hold(shared.fanOut.subscribeExecution(socket, execId, graphId))) {
                return;
            }
            send.accept(shared.codec.recoveryAck(key, recoveryData(since, false, 0, since)));
            return;
        }
        HistoryRecorder recorder = shared.recorder.get();
        Executor state = new Executor(key, since);
        recovering.put(key, state);
        recorder.listen(key, state);
        if (!hold(shared.fanOut.subscribeExecution(socket, execId, graphId))) {
            return;
        }
        ExecutionHistory.Slice slice;
        try {
            slice = recorder.after(key, since);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "history read failed conn=" + socket.connectionId() + " key=" + key + ": " + e);
            slice = new ExecutionHistory.Slice(List.of(), false);
        }
        state.replay(slice, since);
    }

    private void stopRecovering(String key) {
        Recovering state = recovering.remove(key);
        if (state instanceof Executor executor) {
            shared.recorder.ifPresent(recorder -> recorder.unlisten(key, executor));
        }
    }

    private static RawJsonObject recoveryData(String since, boolean recovered, int replayed, String cursor) {
        return RawJsonObject.trusted(Json.write(Json.object().put("since", since).put("recovered", recovered)
                .put("replayed", replayed).put("cursor", cursor)));
    }

    /** A recovering subscription: live frames are held back until the replay is out. */
    private abstract sealed class Recovering permits OwnRun, Executor {
        final String key;
        boolean replaying = true;

        Recovering(String key) {
            this.key = key;
        }
    }

    /** One of our runs: the store has everything; node events are ordered by seq, cursor {@code seq + 1}. */
    private final class OwnRun extends Recovering {
        long nextSeq;
        /**
         * The run's status this socket was last sent: the replay's, then each change. The gap fill after a
         * resubscribe reads the stored status back, and that must not repeat the replayed one.
         */
        String sentStatus;
        final List<EncodedFrame> held = new ArrayList<>();

        OwnRun(String key, long fromSeq) {
            super(key);
            this.nextSeq = fromSeq;
        }

        void replay(List<OwnRunReplay.Replayed> replay, String since, boolean recovered) {
            lock.lock();
            try {
                String cursor = since;
                for (OwnRunReplay.Replayed r : replay) {
                    if (r.eventId().isPresent()) {
                        cursor = r.eventId().get();
                    }
                }
                List<EncodedFrame> frames = new ArrayList<>(replay.size() + 1);
                frames.add(shared.codec.recoveryAck(key, recoveryData(since, recovered, replay.size(), cursor)));
                for (OwnRunReplay.Replayed r : replay) {
                    if (r.eventId().isPresent()) {
                        nextSeq = Long.parseLong(r.eventId().get());
                        frames.add(SubscriptionCodec.withEventId(r.frame(), r.eventId().get()));
                    } else {
                        sentStatus = r.statusOrNull();
                        frames.add(r.frame());
                    }
                }
                sendAll.accept(frames);
                replaying = false;
                held.forEach(this::deliver);
                held.clear();
            } finally {
                lock.unlock();
            }
        }

        void live(EncodedFrame frame) {
            lock.lock();
            try {
                if (replaying) {
                    held.add(frame);
                } else {
                    deliver(frame);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Called with the lock held. */
        private void deliver(EncodedFrame frame) {
            Optional<JsonNode> parsed = Json.parse(frame.text());
            if (parsed.isEmpty()) {
                return;
            }
            JsonNode data = parsed.get().path("data");
            if (WsMethod.NODE_EXECUTION_EVENT.wire().equals(parsed.get().path("method").asText())) {
                long seq = data.path("seq").asLong(-1);
                if (seq < nextSeq) {
                    return; // replayed already
                }
                nextSeq = seq + 1;
                send.accept(SubscriptionCodec.withEventId(frame, String.valueOf(nextSeq)));
            } else {
                String status = data.path("status").asText();
                if (status.equals(sentStatus)) {
                    return; // sent already: by the replay, or live before a gap fill read it back
                }
                sentStatus = status;
                send.accept(frame);
            }
        }
    }

    /** An executor's execution: the recorded history; cursor is the history id. */
    private final class Executor extends Recovering implements HistoryRecorder.Listener {
        String lastId;
        final List<Map.Entry<Optional<String>, String>> held = new ArrayList<>();

        Executor(String key, String since) {
            super(key);
            this.lastId = since;
        }

        void replay(ExecutionHistory.Slice slice, String since) {
            lock.lock();
            try {
                List<ExecutionHistory.Entry> entries = slice.entries();
                String cursor = entries.isEmpty() ? since : entries.getLast().id();
                List<EncodedFrame> frames = new ArrayList<>(entries.size() + 1);
                frames.add(shared.codec.recoveryAck(key,
                        recoveryData(since, slice.complete(), entries.size(), cursor)));
                Set<String> replayedFrames = new HashSet<>();
                for (ExecutionHistory.Entry entry : entries) {
                    frames.add(SubscriptionCodec.withEventId(new EncodedFrame(entry.frame()), entry.id()));
                    lastId = entry.id();
                    replayedFrames.add(entry.frame());
                }
                sendAll.accept(frames);
                replaying = false;
                for (Map.Entry<Optional<String>, String> h : held) {
                    if (h.getKey().isPresent() || !replayedFrames.contains(h.getValue())) {
                        deliver(h.getKey(), h.getValue());
                    }
                }
                held.clear();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void recorded(Optional<String> id, String frame) {
            lock.lock();
            try {
                if (replaying) {
                    held.add(Map.entry(id, frame));
                } else {
                    deliver(id, frame);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Called with the lock held. Without an id (history unavailable) the frame still goes out, as is. */
        private void deliver(Optional<String> id, String frame) {
            if (id.isEmpty()) {
                send.accept(new EncodedFrame(frame));
                return;
            }
            if (ExecutionHistory.compareIds(id.get(), lastId) <= 0) {
                return; // replayed already
            }
            lastId = id.get();
            send.accept(SubscriptionCodec.withEventId(new EncodedFrame(frame), id.get()));
        }
    }
}
