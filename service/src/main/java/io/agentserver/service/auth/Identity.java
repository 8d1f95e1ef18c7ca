package io.agentserver.service.auth;

import java.util.Objects;

/**
 * Who is on the other end of a connection, the same for every protocol.
 *
 * @param userId the user id, the JWT {@code sub} claim
 */
public record Identity(String userId) {

    /** The user every client becomes when authentication is disabled (AutoGPT's default user). */
    public static final Identity DEVELOPMENT_USER = new Identity("3e53486c-cf57-477e-ba2a-cb02dc828e1a");

    public Identity {
        Objects.requireNonNull(userId, "userId");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
    }
}
