package io.agentserver.service.bus;

/** Receives messages from an {@link EventBroker}. Must not block: enqueue and return. */
@FunctionalInterface
public interface MessageListener {

    /**
     * @param channel the actual channel the message was published on (also for pattern subscriptions)
     * @param message the message text
     */
    void onMessage(String channel, String message);

    /**
     * The broker lost its transport and has subscribed again: whatever was published in between is gone.
     * A listener that can read what it missed from elsewhere (the step log) does so now. Must not block.
     */
    default void resubscribed() {
    }
}
