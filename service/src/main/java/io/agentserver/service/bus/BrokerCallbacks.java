package io.agentserver.service.bus;

/**
 * Marks the threads on which a Redis broker is calling listeners (Lettuce's event loop, or the sharded subscriber's
 * control thread while it hands over missed messages). A listener may publish or (un)subscribe from there, but the
 * broker must not wait for Redis on such a thread: the reply it would wait for may need that very thread.
 */
final class BrokerCallbacks {

    private static final ThreadLocal<Boolean> IN_CALLBACK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private BrokerCallbacks() {
    }

    /** True while this thread is calling listeners. */
    static boolean inCallback() {
        return IN_CALLBACK.get();
    }

    /** Runs {@code delivery} with this thread marked as calling listeners (re-entrant). */
    static void deliver(Runnable delivery) {
        if (IN_CALLBACK.get()) {
            delivery.run();
            return;
        }
        IN_CALLBACK.set(Boolean.TRUE);
        try {
            delivery.run();
        } finally {
            IN_CALLBACK.set(Boolean.FALSE);
        }
    }
}
