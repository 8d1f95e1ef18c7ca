package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.Optional;

/**
 * One JSON-RPC 2.0 request: its id (a string, a number or null; echoed in the answer), method and params as sent
 * (null when absent; {@link #paramsObject} checks them once the method is known).
 */
record RpcRequest(JsonNode id, String method, JsonNode params) {

    /** What a body turned out to be: a request, or the error to answer (with the id, when one could be read). */
    sealed interface Parsed permits Valid, Invalid {
    }

    record Valid(RpcRequest request) implements Parsed {
    }

    record Invalid(JsonNode id, RpcError error) implements Parsed {
    }

    static Parsed parse(String body) {
        JsonNode root = Json.parse(body).orElse(null);
        if (root == null) {
            return new Invalid(null, RpcError.parseError());
        }
        if (!root.isObject()) {
            return new Invalid(null, RpcError.invalidRequest("a request is a JSON object"));
        }
        JsonNode id = root.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            return new Invalid(null, RpcError.invalidRequest("\"id\" must be a string, a number or null"));
        }
        if (!"2.0".equals(root.path("jsonrpc").asText(null)) || !root.path("jsonrpc").isTextual()) {
            return new Invalid(id, RpcError.invalidRequest("\"jsonrpc\" must be \"2.0\""));
        }
        if (!root.path("method").isTextual() || root.path("method").asText().isEmpty()) {
            return new Invalid(id, RpcError.invalidRequest("\"method\" must be a non-empty string"));
        }
        if (id == null) {
            return new Invalid(null, RpcError.invalidRequest("notifications (requests without \"id\") are not served"));
        }
        return new Valid(new RpcRequest(id, root.path("method").asText(), root.get("params")));
    }

    /** The params as an object (empty when absent or null); empty when they are something else. */
    Optional<ObjectNode> paramsObject() {
        if (params == null || params.isNull()) {
            return Optional.of(Json.object());
        }
        return params.isObject() ? Optional.of((ObjectNode) params) : Optional.empty();
    }

    /** A successful JSON-RPC response carrying {@code result}. */
    ObjectNode result(JsonNode result) {
        ObjectNode response = Json.object().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }
}
