package io.agentserver.service.bus;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One broker subscription held for as long as anyone on this replica needs it: opened by the first
 * {@link #acquire()} (which returns once the broker confirmed it, so a message published afterwards arrives),
 * closed after the last holder released it. Later holders never wait for the broker.
 */
public final class SharedSubscription {

    private final Supplier<Subscription> open;
    /** A lock, not a monitor: the first holder waits here for the broker, which must not pin a carrier. */
    private final ReentrantLock lock = new ReentrantLock();
    private int holders;
    private Subscription subscription;

    /** @param open subscribes at the broker; called when the first holder arrives */
    public SharedSubscription(Supplier<Subscription> open) {
        this.open = Objects.requireNonNull(open, "open");
    }

    /** Holds the subscription until the returned handle is closed (closing twice is harmless). */
    public Subscription acquire() {
        lock.lock();
        try {
            if (holders == 0) {
                subscription = open.get();
            }
            holders++;
        } finally {
            lock.unlock();
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release();
            }
        };
    }

    /** True while at least one holder needs the subscription. */
    public boolean held() {
        lock.lock();
        try {
            return holders > 0;
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        lock.lock();
        try {
            if (--holders == 0) {
                Subscription last = subscription;
                subscription = null;
                last.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
