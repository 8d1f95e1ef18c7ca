/**
 * The event broker: publish/subscribe between replicas. {@link io.agentserver.service.bus.EventBroker} is the
 * small interface the hub and the protocol adapters use to announce "step n of interaction x is stored" and to
 * receive events that AutoGPT executors publish, with classic ({@code PUBLISH}/{@code PSUBSCRIBE}) and sharded
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}) delivery; {@link io.agentserver.service.bus.InMemoryEventBroker} is the
 * single-node default and the test double. {@link io.agentserver.service.bus.RedisEventBroker} spans replicas, on one
 * Redis ({@link io.agentserver.service.bus.RedisConnections}: exactly one pub/sub connection per replica, subscribed
 * only to what some local listener needs, reference-counted, plus one connection for publishing) or on a Redis
 * Cluster ({@link io.agentserver.service.bus.RedisClusterConnections}, {@code redis.mode=cluster}): exact and sharded
 * channels go through the {@link io.agentserver.service.bus.ShardedSubscriber}, one pub/sub connection per node that
 * serves a subscribed slot, each channel following its slot through failovers (a standby subscription on the
 * replicas takes over without a gap, see {@link io.agentserver.service.bus.StandbyLag}) and slot migrations. In front
 * of either, {@link io.agentserver.service.bus.RetryingEventBroker} retries, in order and within bounds, the
 * publishes Redis did not take; {@link io.agentserver.service.bus.SharedSubscription} holds one broker subscription
 * for as long as any of its local users needs it. The broker carries notifications, not data: it may still drop
 * messages during a long Redis outage, and consumers recover from the store.
 */
package io.agentserver.service.bus;
