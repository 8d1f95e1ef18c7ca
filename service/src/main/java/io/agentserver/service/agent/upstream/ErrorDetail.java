package io.agentserver.service.agent.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;

import java.util.List;
import java.util.Optional;

/**
 * The short, human-written part of an error body, when it is JSON: {@code detail}, {@code message}, {@code error}
 * (a string, or an object's {@code message}) or a JSON-RPC {@code error.message}. Never the raw body: an HTML page
 * or a stack trace gives nothing. The caller still {@linkplain UpstreamClient#excerpt redacts} it.
 */
final class ErrorDetail {

    private static final List<String> FIELDS = List.of("detail", "message", "error", "title");

    private ErrorDetail() {
    }

    static Optional<String> of(String body) {
        return Json.parse(body.strip()).filter(JsonNode::isObject).flatMap(ErrorDetail::fromObject);
    }

    private static Optional<String> fromObject(JsonNode node) {
        for (String field : FIELDS) {
            JsonNode value = node.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return Optional.of(value.asText());
            }
            if (value.isObject() && value.path("message").isTextual()) {
                return Optional.of(value.path("message").asText());
            }
        }
        return Optional.empty();
    }
}
