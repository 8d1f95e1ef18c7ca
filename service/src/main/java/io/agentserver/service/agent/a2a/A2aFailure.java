package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.AgentTelemetry;

/**
 * A call to the remote A2A agent gave no usable answer. {@code kind} is one of the {@link AgentTelemetry} error
 * kinds; the message is what the user sees (no token, no URL user info or query).
 */
final class A2aFailure extends RuntimeException {

    /** JSON-RPC's "no error code": the failure is not a JSON-RPC error. */
    static final int NO_RPC_CODE = 0;
    /** A2A's UnsupportedOperationError, which {@code SubscribeToTask} answers for a task that already ended. */
    static final int UNSUPPORTED_OPERATION = -32004;

    private final String kind;
    private final int rpcCode;

    A2aFailure(String kind, String message) {
        this(kind, message, NO_RPC_CODE);
    }

    A2aFailure(String kind, String message, int rpcCode) {
        super(message);
        this.kind = kind;
        this.rpcCode = rpcCode;
    }

    String kind() {
        return kind;
    }

    /** The JSON-RPC error code the agent answered, or {@link #NO_RPC_CODE}. */
    int rpcCode() {
        return rpcCode;
    }

    static String kindOfStatus(int status) {
        if (status == 401 || status == 403) {
            return AgentTelemetry.UNAUTHORIZED;
        }
        if (status == 429) {
            return AgentTelemetry.RATE_LIMITED;
        }
        return status >= 500 ? AgentTelemetry.SERVER_ERROR : AgentTelemetry.BAD_RESPONSE;
    }
}
