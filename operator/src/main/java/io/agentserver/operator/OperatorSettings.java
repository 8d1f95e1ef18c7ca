package io.agentserver.operator;

import io.agentserver.operator.model.PodTemplatePolicy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the operator reads from its environment, with every default named here.
 *
 * @param serverSideApply    {@code OPERATOR_SSA}, default true; false for API servers without apply patches (the mock)
 * @param watchedNamespaces  {@code WATCH_NAMESPACES}, comma-separated; empty means all namespaces
 * @param leaderElection     {@code LEADER_ELECTION_ENABLED}, default false
 * @param leaseName          {@code LEADER_ELECTION_LEASE_NAME}, default agent-server-operator
 * @param leaseNamespace     {@code LEADER_ELECTION_NAMESPACE}, else {@code POD_NAMESPACE}; null means the client's namespace
 * @param identity           {@code POD_NAME}, else {@code HOSTNAME}
 * @param httpPort           {@code HTTP_PORT} of /healthz, /readyz and /metrics, default 8081; 0 picks a free port
 * @param logLevel           {@code LOG_LEVEL}, default info
 * @param leaseTimings       how long a lease lasts and how often it is renewed
 * @param fixedUserIds       {@code FIXED_USER_IDS}, default true: pin the UIDs of the managed PostgreSQL and Redis
 *                           pods (their images start as root); false on OpenShift, whose restricted-v2 assigns UIDs
 * @param podTemplatePolicy  {@code UNRESTRICTED_POD_TEMPLATES}, default false: spec.podTemplate may add only what the
 *                           restricted Pod Security Standard allows, and no service account
 */
public record OperatorSettings(boolean serverSideApply, Set<String> watchedNamespaces, boolean leaderElection,
                               String leaseName, String leaseNamespace, String identity, int httpPort,
                               String logLevel, LeaseTimings leaseTimings, boolean fixedUserIds,
                               PodTemplatePolicy podTemplatePolicy) {

    public static final String DEFAULT_LEASE_NAME = "agent-server-operator";
    public static final int DEFAULT_HTTP_PORT = 8081;

    public static OperatorSettings from(Map<String, String> env) {
        return new OperatorSettings(
                Boolean.parseBoolean(env.getOrDefault("OPERATOR_SSA", "true")),
                Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION_ENABLED", "false")),
                env.getOrDefault("LEADER_ELECTION_LEASE_NAME", DEFAULT_LEASE_NAME),
                env.getOrDefault("LEADER_ELECTION_NAMESPACE", env.get("POD_NAMESPACE")),
                env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "agent-server-operator")),
                Integer.parseInt(env.getOrDefault("HTTP_PORT", String.valueOf(DEFAULT_HTTP_PORT))),
                env.getOrDefault("LOG_LEVEL", "info"),
                LeaseTimings.from(env),
                Boolean.parseBoolean(env.getOrDefault("FIXED_USER_IDS", "true")),
                new PodTemplatePolicy(Boolean.parseBoolean(env.getOrDefault("UNRESTRICTED_POD_TEMPLATES", "false"))));
    }

    /**
     * Leader election timing (ISO-8601 durations), the client-go defaults of the SDK.
     *
     * @param leaseDuration {@code LEADER_ELECTION_LEASE_DURATION}, default PT15S: how long a standby waits before taking over
     * @param renewDeadline {@code LEADER_ELECTION_RENEW_DEADLINE}, default PT10S: how long the leader keeps retrying a renewal
     * @param retryPeriod   {@code LEADER_ELECTION_RETRY_PERIOD}, default PT2S: time between renewals and acquisition attempts
     */
    public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

        public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
        public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
        public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

        public LeaseTimings {
            if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
                throw new IllegalArgumentException("leader election needs lease duration > renew deadline > retry period, was "
                        + leaseDuration + ", " + renewDeadline + ", " + retryPeriod);
            }
        }

        static LeaseTimings from(Map<String, String> env) {
            return new LeaseTimings(
                    duration(env, "LEADER_ELECTION_LEASE_DURATION", DEFAULT_LEASE_DURATION),
                    duration(env, "LEADER_ELECTION_RENEW_DEADLINE", DEFAULT_RENEW_DEADLINE),
                    duration(env, "LEADER_ELECTION_RETRY_PERIOD", DEFAULT_RETRY_PERIOD));
        }

        private static Duration duration(Map<String, String> env, String name, Duration fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : Duration.parse(value.trim());
        }
    }
}
