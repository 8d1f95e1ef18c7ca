package io.agentserver.service.agent.protocol;

/**
 * A call to the Agent Protocol server did not give a usable answer. {@code kind} is the
 * {@link io.agentserver.service.agent.AgentTelemetry} error kind; the message is what the user sees.
 */
final class UpstreamFailure extends RuntimeException {

    static final String UNAUTHORIZED = "unauthorized";
    static final String RATE_LIMITED = "rate_limited";
    static final String TIMEOUT = "timeout";
    static final String SERVER_ERROR = "server_error";
    static final String BAD_RESPONSE = "bad_response";
    static final String UNREACHABLE = "unreachable";

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
            return UNAUTHORIZED;
        }
        if (status == 429) {
            return RATE_LIMITED;
        }
        return status >= 500 ? SERVER_ERROR : BAD_RESPONSE;
    }
}
