package io.agentserver.service.autogpt;

import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.RedisEventBroker;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.testing.EmbeddedRedis;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;

/**
 * Not run by the build. How should a replica subscribe? (A) one {@code PSUBSCRIBE} per locally watched
 * execution (what {@link ExecutionFanOut} does) or (B) one replica-wide {@code execution_event/*} pattern
 * filtered in memory (AutoGPT's V1). Publishes {@code events} node events spread evenly over
 * {@code executions} executions, of which {@code watched} have a local subscriber, and reports what the
 * replica received, the time its listener spent, and how long the publisher took (Redis matches every
 * PUBLISH against every pattern).
 *
 * <p>{@code mvn -o -pl service test-compile exec:java} is not configured; run it from the IDE or with
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.agentserver.service.autogpt.SubscriptionStrategyBench}.
 */
public final class SubscriptionStrategyBench {

    private static final int BATCH = 200;

    public static void main(String[] args) throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            for (int watched : new int[] {10, 500}) {
                for (int round = 0; round < 2; round++) { // the first round warms up
                    Result a = run(redis, true, 20_000, 1_000, watched);
                    Result b = run(redis, false, 20_000, 1_000, watched);
                    if (round == 1) {
                        System.out.println("watched=" + watched + "\n  A per-execution patterns: " + a
                                + "\n  B one replica-wide pattern: " + b);
                    }
                }
            }
        }
    }

    record Result(long received, long delivered, double listenerMs, double publishMs, double totalMs) {
        @Override
        public String toString() {
            return String.format("received=%d delivered=%d listenerCpu=%.1f ms publish=%.1f ms total=%.1f ms",
                    received, delivered, listenerMs, publishMs, totalMs);
        }
    }

    private static Result run(EmbeddedRedis redis, boolean perExecution, int events, int executions, int watched)
            throws Exception {
        ServiceMetrics metrics = new ServiceMetrics(new ConnectionRegistry(), () -> 0);
        AtomicLong received = new AtomicLong();
        AtomicLong delivered = new AtomicLong();
        AtomicLong listenerNanos = new AtomicLong();
        long expected = (long) events / executions * watched;
        try (EventBroker broker = new RedisEventBroker(BrokerSettings.redis(redis.uri()))) {
            List<Subscription> subscriptions = new ArrayList<>();
            RedisChannels channels = RedisChannels.defaults();
            ExecutionSubscriber sink = new ExecutionSubscriber() {
                public String connectionId() {
                    return "bench";
                }

                public String userId() {
                    return "u";
                }

                public void deliver(IngestedEvent event, EncodedFrame frame) {
                    delivered.incrementAndGet();
                }
            };
            if (perExecution) {
                ExecutionFanOut fanOut = new ExecutionFanOut(new CountingBroker(broker, received, listenerNanos),
                        channels, new SubscriptionCodec(), metrics);
                for (int e = 0; e < watched; e++) {
                    fanOut.subscribeExecution(sink, "e" + e);
                }
            } else {
                RedisIngest ingest = new RedisIngest(channels, new SubscriptionCodec());
                Set<String> localKeys = new HashSet<>();
                for (int e = 0; e < watched; e++) {
                    localKeys.add(ChannelKeys.execution("u", "e" + e));
                }
                subscriptions.add(broker.subscribePattern("execution_event/*", (channel, message) -> {
                    long start = System.nanoTime();
                    received.incrementAndGet();
                    ingest.decode(channel, message).ifPresent(event -> event.deliveries().forEach(d -> {
                        if (localKeys.contains(d.channelKey())) {
                            delivered.incrementAndGet();
                        }
                    }));
                    listenerNanos.addAndGet(System.nanoTime() - start);
                }));
            }
            String filler = "y".repeat(1024);
            List<String> messages = new ArrayList<>(executions);
            for (int e = 0; e < executions; e++) {
                messages.add(envelope(nodeExecutionEvent("u", "g", "e" + e, "n", filler)));
            }
            RedisAsyncCommands<String, String> async = redis.commands().getStatefulConnection().async();
            long start = System.nanoTime();
            List<RedisFuture<Long>> replies = new ArrayList<>(BATCH);
            for (int i = 0; i < events; i++) {
                int e = i % executions;
                replies.add(async.publish(executionChannel("u", "g", "e" + e), messages.get(e)));
                if (replies.size() == BATCH || i == events - 1) {
                    for (RedisFuture<Long> reply : replies) {
                        reply.get(30, TimeUnit.SECONDS);
                    }
                    replies.clear();
                }
            }
            long published = System.nanoTime();
            long deadline = published + TimeUnit.SECONDS.toNanos(30);
            long expectedReceived = perExecution ? expected : events;
            while ((delivered.get() < expected || received.get() < expectedReceived) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long end = System.nanoTime();
            subscriptions.forEach(Subscription::close);
            return new Result(received.get(), delivered.get(), listenerNanos.get() / 1e6,
                    (published - start) / 1e6, (end - start) / 1e6);
        }
    }

    /** Counts what arrives and the time spent in the listener. */
    private record CountingBroker(EventBroker delegate, AtomicLong received, AtomicLong nanos) implements EventBroker {
        public boolean publish(String channel, String message) {
            return delegate.publish(channel, message);
        }

        public Subscription subscribe(String channel, io.agentserver.service.bus.MessageListener listener) {
            return delegate.subscribe(channel, counted(listener));
        }

        public Subscription subscribePattern(String pattern, io.agentserver.service.bus.MessageListener listener) {
            return delegate.subscribePattern(pattern, counted(listener));
        }

        private io.agentserver.service.bus.MessageListener counted(io.agentserver.service.bus.MessageListener listener) {
            return (channel, message) -> {
                long start = System.nanoTime();
                received.incrementAndGet();
                listener.onMessage(channel, message);
                nanos.addAndGet(System.nanoTime() - start);
            };
        }

        public boolean isHealthy() {
            return delegate.isHealthy();
        }

        public io.agentserver.service.bus.BrokerStats stats() {
            return delegate.stats();
        }

        public void close() {
        }
    }
}
