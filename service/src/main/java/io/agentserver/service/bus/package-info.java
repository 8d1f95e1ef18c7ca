/**
 * The event broker: publish/subscribe between replicas. {@link io.agentserver.service.bus.EventBroker} is the
 * small interface the hub and the protocol adapters use to announce "step n of interaction x is stored" and to
 * receive events that AutoGPT executors publish; {@link io.agentserver.service.bus.InMemoryEventBroker} is the
 * single-node default and the test double, {@link io.agentserver.service.bus.RedisEventBroker} spans replicas with
 * exactly one Redis pub/sub connection per replica that is subscribed only to the channels and patterns some
 * local listener needs (reference-counted), plus one connection for {@code PUBLISH}; in front of it,
 * {@link io.agentserver.service.bus.RetryingEventBroker} retries, in order and within bounds, the PUBLISHes Redis
 * did not take; {@link io.agentserver.service.bus.SharedSubscription} holds one broker subscription for as long as
 * any of its local users needs it. The broker carries notifications, not data: it may still drop messages during a long Redis
 * outage, and consumers recover from the store.
 */
package io.agentserver.service.bus;
