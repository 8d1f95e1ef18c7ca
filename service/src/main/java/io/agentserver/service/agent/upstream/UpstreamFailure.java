package io.agentserver.service.agent.upstream;

import io.agentserver.service.agent.AgentTelemetry;

/**
 * A call to a remote agent's server did not give a usable answer. {@code kind} is one of the {@link
 * AgentTelemetry} error kinds (the metric label); the message is safe to show the user: it names the agent, the
 * call and what went wrong, never the server's address, a credential or a raw body.
 */
public final class UpstreamFailure extends RuntimeException {

    private final String kind;

    public UpstreamFailure(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    /** The kind of an HTTP status that is not a success. */
    public static String kindOfStatus(int status) {
        if (status == 401 || status == 403) {
            return AgentTelemetry.UNAUTHORIZED;
        }
        if (status == 429) {
            return AgentTelemetry.RATE_LIMITED;
        }
        if (status == 413) {
            return AgentTelemetry.TOO_LARGE;
        }
        return status >= 500 ? AgentTelemetry.SERVER_ERROR : AgentTelemetry.BAD_RESPONSE;
    }
}
