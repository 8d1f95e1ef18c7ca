package io.agentserver.service.hub;

/** Every WebSocket close code the service sends, in one place. */
public final class CloseCodes {

    /** The conversation is over: run finished, playback done, refused connect (XAgent semantics). */
    public static final int NORMAL = 1000;
    /** The server is shutting down. */
    public static final int GOING_AWAY = 1001;
    /** The client broke the WebSocket protocol (for example a control frame over 125 bytes). */
    public static final int PROTOCOL_ERROR = 1002;
    /** A connection over a limit: too many sockets for one user, or too many messages per second. */
    public static final int POLICY_VIOLATION = 1008;
    /** A client message larger than the configured limit. */
    public static final int TOO_BIG = 1009;
    /** Unexpected server failure. */
    public static final int INTERNAL_ERROR = 1011;
    /** The client did not read fast enough and its outbound queue overflowed; its connection is then dropped. */
    public static final int SLOW_CONSUMER = 1013;
    /** AutoGPT: no token in the query string. */
    public static final int MISSING_TOKEN = 4001;
    /** AutoGPT: a valid token without a subject. */
    public static final int TOKEN_WITHOUT_SUBJECT = 4002;
    /** AutoGPT: a token that failed verification. */
    public static final int INVALID_TOKEN = 4003;
    /**
     * The JWT the socket was opened with expired ({@code exp} plus the leeway): reconnect with a fresh token. Not a
     * clean end: a run keeps its disconnect grace. Both protocols; XAgent sockets only when their token was a JWT.
     */
    public static final int TOKEN_EXPIRED = 4004;

    private CloseCodes() {
    }
}
