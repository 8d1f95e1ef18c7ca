package io.agentserver.service.testing;

import io.agentserver.service.bus.BrokerStats;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;

import java.time.Duration;
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
    private volatile Predicate<String> slowChannels = channel -> false;
    private volatile Duration slowness = Duration.ZERO;
    private volatile Predicate<String> slowSubscriptions = channel -> false;
    private volatile Duration subscribeSlowness = Duration.ZERO;

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

    /** From now on, every publish to a channel {@code channels} matches takes {@code delay} before it goes out. */
    public LossyBroker slowing(Predicate<String> channels, Duration delay) {
        this.slowness = delay;
        this.slowChannels = channels;
        return this;
    }

    /**
     * From now on, a subscription to a channel {@code channels} matches is confirmed only after {@code delay}, as a
     * Redis that is busy or far away confirms it.
     */
    public LossyBroker slowingSubscriptions(Predicate<String> channels, Duration delay) {
        this.subscribeSlowness = delay;
        this.slowSubscriptions = channels;
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
        if (slowChannels.test(channel)) {
            pause(slowness);
        }
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
        if (slowSubscriptions.test(channel)) {
            pause(subscribeSlowness);
        }
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

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
