package io.agentserver.service.autogpt;

import java.util.Objects;

/**
 * The Redis channel names AutoGPT executors publish to, and the patterns and channels our broker
 * subscribes to.
 *
 * <ul>
 *   <li>Classic pub/sub ({@code PUBLISH execution_event/U/G/E}): a replica {@code PSUBSCRIBE}s once to
 *       {@link #executionBusPattern} and routes in memory; Redis's cost per PUBLISH grows with the number of
 *       patterns it holds, so no pattern per execution. ({@link #executionPattern} and {@link #graphPattern}
 *       name one execution's or graph's channels, glob-escaped: {@code * ? [ ] \}; {@code {} and {@code }}
 *       are literal in Redis globs.)</li>
 *   <li>Sharded pub/sub ({@code SPUBLISH execution_event/{U/G}/exec/E} and {@code …/{U/G}/all}, the
 *       braces a literal Redis Cluster hash tag): sharded messages only reach {@code SSUBSCRIBE}
 *       subscribers of the exact name, so {@link #shardedExecutionChannel} needs the graph id.</li>
 *   <li>Notifications: exact channel {@link #notificationChannel} (published with {@code PUBLISH} by
 *       older and {@code SPUBLISH} by newer AutoGPT).</li>
 * </ul>
 *
 * @param executionBus AutoGPT's {@code execution_event_bus_name}
 * @param notificationBus AutoGPT's {@code notification_event_bus_name}
 */
public record RedisChannels(String executionBus, String notificationBus) {
    public static final String DEFAULT_EXECUTION_BUS = "execution_event";
    public static final String DEFAULT_NOTIFICATION_BUS = "notification_event";

    public RedisChannels {
        Objects.requireNonNull(executionBus, "executionBus");
        Objects.requireNonNull(notificationBus, "notificationBus");
    }

    /** AutoGPT's default bus names. */
    public static RedisChannels defaults() {
        return new RedisChannels(DEFAULT_EXECUTION_BUS, DEFAULT_NOTIFICATION_BUS);
    }

    /**
     * The replica-wide {@code PSUBSCRIBE} pattern of the whole execution bus, {@code execution_event/*}: one per
     * replica, however many executions its sockets watch, routed in memory (see {@link ExecutionFanOut}).
     */
    public String executionBusPattern() {
        return globEscape(executionBus) + "/*";
    }

    /** The replica-wide {@code PSUBSCRIBE} pattern of every user's notifications, {@code notification_event/*}. */
    public String notificationBusPattern() {
        return globEscape(notificationBus) + "/*";
    }

    /** {@code PSUBSCRIBE} pattern for one execution, any graph: {@code execution_event/U/*}{@code /E}. */
    public String executionPattern(String userId, String graphExecId) {
        return globEscape(executionBus) + "/" + globEscape(userId) + "/*/" + globEscape(graphExecId);
    }

    /** {@code PSUBSCRIBE} pattern for every execution of one graph: {@code execution_event/U/G/*}. */
    public String graphPattern(String userId, String graphId) {
        return globEscape(executionBus) + "/" + globEscape(userId) + "/" + globEscape(graphId) + "/*";
    }

    /** The classic channel an event of this execution is published on: {@code execution_event/U/G/E}. */
    public String executionChannel(String userId, String graphId, String graphExecId) {
        return executionBus + "/" + userId + "/" + graphId + "/" + graphExecId;
    }

    /** {@code SSUBSCRIBE} channel of one execution: {@code execution_event/{U/G}/exec/E}. */
    public String shardedExecutionChannel(String userId, String graphId, String graphExecId) {
        return executionBus + "/{" + userId + "/" + graphId + "}/exec/" + graphExecId;
    }

    /** {@code SSUBSCRIBE} channel of every execution of one graph: {@code execution_event/{U/G}/all}. */
    public String shardedGraphChannel(String userId, String graphId) {
        return executionBus + "/{" + userId + "/" + graphId + "}/all";
    }

    /** Exact channel of one user's notifications: {@code notification_event/U}. */
    public String notificationChannel(String userId) {
        return notificationBus + "/" + userId;
    }

    /** The text with Redis glob metacharacters {@code * ? [ ] \} escaped by a backslash. */
    public static String globEscape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean special = c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
            if (special && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (special) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
