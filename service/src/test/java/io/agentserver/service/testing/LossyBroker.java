package io.agentserver.service.testing;

import io.agentserver.service.bus.BrokerStats;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * A broker that loses the publishes a test picks, as a Redis that accepted a PUBLISH while the subscriber
 * connection was reconnecting would: the publisher is told it worked, nobody hears it.
 */
public final class LossyBroker implements EventBroker {

    /** One message that was lost, and when. */
    public record Lost(String channel, String message, Instant at) {
    }

    private final EventBroker delegate;
    private final BiPredicate<String, String> lose;
    private final List<Lost> lost = new CopyOnWriteArrayList<>();

    public LossyBroker(EventBroker delegate, BiPredicate<String, String> lose) {
        this.delegate = delegate;
        this.lose = lose;
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
    public Subscription subscribe(String channel, MessageListener listener) {
        return delegate.subscribe(channel, listener);
    }

    @Override
    public Subscription subscribePattern(String pattern, MessageListener listener) {
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
