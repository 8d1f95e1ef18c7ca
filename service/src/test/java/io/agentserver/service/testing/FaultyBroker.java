package io.agentserver.service.testing;

import io.agentserver.service.bus.BrokerStats;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The in-memory broker with faults on purpose: PUBLISHes to channels that {@code lose} matches vanish (the
 * broker says it took them, as Redis pub/sub does when nobody is subscribed at that moment), and
 * {@link #failSubscriptions} makes {@code subscribe} throw, as a broker that is closing does.
 */
public final class FaultyBroker implements EventBroker {

    private final InMemoryEventBroker delegate = new InMemoryEventBroker();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile Predicate<String> lose = channel -> false;
    private volatile boolean failSubscriptions;

    public FaultyBroker losing(Predicate<String> channels) {
        this.lose = channels;
        return this;
    }

    public FaultyBroker failSubscriptions(boolean fail) {
        this.failSubscriptions = fail;
        return this;
    }

    /** PUBLISHes lost so far. */
    public int lost() {
        return lost.get();
    }

    @Override
    public boolean publish(String channel, String message) {
        if (lose.test(channel)) {
            lost.incrementAndGet();
            return true;
        }
        return delegate.publish(channel, message);
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        if (failSubscriptions) {
            throw new IllegalStateException("broker refuses subscriptions (test fault)");
        }
        return delegate.subscribe(channel, listener);
    }

    @Override
    public Subscription subscribePattern(String pattern, MessageListener listener) {
        if (failSubscriptions) {
            throw new IllegalStateException("broker refuses subscriptions (test fault)");
        }
        return delegate.subscribePattern(pattern, listener);
    }

    @Override
    public boolean isHealthy() {
        return delegate.isHealthy();
    }

    @Override
    public BrokerStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
