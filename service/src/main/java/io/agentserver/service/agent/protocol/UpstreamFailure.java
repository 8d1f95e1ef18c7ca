package io.agentserver.service.agent.protocol;

import io.agentserver.service.agent.AgentTelemetry;

/**
 * A call to the Agent Protocol server did not give a usable answer. {@code kind} is one of the
 * {@link AgentTelemetry} error kinds; the message is what the user sees.
 */
final class UpstreamFailure extends RuntimeException {

    private final String kind;

    UpstreamFailure(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    String kind() {
        return kind;
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
