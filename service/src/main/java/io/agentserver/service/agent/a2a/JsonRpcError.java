package io.agentserver.service.agent.a2a;

/**
 * A JSON-RPC error the caller said it expects (e.g. A2A's UnsupportedOperationError, which
 * {@code SubscribeToTask} answers for a task that already ended): not a failure of the run, so not counted.
 */
final class JsonRpcError extends RuntimeException {

    /** A2A's UnsupportedOperationError. */
    static final int UNSUPPORTED_OPERATION = -32004;

    private final int code;

    JsonRpcError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
