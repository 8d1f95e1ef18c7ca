package io.agentserver.service.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is on the other end of a connection, the same for every protocol.
 *
 * @param userId    the user id, the JWT {@code sub} claim
 * @param expiresAt when the credential stops being valid (the JWT's {@code exp} plus the configured leeway); a
 *                  socket opened with it is closed then. Empty: it does not expire (a user token, a JWT without
 *                  {@code exp} where that is allowed, authentication disabled)
 */
public record Identity(String userId, Optional<Instant> expiresAt) {

    /** The user every client becomes when authentication is disabled (AutoGPT's default user). */
    public static final Identity DEVELOPMENT_USER = new Identity("3e53486c-cf57-477e-ba2a-cb02dc828e1a");

    public Identity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
    }

    /** An identity that does not expire. */
    public Identity(String userId) {
        this(userId, Optional.empty());
    }
}
