package io.agentserver.service.autogpt;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Limits of {@code /ws} subscriptions and the recovery history.
 *
 * @param maxPerSocket        distinct channels one socket may subscribe to
 * @param maxPerUser          distinct channels all of one user's sockets on this replica may subscribe to together
 * @param maxIdLength         longest {@code graph_exec_id} / {@code graph_id} accepted
 * @param historyEnabled      record executor events for {@code since} recovery (one subscription to the whole
 *                            execution bus per replica)
 * @param historyMaxLength    events kept per execution ({@code XADD MAXLEN ~}: Redis may keep somewhat more)
 * @param historyTtl          how long an execution's history lives after its last event
 * @param historyMaxExecutions executions kept by the in-memory history (no Redis)
 * @param historyLinger       sharded scheme: how long a replica keeps recording an execution after its last local
 *                            socket left it (no replica can listen to every sharded channel, so only watched
 *                            executions are recorded; a client that comes back within this finds what it missed)
 */
public record SubscriptionSettings(int maxPerSocket, int maxPerUser, int maxIdLength, boolean historyEnabled,
                                   int historyMaxLength, Duration historyTtl, int historyMaxExecutions,
                                   Duration historyLinger) {

    public static final int DEFAULT_MAX_PER_SOCKET = 100;
    public static final int DEFAULT_MAX_PER_USER = 1000;
    public static final int DEFAULT_MAX_ID_LENGTH = 128;
    public static final boolean DEFAULT_HISTORY_ENABLED = true;
    public static final int DEFAULT_HISTORY_MAX_LENGTH = 1000;
    public static final Duration DEFAULT_HISTORY_TTL = Duration.ofHours(24);
    public static final int DEFAULT_HISTORY_MAX_EXECUTIONS = 10_000;
    public static final Duration DEFAULT_HISTORY_LINGER = Duration.ofMinutes(5);

    public SubscriptionSettings {
        if (maxPerSocket < 1 || maxPerUser < 1 || maxIdLength < 1 || historyMaxLength < 1 || historyMaxExecutions < 1) {
            throw new IllegalArgumentException("autogpt.subscriptions.* and autogpt.history.* limits must be positive");
        }
        if (historyLinger.isNegative()) {
            throw new IllegalArgumentException("autogpt.history.linger must not be negative");
        }
        if (historyTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("autogpt.history.ttl must be at least one second");
        }
    }

    /** Reads {@code autogpt.subscriptions.*} and {@code autogpt.history.*}; every default is named above. */
    public static SubscriptionSettings from(Config config) {
        Config s = config.get("autogpt.subscriptions");
        Config h = config.get("autogpt.history");
        return new SubscriptionSettings(
                s.get("max-per-socket").asInt().orElse(DEFAULT_MAX_PER_SOCKET),
                s.get("max-per-user").asInt().orElse(DEFAULT_MAX_PER_USER),
                s.get("max-id-length").asInt().orElse(DEFAULT_MAX_ID_LENGTH),
                h.get("enabled").asBoolean().orElse(DEFAULT_HISTORY_ENABLED),
                h.get("max-length").asInt().orElse(DEFAULT_HISTORY_MAX_LENGTH),
                h.get("ttl").as(Duration.class).orElse(DEFAULT_HISTORY_TTL),
                h.get("max-executions").asInt().orElse(DEFAULT_HISTORY_MAX_EXECUTIONS),
                h.get("linger").as(Duration.class).orElse(DEFAULT_HISTORY_LINGER));
    }

    public static SubscriptionSettings defaults() {
        return new SubscriptionSettings(DEFAULT_MAX_PER_SOCKET, DEFAULT_MAX_PER_USER, DEFAULT_MAX_ID_LENGTH,
                DEFAULT_HISTORY_ENABLED, DEFAULT_HISTORY_MAX_LENGTH, DEFAULT_HISTORY_TTL, DEFAULT_HISTORY_MAX_EXECUTIONS,
                DEFAULT_HISTORY_LINGER);
    }

    /** True for an id of an acceptable shape: UUIDs, our 32-hex interaction ids, agent names. */
    public boolean validId(String id) {
        if (id.isEmpty() || id.length() > maxIdLength) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
