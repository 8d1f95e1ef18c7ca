package io.agentserver.service.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Broker topics of interactions and the JSON their events travel in. Topics are namespaced under
 * {@code agentserver:} so the service can share a Redis with other systems.
 */
public final class InteractionEvents {

    private static final String PREFIX = "agentserver:";

    private InteractionEvents() {
    }

    /** Where an interaction's steps and status changes are published for its viewers. */
    public static String eventsTopic(String interactionId) {
        return PREFIX + "interaction:" + interactionId;
    }

    /** Where replies, stops and viewer changes reach the replica that owns the run. */
    public static String controlTopic(String interactionId) {
        return PREFIX + "run:" + interactionId;
    }

    /**
     * Step notices are written field by field with the stored step's JSON text copied in as it is (it was
     * written by this service): nothing is parsed on the way out.
     */
    public static String encode(InteractionEvent event) {
        return switch (event) {
            case InteractionEvent.StepAppended(Step step) -> encodeStep(step);
            case InteractionEvent.StatusChanged(String id, String userId, InteractionStatus status, String message,
                                                long afterSeq) -> {
                ObjectNode node = Json.object();
                node.put("type", "status");
                node.put("interaction_id", id);
                node.put("user_id", userId);
                node.put("status", status.wire());
                node.put("message", message);
                node.put("after_seq", afterSeq);
                yield Json.write(node);
            }
        };
    }

    private static String encodeStep(Step step) {
        String data = step.dataJson() == null ? "null" : step.dataJson();
        String files = step.workspaceFilesJson() == null ? "[]" : step.workspaceFilesJson();
        StringWriter out = new StringWriter(data.length() + files.length() + 200);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", "step");
            json.writeStringField("interaction_id", step.interactionId());
            json.writeNumberField("seq", step.seq());
            json.writeStringField("node_id", step.nodeId());
            json.writeStringField("status", step.status());
            json.writeStringField("current", step.current());
            json.writeFieldName("data");
            json.writeRawValue(data);
            json.writeFieldName("workspace_file_list");
            json.writeRawValue(files);
            json.writeBooleanField("ask", step.askForHumanHelp());
            json.writeNumberField("time", step.createTime().toEpochMilli());
            // microseconds, as the store keeps them: a step heard from the broker renders as one read from the store
            json.writeNumberField("time_us", ChronoUnit.MICROS.between(Instant.EPOCH, step.createTime()));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The sequence number of a step notice, read without decoding the step: {@link #encode} writes it among the
     * first fields. Empty for a status notice or anything that does not read as a step notice.
     */
    public static OptionalLong stepSeq(String message) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(message)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalLong.empty();
            }
            boolean step = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("type")) {
                    if (value != JsonToken.VALUE_STRING || !"step".equals(parser.getText())) {
                        return OptionalLong.empty();
                    }
                    step = true;
                } else if (field.equals("seq") && step && value == JsonToken.VALUE_NUMBER_INT) {
                    return OptionalLong.of(parser.getLongValue());
                } else {
                    parser.skipChildren();
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Empty for a message that is not an interaction event (logged by the caller). */
    public static Optional<InteractionEvent> decode(String message) {
        if (message == null || message.isBlank()) {
            return Optional.empty();
        }
        try {
            Optional<InteractionEvent> step = decodeStep(message);
            return step.isPresent() ? step : Json.parse(message).flatMap(InteractionEvents::decodeStatus);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A step notice in one pass: {@code data} and {@code workspace_file_list} are cut out of the message as
     * text (they are copied into the frame as they are), the rest read as scalars. Empty for any other message.
     */
    private static Optional<InteractionEvent> decodeStep(String message) throws IOException {
        try (JsonParser parser = Json.mapper().getFactory().createParser(message)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String type = null;
            String id = null;
            long seq = 0;
            String nodeId = "";
            String status = "";
            String current = "";
            String data = "null";
            String files = "null";
            boolean ask = false;
            long time = 0;
            long timeMicros = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> type = parser.getValueAsString();
                    case "interaction_id" -> id = parser.getValueAsString();
                    case "seq" -> seq = parser.getValueAsLong();
                    case "node_id" -> nodeId = text(parser);
                    case "status" -> status = text(parser);
                    case "current" -> current = text(parser);
                    case "data" -> data = rawValue(message, parser, value);
                    case "workspace_file_list" -> files = rawValue(message, parser, value);
                    case "ask" -> ask = parser.getValueAsBoolean();
                    case "time" -> time = parser.getValueAsLong();
                    case "time_us" -> timeMicros = parser.getValueAsLong();
                    default -> parser.skipChildren();
                }
                if ("status".equals(type)) {
                    return Optional.empty();
                }
            }
            if (!"step".equals(type) || id == null) {
                return Optional.empty();
            }
            return Optional.of(new InteractionEvent.StepAppended(new Step(id, seq, nodeId, status, current, data,
                    files, ask, null, timeMicros >= 0 ? Instant.EPOCH.plus(timeMicros, ChronoUnit.MICROS)
                    : Instant.ofEpochMilli(time))));
        }
    }

    private static String text(JsonParser parser) throws IOException {
        return parser.currentToken().isScalarValue() ? parser.getValueAsString("") : "";
    }

    /** The value the parser stands on, as the JSON text it was sent as. */
    private static String rawValue(String message, JsonParser parser, JsonToken value) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        if (value == JsonToken.VALUE_STRING) {
            parser.getText(); // reads to the closing quote, so that the location below is past it
        } else {
            parser.skipChildren();
        }
        int end = (int) parser.currentLocation().getCharOffset();
        return message.substring(start, end);
    }

    private static Optional<InteractionEvent> decodeStatus(JsonNode node) {
        String id = node.path("interaction_id").asText(null);
        if (id == null || !"status".equals(node.path("type").asText())) {
            return Optional.empty();
        }
        return InteractionStatus.fromWire(node.path("status").asText())
                .map(s -> new InteractionEvent.StatusChanged(id, node.path("user_id").asText(), s,
                        node.path("message").asText(), node.path("after_seq").asLong(-1)));
    }
}
