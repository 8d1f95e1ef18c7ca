package io.agentserver.service.bus;

import java.util.concurrent.atomic.LongAdder;

/** The mutable counters behind {@link BrokerStats}. */
final class BrokerCounters {

    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder resubscriptions = new LongAdder();

    void published() {
        published.increment();
    }

    void publishFailed() {
        publishFailures.increment();
    }

    void received() {
        received.increment();
    }

    void listenerFailed() {
        listenerFailures.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    void resubscribed(int subscriptions) {
        resubscriptions.add(subscriptions);
    }

    BrokerStats snapshot(int channels, int patterns, int shardChannels, int connections) {
        return new BrokerStats(published.sum(), publishFailures.sum(), received.sum(), listenerFailures.sum(),
                reconnects.sum(), channels, patterns, shardChannels, resubscriptions.sum(), connections);
    }
}
