package io.agentserver.service.bus;

/** Receives messages from an {@link EventBroker}. Must not block: enqueue and return. */
@FunctionalInterface
public interface MessageListener {

    /**
     * @param channel the actual channel the message was published on (also for pattern subscriptions)
     * @param message the message text
     */
    void onMessage(String channel, String message);
}
