package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.Optional;

/**
 * A JSON-RPC error as this view answers it: the code, a message for the client, the A2A reason carried as a
 * {@code google.rpc.ErrorInfo} in {@code data} (for A2A's own errors, as {@code @a2a-js/sdk}'s server sends them),
 * and the HTTP status of the answer (200 unless said).
 */
record RpcError(int code, String message, Optional<String> reason, int httpStatus) {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL = -32603;
    static final int TASK_NOT_FOUND = -32001;
    static final int TASK_NOT_CANCELABLE = -32002;
    static final int UNSUPPORTED_OPERATION = -32004;
    static final int VERSION_NOT_SUPPORTED = -32009;
    /** [ours] No credentials, or bad ones: HTTP 401. */
    static final int AUTHENTICATION_REQUIRED = -32000;
    /** [ours] Over a limit of this replica (open streams per user): HTTP 429. */
    static final int LIMIT_EXCEEDED = -32050;

    private static final String ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
    private static final String DOMAIN = "a2a-protocol.org";

    static RpcError parseError() {
        return new RpcError(PARSE_ERROR, "Parse error: the body is not JSON", Optional.empty(), 200);
    }

    static RpcError invalidRequest(String why) {
        return new RpcError(INVALID_REQUEST, "Invalid Request: " + why, Optional.empty(), 200);
    }

    static RpcError tooLarge(long maxBytes) {
        return new RpcError(INVALID_REQUEST, "Invalid Request: the body is larger than " + maxBytes + " bytes",
                Optional.empty(), 413);
    }

    static RpcError methodNotFound(String method) {
        return new RpcError(METHOD_NOT_FOUND, "Method not found: " + method
                + " (this server speaks A2A 1.0: SendMessage, SendStreamingMessage, GetTask, ListTasks, CancelTask,"
                + " SubscribeToTask)", Optional.empty(), 200);
    }

    static RpcError invalidParams(String why) {
        return new RpcError(INVALID_PARAMS, "Invalid params: " + why, Optional.of("INVALID_PARAMS"), 200);
    }

    static RpcError taskNotFound(String id) {
        return new RpcError(TASK_NOT_FOUND, "Task not found: " + id, Optional.of("TASK_NOT_FOUND"), 200);
    }

    static RpcError notCancelable(String id, A2aState state) {
        return new RpcError(TASK_NOT_CANCELABLE, "Task cannot be canceled: " + id + " is " + state.wire(),
                Optional.of("TASK_NOT_CANCELABLE"), 200);
    }

    static RpcError unsupported(String why) {
        return new RpcError(UNSUPPORTED_OPERATION, "Unsupported operation: " + why,
                Optional.of("UNSUPPORTED_OPERATION"), 200);
    }

    static RpcError versionNotSupported(String version) {
        return new RpcError(VERSION_NOT_SUPPORTED, "The requested A2A protocol version '" + version
                + "' is not supported. Supported versions: 1.0", Optional.of("VERSION_NOT_SUPPORTED"), 200);
    }

    static RpcError internal() {
        return new RpcError(INTERNAL, "Internal error", Optional.empty(), 500);
    }

    static RpcError authenticationRequired() {
        return new RpcError(AUTHENTICATION_REQUIRED, "Authentication required", Optional.empty(), 401);
    }

    static RpcError limitExceeded(String why) {
        return new RpcError(LIMIT_EXCEEDED, "Limit exceeded: " + why, Optional.empty(), 429);
    }

    /** The {@code error} member of a JSON-RPC response. */
    ObjectNode toJson() {
        ObjectNode error = Json.object().put("code", code).put("message", message);
        reason.ifPresent(r -> error.putArray("data").addObject()
                .put("@type", ERROR_INFO).put("reason", r).put("domain", DOMAIN));
        return error;
    }

    /** A whole JSON-RPC error response. */
    ObjectNode response(com.fasterxml.jackson.databind.JsonNode id) {
        ObjectNode response = Json.object().put("jsonrpc", "2.0");
        response.set("id", id == null ? Json.mapper().nullNode() : id);
        response.set("error", toJson());
        return response;
    }
}
