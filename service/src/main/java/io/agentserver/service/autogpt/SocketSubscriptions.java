package io.agentserver.service.autogpt;

import io.agentserver.service.autogpt.ClientCommand.Rejected;
import io.agentserver.service.autogpt.ClientCommand.SubscribeExecution;
import io.agentserver.service.autogpt.ClientCommand.SubscribeGraph;
import io.agentserver.service.autogpt.ClientCommand.SubscriptionCommand;
import io.agentserver.service.autogpt.ClientCommand.Unsubscribe;
import io.agentserver.service.autogpt.history.ExecutionHistory;
import io.agentserver.service.autogpt.history.HistoryRecorder;
import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.stream.StepCursor;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions of one {@code /ws} socket: subscribe and unsubscribe answered as AutoGPT does, within the
 * limits (ids of a sane shape, at most so many channels per socket and per user). Each channel is served from
 * where its events live:
 * <ul>
 *   <li>an AutoGPT executor's execution or a graph: the replica's {@link ExecutionFanOut} (the bus), live; with
 *       {@code since}, first the recorded history, through an {@link ExecutorReplay}. The {@link ExecutionDirectory}
 *       first names the execution's graph (the sharded scheme's channel needs it) and refuses one that is not the
 *       user's;</li>
 *   <li>one of our own runs: its step log, through a step cursor into an {@link OwnRunView}, so our runs never
 *       make the round trip through the bus to our own subscribers.</li>
 * </ul>
 * Commands and the end of the connection run on the connection's work queue, one at a time; live executor events
 * arrive on the broker's thread and only read the map.
 */
final class SocketSubscriptions {

    static final String FROM_START = "0";

    /** What serves one channel key of this socket. */
    private sealed interface Held permits Bus, OwnRun, Recovering {
    }

    /** Live from the bus. */
    private record Bus() implements Held {
    }

    /** One of our runs, from its step log. */
    private record OwnRun(StepCursor cursor) implements Held {
    }

    /** An executor's execution with {@code since}: history, then live frames with ids from the recorder. */
    private record Recovering(ExecutorReplay replay) implements Held {
    }

    private static final Bus BUS = new Bus();

    private final Subscriptions shared;
    private final ExecutionSubscriber socket;
    private final ConnectionSession session;
    private final Map<String, Held> keys = new ConcurrentHashMap<>();

    SocketSubscriptions(Subscriptions shared, ExecutionSubscriber socket, ConnectionSession session) {
        this.shared = shared;
        this.socket = socket;
        this.session = session;
    }

    void handle(SubscriptionCommand command) {
        switch (command) {
            case SubscribeExecution(String execId, Optional<String> since) -> subscribeExecution(execId, since);
            case SubscribeGraph(String graphId) -> {
                if (!shared.settings.validId(graphId)) {
                    send(shared.codec.error(Rejected.INVALID_DATA));
                    return;
                }
                String key = ChannelKeys.graph(socket.userId(), graphId);
                if (!keys.containsKey(key)) {
                    if (!takeSlot()) {
                        return;
                    }
                    shared.fanOut.subscribeGraph(socket, graphId);
                    keys.put(key, BUS);
                }
                send(shared.codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXECS, key));
            }
            case Unsubscribe(String execId) -> {
                String key = ChannelKeys.execution(socket.userId(), execId);
                Held held = keys.remove(key);
                if (held != null) {
                    leave(key, held);
                    shared.perUser.release(socket.userId(), 1);
                }
                send(shared.codec.unsubscribeAck(held != null ? key : null));
            }
        }
    }

    private void subscribeExecution(String execId, Optional<String> since) {
        if (!shared.settings.validId(execId)) {
            send(shared.codec.error(Rejected.INVALID_DATA));
            return;
        }
        String key = ChannelKeys.execution(socket.userId(), execId);
        if (keys.containsKey(key)) {
            send(shared.codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXEC, key));
            return;
        }
        Optional<Interaction> ownRun = shared.ownRuns.find(socket.userId(), execId);
        if (ownRun.isPresent()) {
            subscribeOwnRun(ownRun.get(), key, since);
            return;
        }
        if (since.isPresent() && !FROM_START.equals(since.get()) && !ExecutionHistory.validId(since.get())) {
            send(shared.codec.error(Rejected.INVALID_DATA));
            return;
        }
        ExecutionDirectory.Resolution resolution = shared.directory.resolve(socket.userId(), execId);
        if (resolution instanceof ExecutionDirectory.Resolution.Refused refused) {
            send(shared.codec.subscribeRefused(refused.error()));
            return;
        }
        Optional<String> graphId = resolution.graph();
        if (!takeSlot()) {
            return;
        }
        if (since.isEmpty()) {
            shared.fanOut.subscribeExecution(socket, execId, graphId);
            keys.put(key, BUS);
            send(shared.codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXEC, key));
            return;
        }
        if (shared.recorder.isEmpty()) {
            shared.fanOut.subscribeExecution(socket, execId, graphId);
            keys.put(key, BUS);
            send(shared.codec.recoveryAck(key, recoveryData(since.get(), false, 0, since.get())));
            return;
        }
        HistoryRecorder recorder = shared.recorder.get();
        ExecutorReplay replay = new ExecutorReplay(session, recorder, shared.codec, key, since.get());
        keys.put(key, new Recovering(replay));
        recorder.listen(key, replay);
        shared.fanOut.subscribeExecution(socket, execId, graphId);
        replay.start();
    }

    /**
     * Our run: its step log from the client's cursor ({@code since} = the first seq not seen), or live from now. The
     * ack goes first; with {@code since} it says how many events follow up to the run's current status (the log as
     * it stands now; live ones follow). Without {@code since}, "now" is where the cursor starts, so the ack waits for
     * it: every event after the ack reaches the client, however long the bus takes to confirm the subscription.
     */
    private void subscribeOwnRun(Interaction run, String key, Optional<String> since) {
        if (since.isPresent() && !since.get().matches("\\d{1,18}")) {
            send(shared.codec.error(Rejected.INVALID_DATA));
            return;
        }
        if (!takeSlot()) {
            return;
        }
        Optional<Long> from = since.map(Long::parseLong);
        if (from.isPresent()) {
            long lastSeq = shared.ownRuns.lastSeq(run.interactionId());
            long replayed = Math.max(0, lastSeq + 1 - from.get());
            send(shared.codec.recoveryAck(key, recoveryData(since.get(), true, replayed + 1,
                    replayed == 0 ? since.get() : String.valueOf(lastSeq + 1))));
        }
        OwnRunView view = new OwnRunView(session, shared.ownRuns, run, key, shared.codec, from, shared.clock,
                from.isEmpty() ? Optional.of(shared.codec.subscribeAck(WsMethod.SUBSCRIBE_GRAPH_EXEC, key))
                        : Optional.empty());
        StepCursor cursor = from.isPresent()
                ? shared.feed.open(run.interactionId(), from.get(), view, session.work())
                : shared.feed.openAtHead(run.interactionId(), view, session.work());
        keys.put(key, new OwnRun(cursor));
    }

    /**
     * A live frame from the fan-out, on the broker's thread: true when the socket should send it as usual; false
     * for a recovering subscription, whose live frames come from the recorder with their ids.
     */
    boolean admit(IngestedEvent event, EncodedFrame frame) {
        for (IngestedEvent.Delivery delivery : event.deliveries()) {
            if (delivery.frame() == frame && delivery.channelKey() != null) {
                return !(keys.get(delivery.channelKey()) instanceof Recovering);
            }
        }
        return true;
    }

    /** The socket closed: leave every channel. */
    void release() {
        keys.forEach(this::leave);
        int held = keys.size();
        keys.clear();
        shared.fanOut.disconnect(socket);
        shared.perUser.release(socket.userId(), held);
    }

    int size() {
        return keys.size();
    }

    private void leave(String key, Held held) {
        switch (held) {
            case Bus bus -> shared.fanOut.unsubscribe(socket, key);
            case OwnRun own -> own.cursor().close();
            case Recovering recovering -> {
                recovering.replay().close();
                shared.recorder.ifPresent(recorder -> recorder.unlisten(key, recovering.replay()));
                shared.fanOut.unsubscribe(socket, key);
            }
        }
    }

    private boolean takeSlot() {
        if (keys.size() >= shared.settings.maxPerSocket()) {
            send(shared.codec.error("Subscription limit reached: at most " + shared.settings.maxPerSocket()
                    + " channels per connection"));
            return false;
        }
        if (!shared.perUser.tryAcquire(socket.userId())) {
            send(shared.codec.error("Subscription limit reached: at most " + shared.settings.maxPerUser()
                    + " channels per user"));
            return false;
        }
        return true;
    }

    static RawJsonObject recoveryData(String since, boolean recovered, long replayed, String cursor) {
        return RawJsonObject.trusted(Json.write(Json.object().put("since", since).put("recovered", recovered)
                .put("replayed", replayed).put("cursor", cursor)));
    }

    private void send(EncodedFrame frame) {
        session.send(frame.frame());
    }
}
