package io.agentserver.service.testing;

import io.agentserver.service.bus.BrokerStats;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * A broker with faults on purpose. It loses the publishes a test picks, as a Redis that accepted a PUBLISH
 * while the subscriber connection was reconnecting would (the publisher is told it worked, nobody hears
 * it), and with {@link #failSubscriptions} it refuses subscriptions, as a broker that is closing does.
 */
public final class LossyBroker implements EventBroker {

    /** One message that was lost, and when. */
    public record Lost(String channel, String message, Instant at) {
    }

    private final EventBroker delegate;
    private final List<Lost> lost = new CopyOnWriteArrayList<>();
    private volatile BiPredicate<String, String> lose;
    private volatile boolean failSubscriptions;

    public LossyBroker(EventBroker delegate, BiPredicate<String, String> lose) {
        this.delegate = delegate;
        this.lose = lose;
    }

    /** The in-memory broker, losing nothing until told to. */
    public LossyBroker() {
        this(new InMemoryEventBroker(), (channel, message) -> false);
    }

    /** From now on, loses every publish to a channel {@code channels} matches. */
    public LossyBroker losing(Predicate<String> channels) {
        this.lose = (channel, message) -> channels.test(channel);
        return this;
    }

    public LossyBroker failSubscriptions(boolean fail) {
        this.failSubscriptions = fail;
        return this;
    }

    public List<Lost> lost() {
        return List.copyOf(lost);
    }

    @Override
    public boolean publish(String channel, String message) {
        if (lose.test(channel, message)) {
            lost.add(new Lost(channel, message, Instant.now()));
            return true;
        }
        return delegate.publish(channel, message);
    }

    @Override
    public boolean broadcast(String channel, String message) {
        if (lose.test(channel, message)) {
            lost.add(new Lost(channel, message, Instant.now()));
            return true;
        }
        return delegate.broadcast(channel, message);
    }

    @Override
    public boolean publishSharded(String channel, String message) {
        if (lose.test(channel, message)) {
            lost.add(new Lost(channel, message, Instant.now()));
            return true;
        }
        return delegate.publishSharded(channel, message);
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        refuseIfFailing();
        return delegate.subscribe(channel, listener);
    }

    @Override
    public Subscription subscribeSharded(String channel, MessageListener listener) {
        refuseIfFailing();
        return delegate.subscribeSharded(channel, listener);
    }

    @Override
    public Subscription subscribePattern(String pattern, MessageListener listener) {
        refuseIfFailing();
        return delegate.subscribePattern(pattern, listener);
    }

    private void refuseIfFailing() {
        if (failSubscriptions) {
            throw new IllegalStateException("broker refuses subscriptions (test fault)");
        }
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
