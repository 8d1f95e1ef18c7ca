package io.agentserver.service.autogpt;

import io.agentserver.service.bus.Subscription;

/**
 * Told when this replica's {@code /ws} sockets start watching an execution's sharded channel, and (by closing the
 * returned handle) when the last one left. The history recorder uses it: in the sharded scheme no replica can
 * listen to every execution, so it records the ones that are watched.
 */
@FunctionalInterface
public interface ExecutionWatchers {

    /** Nobody listens. */
    ExecutionWatchers NONE = (executionKey, redisChannel) -> () -> { };

    /**
     * @param executionKey {@code U|graph_exec#E}
     * @param redisChannel {@code execution_event/{U/G}/exec/E}
     * @return closed when no local socket watches the execution any more
     */
    Subscription watched(String executionKey, String redisChannel);
}
