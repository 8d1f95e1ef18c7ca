package io.agentserver.operator.api;

/** JWT signature algorithms the agent server verifies. */
public enum JwtAlgorithm {
    HS256, RS256, ES256
}
