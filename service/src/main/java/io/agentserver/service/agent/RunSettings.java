package io.agentserver.service.agent;

import io.helidon.config.Config;

import java.time.Duration;
import java.util.UUID;

/**
 * Settings of the run-time.
 *
 * @param replicaId          who holds the leases of this replica's runs
 * @param humanReplyTimeout  how long a run waits for a human before failing (XAgent: 600 s)
 * @param leaseDuration      how long a run stays owned without renewal; a crashed replica's runs end after it
 * @param reaperInterval     how often each replica looks for runs whose lease expired
 * @param disconnectGrace    how long a run continues after its client vanished without a close frame
 * @param recheckInterval    how often a run re-reads the store for a stop or a human reply whose broker notice
 *                           may have been lost: the worst-case delay of a lost notice
 * @param defaultAgent       the agent used when a client names none or one the catalog does not know:
 *                           {@code agents.default} ({@code AGENTS_DEFAULT}), else {@code run.default-agent}
 * @param maxConcurrentAppends how many of this replica's runs may be appending a step at once; the others wait
 *                           before their step exists. Bounds the work between a step being stored and written to
 *                           its sockets when runs produce faster than the replica can deliver (see README)
 * @param maxStepBytes       the largest step an agent may emit (its data as UTF-8 JSON); a larger one ends the run
 *                           with a failed step that says so
 * @param viewerLease        how long a viewer of a run counts as watching without its replica renewing it; a
 *                           crashed replica's viewers stop counting after this
 */
public record RunSettings(String replicaId,
                          Duration humanReplyTimeout,
                          Duration leaseDuration,
                          Duration reaperInterval,
                          Duration disconnectGrace,
                          Duration recheckInterval,
                          String defaultAgent,
                          int maxConcurrentAppends,
                          int maxStepBytes,
                          Duration viewerLease) {

    public static final Duration DEFAULT_HUMAN_REPLY_TIMEOUT = Duration.ofSeconds(600);
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REAPER_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DISCONNECT_GRACE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofSeconds(1);
    public static final String DEFAULT_AGENT = "demo";
    /** Four per core: enough to keep the cores busy while appends wait on the database and the broker. */
    public static final int DEFAULT_MAX_CONCURRENT_APPENDS = 4 * Runtime.getRuntime().availableProcessors();
    public static final int DEFAULT_MAX_STEP_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_VIEWER_LEASE = Duration.ofSeconds(15);

    public RunSettings {
        for (Duration positive : new Duration[] {humanReplyTimeout, leaseDuration, reaperInterval, recheckInterval,
                viewerLease}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("run durations must be positive, got " + positive);
            }
        }
        if (maxStepBytes < 1024) {
            throw new IllegalArgumentException("run.max-step-bytes must be at least 1024, got " + maxStepBytes);
        }
        if (maxConcurrentAppends < 1) {
            throw new IllegalArgumentException("run.max-concurrent-appends must be at least 1, got " + maxConcurrentAppends);
        }
    }

    public static RunSettings from(Config config) {
        Config run = config.get("run");
        return new RunSettings(
                run.get("replica-id").asString().orElseGet(RunSettings::generatedReplicaId),
                run.get("human-reply-timeout").as(Duration.class).orElse(DEFAULT_HUMAN_REPLY_TIMEOUT),
                run.get("lease-duration").as(Duration.class).orElse(DEFAULT_LEASE),
                run.get("reaper-interval").as(Duration.class).orElse(DEFAULT_REAPER_INTERVAL),
                run.get("disconnect-grace").as(Duration.class).orElse(DEFAULT_DISCONNECT_GRACE),
                run.get("recheck-interval").as(Duration.class).orElse(DEFAULT_RECHECK_INTERVAL),
                config.get("agents.default").asString().filter(s -> !s.isBlank())
                        .orElseGet(() -> run.get("default-agent").asString().orElse(DEFAULT_AGENT)),
                run.get("max-concurrent-appends").asInt().orElse(DEFAULT_MAX_CONCURRENT_APPENDS),
                run.get("max-step-bytes").asInt().orElse(DEFAULT_MAX_STEP_BYTES),
                run.get("viewer-lease").as(Duration.class).orElse(DEFAULT_VIEWER_LEASE));
    }

    /** How often a replica renews the leases of its runs: three times per lease. */
    public Duration renewInterval() {
        return Duration.ofMillis(Math.max(1, leaseDuration.toMillis() / 3));
    }

    private static String generatedReplicaId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "replica");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
