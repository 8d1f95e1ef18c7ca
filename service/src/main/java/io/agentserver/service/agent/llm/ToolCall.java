package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.Optional;

/**
 * One tool call the model made, checked against the tools it was offered: either valid with its arguments
 * as a JSON object, or invalid with the reason the model is told when it is asked again.
 */
sealed interface ToolCall {

    String id();

    String name();

    record Valid(String id, String name, ObjectNode args) implements ToolCall {

        String text(String field) {
            return args.path(field).asText("");
        }
    }

    record Invalid(String id, String name, String rawArguments, String reason) implements ToolCall {
    }

    static ToolCall check(String id, String name, String rawArguments, ToolSet offered) {
        if (!offered.names().contains(name)) {
            return new Invalid(id, name, rawArguments, "there is no tool named '" + name + "'; use one of "
                    + offered.names());
        }
        Optional<JsonNode> parsed = Json.parse(rawArguments == null || rawArguments.isBlank() ? "{}" : rawArguments);
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            return new Invalid(id, name, rawArguments, "the arguments of " + name + " are not a JSON object");
        }
        ObjectNode args = (ObjectNode) parsed.get();
        return offered.missingArgument(name, args)
                .<ToolCall>map(missing -> new Invalid(id, name, rawArguments, missing))
                .orElseGet(() -> new Valid(id, name, args));
    }
}
