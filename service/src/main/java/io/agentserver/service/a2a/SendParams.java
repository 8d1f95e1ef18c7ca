package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The params of {@code SendMessage} and {@code SendStreamingMessage}, checked: the user's message (an object with
 * {@code messageId} and at least one part), the task it continues (if any), its context, and what it asks of a new
 * run: the goal (its text parts joined by {@code \n}), {@code metadata.mode} and {@code metadata.args} [ours].
 */
record SendParams(ObjectNode message, Optional<String> taskId, Optional<String> contextId, String text,
                  String mode, ObjectNode args, boolean returnImmediately, OptionalInt historyLength) {

    static final int MAX_ID_CHARS = 255;

    /** The checked params, or the {@code -32602} to answer. */
    sealed interface Parsed permits Valid, Invalid {
    }

    record Valid(SendParams params) implements Parsed {
    }

    record Invalid(RpcError error) implements Parsed {
    }

    static Parsed parse(ObjectNode params) {
        JsonNode message = params.get("message");
        if (message == null || !message.isObject()) {
            return invalid("\"message\" (an object) is required");
        }
        JsonNode parts = message.get("parts");
        if (parts == null || !parts.isArray() || parts.isEmpty()) {
            return invalid("\"message.parts\" must hold at least one part");
        }
        for (JsonNode part : parts) {
            if (!part.isObject()) {
                return invalid("each part is an object with one of text, raw, url or data");
            }
        }
        if (!message.path("messageId").isTextual() || message.path("messageId").asText().isBlank()) {
            return invalid("\"message.messageId\" is required");
        }
        if (!validId(message.get("taskId")) || !validId(message.get("contextId"))) {
            return invalid("\"message.taskId\" and \"message.contextId\" are strings of at most " + MAX_ID_CHARS
                    + " characters");
        }
        Optional<String> taskId = optionalId(message.get("taskId"));
        Optional<String> contextId = optionalId(message.get("contextId"));
        JsonNode metadata = message.path("metadata");
        JsonNode mode = metadata.path("mode");
        if (!mode.isMissingNode() && !mode.isNull() && !(mode.isTextual()
                && (mode.asText().equals("auto") || mode.asText().equals("manual")))) {
            return invalid("\"message.metadata.mode\" is \"auto\" or \"manual\"");
        }
        JsonNode args = metadata.path("args");
        if (!args.isMissingNode() && !args.isNull() && !args.isObject()) {
            return invalid("\"message.metadata.args\" must be an object");
        }
        JsonNode configuration = params.path("configuration");
        JsonNode history = configuration.path("historyLength");
        if (!history.isMissingNode() && !history.isNull() && !(history.canConvertToInt() && history.asInt() >= 0)) {
            return invalid("\"configuration.historyLength\" must be a number, 0 or more");
        }
        List<String> texts = new ArrayList<>();
        parts.forEach(p -> {
            if (p.path("text").isTextual()) {
                texts.add(p.path("text").asText());
            }
        });
        return new Valid(new SendParams((ObjectNode) message, taskId, contextId, String.join("\n", texts),
                mode.isTextual() ? mode.asText() : "auto",
                args.isObject() ? ((ObjectNode) args).deepCopy() : Json.object(),
                configuration.path("returnImmediately").asBoolean(false),
                history.canConvertToInt() ? OptionalInt.of(history.asInt()) : OptionalInt.empty()));
    }

    /** The reply's args for the run: the first data part that is an object, else {@code {"answer": text}}. */
    ObjectNode replyArgs() {
        for (JsonNode part : message.path("parts")) {
            if (part.path("data").isObject()) {
                return ((ObjectNode) part.path("data")).deepCopy();
            }
        }
        return Json.object().put("answer", text);
    }

    /** The message as stored in the task's history: with the task and context it belongs to. */
    ObjectNode stored(String task, String context) {
        ObjectNode stored = message.deepCopy();
        stored.put("taskId", task).put("contextId", context);
        if (!stored.path("role").isTextual()) {
            stored.put("role", "ROLE_USER");
        }
        return stored;
    }

    /** Absent, null, or a string of at most {@link #MAX_ID_CHARS} characters. */
    private static boolean validId(JsonNode value) {
        return value == null || value.isNull() || value.isTextual() && value.asText().length() <= MAX_ID_CHARS;
    }

    /** A valid id's value; empty for absent, null or empty. */
    private static Optional<String> optionalId(JsonNode value) {
        return value != null && value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText())
                : Optional.empty();
    }

    private static Parsed invalid(String why) {
        return new Invalid(RpcError.invalidParams(why));
    }
}
