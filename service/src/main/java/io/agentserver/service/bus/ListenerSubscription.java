package io.agentserver.service.bus;

import java.util.function.Consumer;

/** The handle returned to a subscriber: closing deactivates the registration once, then lets the broker unregister. */
final class ListenerSubscription implements Subscription {

    private final Registration registration;
    private final Consumer<Registration> unregister;

    ListenerSubscription(Registration registration, Consumer<Registration> unregister) {
        this.registration = registration;
        this.unregister = unregister;
    }

    /** A handle for a broker that is already closed: nothing is ever delivered. */
    static Subscription closed() {
        return () -> { };
    }

    @Override
    public void close() {
        if (registration.deactivate()) {
            unregister.accept(registration);
        }
    }
}
