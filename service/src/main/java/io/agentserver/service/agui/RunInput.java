package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a RunAgentInput asks, read as {@code protocol/agui.md} says: a new run's goal, mode and extra args, or the
 * answers of a resume. Reading is an error value, never an exception.
 */
sealed interface RunInput {

    String threadId();

    String runId();

    /** A new run: {@code args} holds {@code goal} and {@code forwardedProps.args}. */
    record Start(String threadId, String runId, String mode, ObjectNode args) implements RunInput {
        String goal() {
            return args.path("goal").asText();
        }
    }

    /** A resume: the answers to interrupts. */
    record Resume(String threadId, String runId, List<Answer> answers) implements RunInput {
    }

    /** One resume entry: {@code payload} is the human reply's args ({@code {}} for a cancelled one). */
    record Answer(String interruptId, ObjectNode payload) {
    }

    /** Why the input was refused (answered 400). */
    record Invalid(String reason) {
    }

    /** Reads {@code body}; the error says what is wrong. */
    static Result read(String body) {
        Optional<JsonNode> parsed = Json.parse(body);
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            return Result.invalid("the body is not a JSON object");
        }
        JsonNode input = parsed.get();
        if (!nonEmptyText(input.path("threadId"))) {
            return Result.invalid("\"threadId\" must be a non-empty string");
        }
        if (!nonEmptyText(input.path("runId"))) {
            return Result.invalid("\"runId\" must be a non-empty string");
        }
        if (!input.path("messages").isArray()) {
            return Result.invalid("\"messages\" must be an array");
        }
        String threadId = input.path("threadId").asText();
        String runId = input.path("runId").asText();
        JsonNode resume = input.path("resume");
        if (resume.isArray() && !resume.isEmpty()) {
            List<Answer> answers = new ArrayList<>();
            for (JsonNode entry : resume) {
                if (!nonEmptyText(entry.path("interruptId"))) {
                    return Result.invalid("every \"resume\" entry needs a non-empty \"interruptId\"");
                }
                answers.add(new Answer(entry.path("interruptId").asText(), payload(entry)));
            }
            return new Result(Optional.of(new Resume(threadId, runId, answers)), Optional.empty());
        }
        Optional<String> goal = lastUserText(input.path("messages"));
        if (goal.isEmpty()) {
            return Result.invalid("\"messages\" has no user message to take the goal from");
        }
        JsonNode props = input.path("forwardedProps");
        String mode = props.path("mode").asText("auto");
        if (!mode.equals("auto") && !mode.equals("manual")) {
            return Result.invalid("\"forwardedProps.mode\" must be \"auto\" or \"manual\"");
        }
        ObjectNode args = Json.object();
        if (props.path("args").isObject()) {
            args.setAll((ObjectNode) props.path("args").deepCopy());
        } else if (!props.path("args").isMissingNode() && !props.path("args").isNull()) {
            return Result.invalid("\"forwardedProps.args\" must be an object");
        }
        args.put("goal", goal.get());
        return new Result(Optional.of(new Start(threadId, runId, mode, args)), Optional.empty());
    }

    /** The reading: an input, or why not. */
    record Result(Optional<RunInput> input, Optional<Invalid> invalid) {
        static Result invalid(String reason) {
            return new Result(Optional.empty(), Optional.of(new Invalid(reason)));
        }
    }

    private static ObjectNode payload(JsonNode entry) {
        if ("cancelled".equals(entry.path("status").asText())) {
            return Json.object();
        }
        JsonNode payload = entry.path("payload");
        if (payload.isObject()) {
            return (ObjectNode) payload.deepCopy();
        }
        if (payload.isTextual()) {
            return Json.object().put("answer", payload.asText());
        }
        return Json.object();
    }

    private static Optional<String> lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            JsonNode content = message.path("content");
            if (content.isTextual() && !content.asText().isBlank()) {
                return Optional.of(content.asText());
            }
            if (content.isArray()) {
                List<String> texts = new ArrayList<>();
                for (JsonNode part : content) {
                    if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                        texts.add(part.path("text").asText());
                    }
                }
                String joined = String.join("\n", texts);
                if (!joined.isBlank()) {
                    return Optional.of(joined);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean nonEmptyText(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty();
    }
}
