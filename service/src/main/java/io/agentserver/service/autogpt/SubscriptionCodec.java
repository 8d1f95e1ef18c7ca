package io.agentserver.service.autogpt;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.agentserver.service.autogpt.ClientCommand.ClientError;
import io.agentserver.service.autogpt.ClientCommand.Heartbeat;
import io.agentserver.service.autogpt.ClientCommand.Rejected;
import io.agentserver.service.autogpt.ClientCommand.SubscribeExecution;
import io.agentserver.service.autogpt.ClientCommand.SubscribeGraph;
import io.agentserver.service.autogpt.ClientCommand.Unsubscribe;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decodes client frames of {@code /ws} into {@link ClientCommand}s and encodes server frames.
 *
 * <p>Decoding follows AutoGPT's validation order: the whole frame is checked first (JSON object,
 * a known {@code method} string, {@code data} an object/array/string/null, {@code success} a
 * boolean, {@code channel} and {@code error} strings — else {@link Rejected#INVALID_FORMAT}), then
 * the method decides. Unknown keys are ignored. Decoding never throws.
 *
 * <p>Server frames are compact JSON with the five keys {@code method, data, success, channel, error}
 * in that order and {@code null} written out; the heartbeat reply alone has three keys. Event data is
 * spliced in as the raw text it was published with.
 */
public final class SubscriptionCodec {
    /** Longest {@code data} text kept in a {@link ClientError}, for logging. */
    static final int CLIENT_ERROR_LOG_CAP = 1000;

    private static final Rejected INVALID_FORMAT = new Rejected(Rejected.INVALID_FORMAT);
    private static final Rejected INVALID_DATA = new Rejected(Rejected.INVALID_DATA);
    private static final Rejected DATA_MISSING = new Rejected(Rejected.DATA_MISSING);
    private static final Rejected NOT_PROCESSED = new Rejected(Rejected.NOT_PROCESSED);
    private static final Heartbeat HEARTBEAT = new Heartbeat();
    /** Pydantic's lax booleans, as strings. */
    private static final Set<String> BOOLEAN_STRINGS =
            Set.of("0", "off", "f", "false", "n", "no", "1", "on", "t", "true", "y", "yes");

    private static final EncodedFrame HEARTBEAT_REPLY =
            new EncodedFrame("{\"method\":\"heartbeat\",\"data\":\"pong\",\"success\":true}");

    private final ObjectMapper mapper;
    private final ObjectReader reader;

    public SubscriptionCodec() {
        this(Json.mapper());
    }

    public SubscriptionCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    // ----------------------------------------------------------------- decoding

    /** The command a client text frame carries; a {@link Rejected} for every invalid frame. */
    public ClientCommand decode(String text) {
        if (text == null) {
            return INVALID_FORMAT;
        }
        JsonNode root;
        try {
            root = reader.readTree(text);
        } catch (Exception e) {
            return INVALID_FORMAT;
        }
        if (root == null || !root.isObject()) {
            return INVALID_FORMAT;
        }
        JsonNode methodNode = root.get("method");
        if (methodNode == null || !methodNode.isTextual()) {
            return INVALID_FORMAT;
        }
        WsMethod method = WsMethod.fromWire(methodNode.textValue()).orElse(null);
        JsonNode data = root.get("data");
        if (method == null
                || !isDataType(data)
                || !isLaxBooleanOrNull(root.get("success"))
                || !isStringOrNull(root.get("channel"))
                || !isStringOrNull(root.get("error"))) {
            return INVALID_FORMAT;
        }
        return switch (method) {
            case HEARTBEAT -> HEARTBEAT;
            case SUBSCRIBE_GRAPH_EXEC -> subscription(data, "graph_exec_id", id -> since(data)
                    .<ClientCommand>map(since -> new SubscribeExecution(id, since))
                    .orElse(INVALID_DATA));
            case SUBSCRIBE_GRAPH_EXECS -> subscription(data, "graph_id", SubscribeGraph::new);
            case UNSUBSCRIBE -> subscription(data, "graph_exec_id", Unsubscribe::new);
            case ERROR -> new ClientError(capped(data == null ? "null" : data.toString()));
            case GRAPH_EXECUTION_EVENT, NODE_EXECUTION_EVENT, NOTIFICATION -> NOT_PROCESSED;
        };
    }

    private static ClientCommand subscription(JsonNode data, String idField,
                                              Function<String, ClientCommand> command) {
        if (isFalsy(data)) {
            return DATA_MISSING;
        }
        if (!data.isObject()) {
            return INVALID_DATA;
        }
        JsonNode id = data.get(idField);
        // AutoGPT accepts "" and then acks a channel nobody publishes to; we refuse blank ids.
        if (id == null || !id.isTextual() || id.textValue().isBlank()) {
            return INVALID_DATA;
        }
        return command.apply(id.textValue());
    }

    /**
     * The optional {@code since} of a subscribe (our recovery extension): absent or null is
     * {@code Optional.of(Optional.empty())}; a string or a non-negative whole number is its text; any other
     * value makes the frame invalid (empty).
     */
    private static Optional<Optional<String>> since(JsonNode data) {
        JsonNode since = data.get("since");
        if (since == null || since.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (since.isTextual()) {
            return Optional.of(Optional.of(since.textValue()));
        }
        if (since.isIntegralNumber() && since.canConvertToLong() && since.longValue() >= 0) {
            return Optional.of(Optional.of(String.valueOf(since.longValue())));
        }
        return Optional.empty();
    }

    /** Python truthiness of the {@code data} value, as AutoGPT's {@code if not message.data}. */
    private static boolean isFalsy(JsonNode data) {
        return data == null
                || data.isNull()
                || (data.isContainerNode() && data.isEmpty())
                || (data.isTextual() && data.textValue().isEmpty());
    }

    private static boolean isDataType(JsonNode data) {
        return data == null || data.isNull() || data.isObject() || data.isArray() || data.isTextual();
    }

    private static boolean isStringOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isTextual();
    }

    private static boolean isLaxBooleanOrNull(JsonNode node) {
        if (node == null || node.isNull() || node.isBoolean()) {
            return true;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() && (node.longValue() == 0 || node.longValue() == 1);
        }
        if (node.isFloatingPointNumber()) {
            double value = node.doubleValue();
            return value == 0.0 || value == 1.0;
        }
        return node.isTextual() && BOOLEAN_STRINGS.contains(node.textValue().toLowerCase(Locale.ROOT));
    }

    private static String capped(String text) {
        return text.length() <= CLIENT_ERROR_LOG_CAP ? text : text.substring(0, CLIENT_ERROR_LOG_CAP) + "…";
    }

    // ----------------------------------------------------------------- encoding

    /**
     * A frame with all five keys. {@code data} null writes {@code "data":null}; otherwise the node
     * is written compactly.
     */
    public EncodedFrame encode(WsMethod method, JsonNode data, Boolean success, String channel, String error) {
        String dataText;
        try {
            dataText = data == null ? "null" : mapper.writeValueAsString(data);
        } catch (Exception e) {
            throw new IllegalArgumentException("data cannot be written as JSON", e);
        }
        return new EncodedFrame(frame(method, dataText, success, channel, error));
    }

    /** A frame with all five keys whose {@code data} is spliced in as the raw object text. */
    public EncodedFrame encode(WsMethod method, RawJsonObject data, Boolean success, String channel, String error) {
        return new EncodedFrame(frame(method, data == null ? "null" : data.text(), success, channel, error));
    }

    /** {@code {"method":"heartbeat","data":"pong","success":true}}, exactly. */
    public EncodedFrame heartbeatReply() {
        return HEARTBEAT_REPLY;
    }

    /** The ack of {@code subscribe_graph_execution} or {@code subscribe_graph_executions}. */
    public EncodedFrame subscribeAck(WsMethod method, String channel) {
        if (method != WsMethod.SUBSCRIBE_GRAPH_EXEC && method != WsMethod.SUBSCRIBE_GRAPH_EXECS) {
            throw new IllegalArgumentException("not a subscribe method: " + method);
        }
        return new EncodedFrame(frame(method, "null", true, Objects.requireNonNull(channel, "channel"), null));
    }

    /**
     * The ack of a {@code subscribe_graph_execution} that asked for recovery ({@code since}): {@code data}
     * says whether the gap was fully recovered, how many events follow and the cursor they end at.
     */
    public EncodedFrame recoveryAck(String channel, RawJsonObject recovery) {
        return new EncodedFrame(frame(WsMethod.SUBSCRIBE_GRAPH_EXEC, recovery.text(), true,
                Objects.requireNonNull(channel, "channel"), null));
    }

    /**
     * An event frame with our extension key {@code event_id} after the five AutoGPT keys: the cursor a
     * recovering client sends as {@code since} next time. Only subscriptions that asked for recovery get it.
     */
    public static EncodedFrame withEventId(EncodedFrame frame, String eventId) {
        String text = frame.text();
        StringBuilder out = new StringBuilder(text.length() + eventId.length() + 16);
        out.append(text, 0, text.length() - 1).append(",\"event_id\":");
        appendStringOrNull(out, eventId);
        return new EncodedFrame(out.append('}').toString());
    }

    /**
     * The refusal of a {@code subscribe_graph_execution} for an execution that is unknown or not the user's (our
     * only frame AutoGPT does not have: its server answers nothing):
     * {@code {"method":"subscribe_graph_execution","data":null,"success":false,"channel":null,"error":"<text>"}}.
     */
    public EncodedFrame subscribeRefused(String error) {
        return new EncodedFrame(frame(WsMethod.SUBSCRIBE_GRAPH_EXEC, "null", false, null,
                Objects.requireNonNull(error, "error")));
    }

    /** The ack of {@code unsubscribe}; {@code channel} null when there was no such subscription. */
    public EncodedFrame unsubscribeAck(String channelOrNull) {
        return new EncodedFrame(frame(WsMethod.UNSUBSCRIBE, "null", true, channelOrNull, null));
    }

    /** {@code {"method":"error","data":null,"success":false,"channel":null,"error":"<text>"}}. */
    public EncodedFrame error(String text) {
        return new EncodedFrame(frame(WsMethod.ERROR, "null", false, null, Objects.requireNonNull(text, "text")));
    }

    /** A graph or node execution event to the subscribers of {@code channel}, data as published. */
    public EncodedFrame event(WsMethod method, RawJsonObject data, String channel) {
        if (method != WsMethod.GRAPH_EXECUTION_EVENT && method != WsMethod.NODE_EXECUTION_EVENT) {
            throw new IllegalArgumentException("not an execution event method: " + method);
        }
        return new EncodedFrame(frame(method, data.text(), null, Objects.requireNonNull(channel, "channel"), null));
    }

    /** A notification to every socket of a user: {@code "channel":null}, data as published. */
    public EncodedFrame notification(RawJsonObject data) {
        return new EncodedFrame(frame(WsMethod.NOTIFICATION, data.text(), null, null, null));
    }

    /**
     * One execution event for several channels of one user: one frame per channel key (they differ
     * only in {@code channel}), each to be shared by every subscriber of that key.
     */
    public IngestedEvent fanOut(String userId, WsMethod method, RawJsonObject data, List<String> channelKeys) {
        List<IngestedEvent.Delivery> deliveries = new ArrayList<>(channelKeys.size());
        for (String key : channelKeys) {
            deliveries.add(new IngestedEvent.Delivery(key, event(method, data, key)));
        }
        return new IngestedEvent(userId, method, deliveries);
    }

    /** A notification for every socket of one user. */
    public IngestedEvent notificationFor(String userId, RawJsonObject data) {
        return new IngestedEvent(userId, WsMethod.NOTIFICATION,
                List.of(new IngestedEvent.Delivery(null, notification(data))));
    }

    private static String frame(WsMethod method, String rawData, Boolean success, String channel, String error) {
        StringBuilder out = new StringBuilder(rawData.length() + 96 + (channel == null ? 0 : channel.length()));
        out.append("{\"method\":\"").append(method.wire())
                .append("\",\"data\":").append(rawData)
                .append(",\"success\":").append(success == null ? "null" : success.toString())
                .append(",\"channel\":");
        appendStringOrNull(out, channel);
        out.append(",\"error\":");
        appendStringOrNull(out, error);
        return out.append('}').toString();
    }

    private static void appendStringOrNull(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
        } else {
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(value, out);
            out.append('"');
        }
    }
}
