package io.agentserver.service.xagent;

import io.agentserver.service.auth.Identity;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.auth.TokenExpiry;
import io.agentserver.service.auth.TokenCheck;
import io.agentserver.service.store.User;
import io.agentserver.service.store.UserStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Who an XAgent client is. A {@code user_id} and its {@code token} from the user directory, or — so a
 * deployment can run on JWTs alone — a JWT whose subject is the {@code user_id}, whose user record is
 * created on first use.
 */
public final class XAgentUsers {

    public static final String USER_NOT_EXIST = "user is not exist!";
    public static final String USER_NOT_AVAILABLE = "user is not available!";

    private final UserStore users;
    private final JwtVerifier jwt;
    private final Clock clock;

    /** The result of checking a user id and token. */
    public sealed interface Check {
    }

    /** @param tokenExpires when the token was a JWT with {@code exp}: its expiry (plus the leeway) */
    public record Accepted(User user, Optional<Instant> tokenExpires) implements Check {

        public Accepted(User user) {
            this(user, Optional.empty());
        }
    }

    public record Refused(String reason) implements Check {
    }

    public XAgentUsers(UserStore users, JwtVerifier jwt, Clock clock) {
        this.users = users;
        this.jwt = jwt;
        this.clock = clock;
    }

    /** Where sockets opened with a JWT as their token ask to be closed when it expires. */
    public TokenExpiry tokenExpiry() {
        return jwt.expiry();
    }

    public Check check(String userId, String token) {
        if (userId == null || userId.isBlank()) {
            return new Refused(USER_NOT_EXIST);
        }
        Optional<User> user = users.findById(userId);
        if (user.isPresent() && tokenMatches(user.get(), token)) {
            return user.get().available() && !user.get().deleted()
                    ? new Accepted(user.get()) : new Refused(USER_NOT_AVAILABLE);
        }
        Optional<Identity> named = jwtNaming(userId, token);
        if (named.isPresent()) {
            Optional<Instant> expires = named.get().expiresAt();
            return user.map(u -> u.available() && !u.deleted() ? (Check) new Accepted(u, expires)
                            : new Refused(USER_NOT_AVAILABLE))
                    .orElseGet(() -> new Accepted(users.insertIfAbsent(newJwtUser(userId)), expires));
        }
        return user.isPresent() ? new Refused(USER_NOT_AVAILABLE) : new Refused(USER_NOT_EXIST);
    }

    private Optional<Identity> jwtNaming(String userId, String token) {
        if (jwt.enabled() && token != null && token.indexOf('.') > 0
                && jwt.verify(token) instanceof TokenCheck.Valid valid && valid.identity().userId().equals(userId)) {
            return Optional.of(valid.identity());
        }
        return Optional.empty();
    }

    private static boolean tokenMatches(User user, String token) {
        return token != null && MessageDigest.isEqual(
                user.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private User newJwtUser(String userId) {
        var now = clock.instant();
        return new User(userId, userId, userId, UUID.randomUUID().toString().replace("-", ""), true,
                "", "", "", true, false, now, now);
    }
}
