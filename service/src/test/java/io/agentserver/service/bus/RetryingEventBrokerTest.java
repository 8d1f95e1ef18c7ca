package io.agentserver.service.bus;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** PUBLISHes the transport did not take are retried, in order, within bounds. */
class RetryingEventBrokerTest {

    /** The in-memory broker behind a switch that makes every PUBLISH fail, as Redis does while reconnecting. */
    private static final class Outage implements EventBroker {
        final InMemoryEventBroker delegate = new InMemoryEventBroker();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public boolean publish(String channel, String message) {
            return !down.get() && delegate.publish(channel, message);
        }

        @Override
        public boolean publishSharded(String channel, String message) {
            return !down.get() && delegate.publishSharded(channel, message);
        }

        @Override
        public Subscription subscribe(String channel, MessageListener listener) {
            return delegate.subscribe(channel, listener);
        }

        @Override
        public Subscription subscribeSharded(String channel, MessageListener listener) {
            return delegate.subscribeSharded(channel, listener);
        }

        @Override
        public Subscription subscribePattern(String pattern, MessageListener listener) {
            return delegate.subscribePattern(pattern, listener);
        }

        @Override
        public boolean isHealthy() {
            return !down.get();
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

    @Test
    void publishesMadeDuringAnOutageArriveAfterItInOrder() throws InterruptedException {
        Outage transport = new Outage();
        List<String> received = new CopyOnWriteArrayList<>();
        try (RetryingEventBroker broker = new RetryingEventBroker(transport, Duration.ofSeconds(30), 100)) {
            broker.subscribe("c", (channel, message) -> received.add(message));
            broker.publish("c", "before");
            transport.down.set(true);
            assertThat(broker.publish("c", "during-1")).isTrue();
            assertThat(broker.publish("c", "during-2")).isTrue();
            transport.down.set(false);
            assertThat(broker.publish("c", "after")).as("queued behind the waiting ones").isTrue();

            Eventually.assertWithin(Duration.ofSeconds(10), () ->
                    assertThat(received).containsExactly("before", "during-1", "during-2", "after"));
            assertThat(broker.waiting()).isZero();
            assertThat(broker.retried()).isEqualTo(3);
        }
    }

    @Test
    void shardedAndBroadcastPublishesMadeDuringAnOutageAreRetriedWithTheCommandTheyWereGiven()
            throws InterruptedException {
        Outage transport = new Outage();
        List<String> sharded = new CopyOnWriteArrayList<>();
        List<String> exact = new CopyOnWriteArrayList<>();
        try (RetryingEventBroker broker = new RetryingEventBroker(transport, Duration.ofSeconds(30), 100)) {
            broker.subscribeSharded("c", (channel, message) -> sharded.add(message));
            broker.subscribePattern("c*", (channel, message) -> exact.add(message));
            transport.down.set(true);
            assertThat(broker.publishSharded("c", "s-1")).isTrue();
            assertThat(broker.broadcast("c", "b-1")).isTrue();
            assertThat(broker.publishSharded("c", "s-2")).isTrue();
            transport.down.set(false);

            Eventually.assertWithin(Duration.ofSeconds(10), () -> {
                assertThat(sharded).as("sharded publishes reach sharded listeners only").containsExactly("s-1", "s-2");
                assertThat(exact).as("a broadcast reaches pattern listeners").containsExactly("b-1");
            });
            assertThat(broker.retried()).isEqualTo(3);
        }
    }

    @Test
    void aPublishStillUnsentAfterTheRetryPeriodIsDroppedAndCounted() throws InterruptedException {
        Outage transport = new Outage();
        List<String> received = new CopyOnWriteArrayList<>();
        try (RetryingEventBroker broker = new RetryingEventBroker(transport, Duration.ofMillis(300), 100)) {
            broker.subscribe("c", (channel, message) -> received.add(message));
            transport.down.set(true);
            broker.publish("c", "lost");
            Eventually.assertWithin(Duration.ofSeconds(10), () -> assertThat(broker.dropped()).isEqualTo(1));
            transport.down.set(false);
            broker.publish("c", "next");
            Eventually.assertWithin(Duration.ofSeconds(10), () -> assertThat(received).containsExactly("next"));
        }
    }

    @Test
    void aFullQueueRefusesInsteadOfGrowing() {
        Outage transport = new Outage();
        try (RetryingEventBroker broker = new RetryingEventBroker(transport, Duration.ofSeconds(30), 2)) {
            transport.down.set(true);
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (broker.publish("c", "m" + i)) {
                    accepted++;
                }
            }
            // two queued, one more possibly taken off the queue by the retrying thread
            assertThat(accepted).isBetween(2, 3);
            assertThat(broker.dropped()).isEqualTo(10 - accepted);
        }
    }
}
