package io.agentserver.service.quota;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The per-user limits. Environment: {@code QUOTA_CONCURRENT_DASH_RUNS}, {@code QUOTA_RUNS_DASH_PER_DASH_HOUR},
 * {@code QUOTA_TOKENS_DASH_PER_DASH_RUN}, {@code QUOTA_TOKENS_DASH_PER_DASH_DAY}, {@code QUOTA_FREE_DASH_AGENTS}
 * and {@code XAGENT_GUEST_DASH_AGENTS}. A limit of 0 means none.
 *
 * @param concurrentRuns metered runs one user may have going at once, on all replicas together
 * @param runsPerHour    metered runs one user may start in any hour
 * @param tokensPerRun   model tokens (prompt and completion) one run may spend; the run fails past it
 * @param tokensPerDay   model tokens one user's runs may spend per UTC day; runs fail past it
 * @param freeAgents     agents that cost nothing and are not metered
 * @param guestAgents    the only agents the shared guest user may start ({@value #ANY_AGENT}: any)
 * @param guestUserId    the shared guest user (XAgent's {@code Guest}/{@code xagent} login)
 */
public record QuotaSettings(int concurrentRuns, int runsPerHour, long tokensPerRun, long tokensPerDay,
                            Set<String> freeAgents, Set<String> guestAgents, String guestUserId) {

    public static final int DEFAULT_CONCURRENT_RUNS = 4;
    public static final int DEFAULT_RUNS_PER_HOUR = 30;
    public static final long DEFAULT_TOKENS_PER_RUN = 250_000;
    public static final long DEFAULT_TOKENS_PER_DAY = 2_000_000;
    public static final String DEFAULT_FREE_AGENTS = "demo,recorder";
    public static final String DEFAULT_GUEST_AGENTS = "demo";
    public static final String GUEST_USER_ID = "guest";
    /** In {@code XAGENT_GUEST_DASH_AGENTS}: the guest may run any agent. */
    public static final String ANY_AGENT = "*";
    /** Runs per hour count admissions within this window. */
    public static final Duration HOUR = Duration.ofHours(1);
    /** An admitted run counts as going this long before its interaction turns running. */
    public static final Duration START_GRACE = Duration.ofSeconds(30);

    public QuotaSettings {
        if (concurrentRuns < 0 || runsPerHour < 0 || tokensPerRun < 0 || tokensPerDay < 0) {
            throw new IllegalArgumentException("quota limits must not be negative (0 means no limit)");
        }
        freeAgents = Set.copyOf(freeAgents);
        guestAgents = Set.copyOf(guestAgents);
    }

    /** No limits at all (tests of other features, and embedded uses). */
    public static QuotaSettings unlimited() {
        return new QuotaSettings(0, 0, 0, 0, Set.of(), Set.of(ANY_AGENT), GUEST_USER_ID);
    }

    public static QuotaSettings from(Config config) {
        Config quota = config.get("quota");
        return new QuotaSettings(
                quota.get("concurrent-runs").asInt().orElse(DEFAULT_CONCURRENT_RUNS),
                quota.get("runs-per-hour").asInt().orElse(DEFAULT_RUNS_PER_HOUR),
                quota.get("tokens-per-run").asLong().orElse(DEFAULT_TOKENS_PER_RUN),
                quota.get("tokens-per-day").asLong().orElse(DEFAULT_TOKENS_PER_DAY),
                names(quota.get("free-agents").asString().orElse(DEFAULT_FREE_AGENTS)),
                names(config.get("xagent.guest-agents").asString().orElse(DEFAULT_GUEST_AGENTS)),
                GUEST_USER_ID);
    }

    boolean metered(String agent) {
        return !freeAgents.contains(agent);
    }

    boolean guestMayRun(String agent) {
        return guestAgents.contains(ANY_AGENT) || guestAgents.contains(agent);
    }

    /** {@code guest} for the shared guest user, {@code user} for everyone else: the spend metrics' label. */
    String userClass(String userId) {
        return guestUserId.equals(userId) ? "guest" : "user";
    }

    private static Set<String> names(String list) {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(list.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .forEach(names::add);
        return names;
    }
}
