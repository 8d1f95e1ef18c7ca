package io.agentserver.service.auth;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action when a credential expires: how a socket opened with an expiring JWT gets closed at its
 * {@code exp} (plus the leeway, see {@link Identity#expiresAt()}), as Centrifugo disconnects a client whose token
 * expired. One timer thread for the whole process; an entry costs no thread, and a socket that ends first cancels
 * its entry. The action must not block (queue a close and return).
 */
public final class TokenExpiry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TokenExpiry.class.getName());

    /** A scheduled close; cancel it when the socket ends first. */
    @FunctionalInterface
    public interface Watch {
        Watch NONE = () -> { };

        void cancel();
    }

    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("token-expiry").factory());

    public TokenExpiry() {
        this(Clock.systemUTC());
    }

    TokenExpiry(Clock clock) {
        this.clock = clock;
    }

    /** Runs {@code expired} at {@code at} (at once when that has passed). */
    public Watch at(Instant at, Runnable expired) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        ScheduledFuture<?> entry = timer.schedule(() -> {
            try {
                expired.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing a socket whose token expired failed: " + e);
            }
        }, delay, TimeUnit.MILLISECONDS);
        return () -> entry.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
