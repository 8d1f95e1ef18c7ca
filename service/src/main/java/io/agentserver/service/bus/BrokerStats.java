package io.agentserver.service.bus;

/**
 * A snapshot of a broker's counters, free of any metrics library.
 *
 * @param published        messages handed to the transport
 * @param publishFailures  messages that could not be handed to the transport (outage, timeout, closed broker)
 * @param received         messages that arrived from the transport for local delivery
 * @param listenerFailures listener invocations that threw
 * @param reconnects       times the transport came back after being lost (memory: always 0)
 * @param channels         channels with at least one local listener (= transport-level subscriptions)
 * @param patterns         patterns with at least one local listener (= transport-level pattern subscriptions)
 * @param shardChannels    sharded channels with at least one local listener
 * @param resubscriptions  subscriptions made again after the transport lost them: a reconnect, or on a Redis Cluster
 *                         a channel that moved to another node (failover, slot migration)
 * @param connections      pub/sub connections the broker holds now (memory: 0)
 */
public record BrokerStats(long published,
                          long publishFailures,
                          long received,
                          long listenerFailures,
                          long reconnects,
                          int channels,
                          int patterns,
                          int shardChannels,
                          long resubscriptions,
                          int connections) {
}
