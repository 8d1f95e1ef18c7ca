package io.agentserver.service.store;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Predicate;

/**
 * What per-user limits count, shared by every replica: admitted starts of metered runs and tokens spent per day.
 * The policy (which limits, which runs are metered) is the caller's; this store only counts, atomically per user.
 */
public interface UsageStore {

    /**
     * A user's runs when a new one asks to start.
     *
     * @param activeRuns    admitted runs still going: their interaction is running or waiting for a human, or was
     *                      admitted within the start grace and has not ended
     * @param runsInWindow  admissions within the window (an hour)
     */
    record RunCounts(int activeRuns, int runsInWindow) {
    }

    /**
     * Counts the user's runs and, when {@code admit} accepts the counts, records the admission of
     * {@code interactionId} — both under a lock on the user, so that concurrent starts on any replica see each
     * other. Returns the counts seen before this admission.
     *
     * @param window     how far back {@link RunCounts#runsInWindow()} looks
     * @param startGrace an admitted run counts as active this long before its interaction turns running
     */
    RunCounts admitIf(String userId, String interactionId, String agent, Instant now, Duration window,
                      Duration startGrace, Predicate<RunCounts> admit);

    /** Tokens the user's runs spent on {@code day} (UTC). */
    long tokensOn(String userId, LocalDate day);

    /** Adds {@code tokens} to the user's spend of {@code day}; returns the new total. */
    long addTokens(String userId, LocalDate day, long tokens);
}
