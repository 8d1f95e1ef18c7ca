package io.agentserver.service.bus;

/** A listener's registration with an {@link EventBroker}. Closing it stops delivery; closing twice is harmless. */
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
