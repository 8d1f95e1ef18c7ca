package io.agentserver.service.auth;

import java.util.Objects;

/**
 * The outcome of checking the token a client presented. Protocol adapters map each case to their
 * refusal (for AutoGPT: {@link Missing} → 4001, {@link NoSubject} → 4002, {@link Invalid} → 4003).
 */
public sealed interface TokenCheck {

    /** The token is genuine and current; the client is {@code identity}. */
    record Valid(Identity identity) implements TokenCheck {
        public Valid {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /** No token, or a blank one. */
    record Missing() implements TokenCheck {
    }

    /** A genuine, current token without a {@code sub} claim. */
    record NoSubject() implements TokenCheck {
    }

    /**
     * Anything else: bad signature, expired, not yet valid, wrong audience, malformed, unsigned or
     * signed with another algorithm than the configured one.
     *
     * @param reason why, for logs only; never send it to the client
     */
    record Invalid(String reason) implements TokenCheck {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
