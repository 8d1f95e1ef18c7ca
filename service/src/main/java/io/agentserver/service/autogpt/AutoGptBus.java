package io.agentserver.service.autogpt;

import java.util.Locale;

/**
 * Which of AutoGPT's two Redis schemes the executors publish with ({@code autogpt.bus}, env {@code AUTOGPT_BUS}).
 */
public enum AutoGptBus {
    /**
     * The seed's scheme: {@code PUBLISH execution_event/U/G/E} and {@code notification_event/U}; a replica holds one
     * {@code PSUBSCRIBE} per bus and routes in memory.
     */
    CLASSIC,
    /**
     * AutoGPT since 2026: {@code SPUBLISH execution_event/{U/G}/exec/E}, {@code …/{U/G}/all} and
     * {@code notification_event/U}; a replica holds one {@code SSUBSCRIBE} per distinct channel its sockets watch.
     * Made for Redis Cluster; works on one Redis 7 too.
     */
    SHARDED;

    public static final String KEY = "autogpt.bus";

    /** {@code classic} or {@code sharded}, any case. */
    public static AutoGptBus parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "classic" -> CLASSIC;
            case "sharded" -> SHARDED;
            default -> throw new IllegalArgumentException(KEY + " must be classic or sharded, was " + value);
        };
    }
}
