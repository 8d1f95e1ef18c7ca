package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * Whether a remote step asks the human something before the task can go on. The Agent Protocol has no field
 * for it; two conventions are recognised, both named after AutoGPT's {@code ask_user} command:
 * <ul>
 *     <li>{@code additional_output.use_tool.name} (AutoGPT 0.5: {@code command.name}) is {@code ask_user} — how
 *     AutoGPT's agent protocol server proposes asking the user, taking the next step's input as the answer; the
 *     question is {@code use_tool.arguments.question} ({@code command.args.question});</li>
 *     <li>the step's {@code name} is {@code ask_user} — for servers that cannot set {@code additional_output}
 *     (the JavaScript SDK); the question is the step's {@code output}.</li>
 * </ul>
 * The human's answer is sent as the next step's {@code input}. A last step asks nothing: the task is over.
 */
final class InputRequest {

    static final String ASK_USER = "ask_user";

    private InputRequest() {
    }

    /** The question to show, when {@code step} asks one. */
    static Optional<String> question(RemoteStep step) {
        if (step.isLast()) {
            return Optional.empty();
        }
        JsonNode proposed = step.additionalOutput().path("use_tool");
        JsonNode arguments = proposed.path("arguments");
        if (proposed.isMissingNode()) {
            proposed = step.additionalOutput().path("command");
            arguments = proposed.path("args");
        }
        if (ASK_USER.equals(proposed.path("name").asText())) {
            String question = arguments.path("question").asText("");
            return Optional.of(question.isBlank() ? fallbackQuestion(step) : question);
        }
        if (ASK_USER.equals(step.name())) {
            return Optional.of(fallbackQuestion(step));
        }
        return Optional.empty();
    }

    /**
     * The next step's {@code input} from a human reply's {@code args}: a string as it is, else its
     * {@code input}, {@code goal} or {@code thoughts} text (what XAgent's clients send), else the JSON.
     * Empty means no input.
     */
    static Optional<String> answer(JsonNode reply) {
        if (reply == null || reply.isNull() || reply.isMissingNode()) {
            return Optional.empty();
        }
        if (reply.isTextual()) {
            return Optional.of(reply.asText()).filter(s -> !s.isBlank());
        }
        for (String field : new String[]{"input", "goal", "thoughts"}) {
            if (reply.path(field).isTextual()) {
                return Optional.of(reply.path(field).asText()).filter(s -> !s.isBlank());
            }
        }
        return reply.isEmpty() ? Optional.empty() : Optional.of(reply.toString());
    }

    private static String fallbackQuestion(RemoteStep step) {
        return step.output().isBlank() ? "The agent asks for your input." : step.output();
    }
}
