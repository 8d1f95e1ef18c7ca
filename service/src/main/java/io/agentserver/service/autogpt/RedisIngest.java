package io.agentserver.service.autogpt;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a message AutoGPT's executor published on Redis into frames for our local subscribers.
 *
 * <p>Messages are {@code {"payload":<event>}}. Execution events go to channel keys chosen by the
 * Redis channel they arrived on, so that an event AutoGPT publishes twice (sharded: once per
 * execution, once per graph) reaches each subscriber once:
 * <ul>
 *   <li>{@code execution_event/U/G/E} (classic): the execution key and the graph key;</li>
 *   <li>{@code execution_event/{U/G}/exec/E} (sharded): the execution key only;</li>
 *   <li>{@code execution_event/{U/G}/all} (sharded): the graph key only.</li>
 * </ul>
 * Node events go to graph subscribers too, as newer AutoGPT does. {@code notification_event/U}
 * carries {@code {"payload":{"user_id":U,"payload":{"type":…,"event":…,…}}}}; its inner payload is
 * the frame's data, for every socket of U.
 *
 * <p>Isolation: the ids in the event ({@code user_id}, {@code graph_id}, {@code id} or
 * {@code graph_exec_id}) must rebuild exactly the channel name the message arrived on; otherwise it is
 * dropped, so a message can never reach a user other than the one named in its channel. Also dropped:
 * {@code error_comms_update}, unknown event types, non-JSON, duplicate keys, a wrong shape, missing or
 * blank ids. A drop is {@link Optional#empty()}; the caller counts and logs it.
 */
public final class RedisIngest {
    static final String GRAPH_EXEC_UPDATE = "graph_execution_update";
    static final String NODE_EXEC_UPDATE = "node_execution_update";

    private static final List<String> EVENT_PATH = List.of("payload");
    private static final List<String> NOTIFICATION_PATH = List.of("payload", "payload");

    private final RedisChannels channels;
    private final SubscriptionCodec codec;
    private final String executionPrefix;
    private final String notificationPrefix;

    public RedisIngest(RedisChannels channels, SubscriptionCodec codec) {
        this.channels = Objects.requireNonNull(channels, "channels");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.executionPrefix = channels.executionBus() + "/";
        this.notificationPrefix = channels.notificationBus() + "/";
    }

    /** The frames a Redis message yields, or empty when it must be dropped. Never throws. */
    public Optional<IngestedEvent> decode(String redisChannel, String message) {
        if (redisChannel == null || message == null) {
            return Optional.empty();
        }
        if (redisChannel.startsWith(executionPrefix)) {
            return executionEvent(redisChannel, message);
        }
        if (redisChannel.startsWith(notificationPrefix)) {
            return notification(redisChannel, message);
        }
        return Optional.empty();
    }

    private Optional<IngestedEvent> executionEvent(String redisChannel, String message) {
        Optional<JsonObjectScan> envelope = JsonObjectScan.of(message, EVENT_PATH);
        Optional<JsonObjectScan> payload = envelope.flatMap(scan -> scan.object("payload"));
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        JsonObjectScan event = payload.get();
        String eventType = event.strings().get("event_type");
        WsMethod method;
        String execIdField;
        if (GRAPH_EXEC_UPDATE.equals(eventType)) {
            method = WsMethod.GRAPH_EXECUTION_EVENT;
            execIdField = "id";
        } else if (NODE_EXEC_UPDATE.equals(eventType)) {
            method = WsMethod.NODE_EXECUTION_EVENT;
            execIdField = "graph_exec_id";
        } else {
            return Optional.empty(); // error_comms_update and anything unknown
        }
        Optional<String> userId = event.string("user_id");
        Optional<String> graphId = event.string("graph_id");
        Optional<String> execId = event.string(execIdField);
        if (userId.isEmpty() || graphId.isEmpty() || execId.isEmpty()) {
            return Optional.empty();
        }
        List<String> keys = channelKeys(redisChannel, userId.get(), graphId.get(), execId.get());
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        IngestedEvent ingested = codec.fanOut(userId.get(), method, event.raw(message), keys);
        return Optional.of(ownStepEmittedAt(method, event).map(ingested::emittedAt).orElse(ingested));
    }

    /** A node event of one of our own runs carries the step's emit time in {@code add_time}. */
    private static Optional<Instant> ownStepEmittedAt(WsMethod method, JsonObjectScan event) {
        if (method != WsMethod.NODE_EXECUTION_EVENT || !XAgentRunEvents.BLOCK_ID.equals(event.strings().get("block_id"))) {
            return Optional.empty();
        }
        try {
            return event.string("add_time").map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private List<String> channelKeys(String redisChannel, String userId, String graphId, String execId) {
        String execKey = ChannelKeys.execution(userId, execId);
        String graphKey = ChannelKeys.graph(userId, graphId);
        if (redisChannel.equals(channels.executionChannel(userId, graphId, execId))) {
            return List.of(execKey, graphKey);
        }
        if (redisChannel.equals(channels.shardedExecutionChannel(userId, graphId, execId))) {
            return List.of(execKey);
        }
        if (redisChannel.equals(channels.shardedGraphChannel(userId, graphId))) {
            return List.of(graphKey);
        }
        return List.of(); // the event names another user, graph or execution than its channel
    }

    private Optional<IngestedEvent> notification(String redisChannel, String message) {
        Optional<JsonObjectScan> outer = JsonObjectScan.of(message, NOTIFICATION_PATH)
                .flatMap(scan -> scan.object("payload"));
        if (outer.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> userId = outer.get().string("user_id");
        Optional<JsonObjectScan> inner = outer.get().object("payload");
        if (userId.isEmpty() || inner.isEmpty()
                || !redisChannel.equals(channels.notificationChannel(userId.get()))
                || !inner.get().strings().containsKey("type")
                || !inner.get().strings().containsKey("event")) {
            return Optional.empty();
        }
        return Optional.of(codec.notificationFor(userId.get(), inner.get().raw(message)));
    }
}
