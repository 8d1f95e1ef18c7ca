package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link EventBroker} promises for sharded channels ({@code SPUBLISH}/{@code SSUBSCRIBE}); run against
 * the in-memory broker, one Redis 7 and a Redis Cluster.
 */
@Timeout(60)
abstract class ShardedBrokerContract {

    static final Duration WAIT = Duration.ofSeconds(10);

    protected EventBroker broker;
    protected String prefix;

    protected abstract EventBroker createBroker();

    @BeforeEach
    void openBroker() {
        broker = createBroker();
        prefix = "test-" + UUID.randomUUID() + "/";
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    @Test
    void shardedPublishReachesTheShardedSubscriberOfExactlyThatChannel() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        RecordingListener other = new RecordingListener();
        broker.subscribeSharded("execution_event/{" + prefix + "u/g}/exec/e1", listener);
        broker.subscribeSharded("execution_event/{" + prefix + "u/g}/exec/e2", other);

        assertThat(broker.publishSharded("execution_event/{" + prefix + "u/g}/exec/e1", "{\"payload\":1}")).isTrue();

        assertThat(listener.next(WAIT)).isEqualTo(
                new RecordingListener.Received("execution_event/{" + prefix + "u/g}/exec/e1", "{\"payload\":1}"));
        broker.publishSharded("execution_event/{" + prefix + "u/g}/exec/e2", "marker");
        assertThat(other.next(WAIT).message()).isEqualTo("marker");
        assertThat(listener.drain()).isEmpty();
    }

    @Test
    void aPatternListenerNeverSeesAShardedMessage() throws InterruptedException {
        RecordingListener pattern = new RecordingListener();
        RecordingListener sharded = new RecordingListener();
        RecordingListener marker = new RecordingListener();
        broker.subscribePattern(prefix + "*", pattern);
        broker.subscribeSharded(prefix + "s", sharded);
        broker.subscribePattern(prefix + "marker*", marker);

        broker.publishSharded(prefix + "s", "sharded");
        assertThat(sharded.next(WAIT).message()).isEqualTo("sharded");
        broker.broadcast(prefix + "marker", "done");

        marker.next(WAIT);
        // Redis sends one pmessage per matching pattern, in no promised order: wait for this pattern's own copy
        assertThat(pattern.next(WAIT).message()).as("the first message the pattern listener got").isEqualTo("done");
        assertThat(pattern.drain()).isEmpty();
    }

    @Test
    void shardedDeliveryOrderEqualsPublishOrderFor1000Messages() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        broker.subscribeSharded(prefix + "ordered", listener);

        for (int i = 0; i < 1000; i++) {
            assertThat(broker.publishSharded(prefix + "ordered", Integer.toString(i))).isTrue();
        }

        List<String> messages = listener.next(1000, WAIT).stream().map(RecordingListener.Received::message).toList();
        assertThat(messages).containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj(Integer::toString).toList());
    }

    @Test
    void channelsOfManySlotsEachGetTheirOwnMessages() throws InterruptedException {
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RecordingListener listener = new RecordingListener();
            listeners.add(listener);
            broker.subscribeSharded("execution_event/{" + prefix + "u" + i + "/g}/all", listener);
        }
        for (int i = 0; i < 40; i++) {
            broker.publishSharded("execution_event/{" + prefix + "u" + i + "/g}/all", "m" + i);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(listeners.get(i).next(WAIT).message()).isEqualTo("m" + i);
        }
        assertThat(broker.stats().shardChannels()).isEqualTo(40);
    }

    @Test
    void closingOneOfTwoListenersKeepsTheOtherAndClosingTheLastStopsDelivery() throws InterruptedException {
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        RecordingListener marker = new RecordingListener();
        Subscription firstSubscription = broker.subscribeSharded(prefix + "shared", first);
        Subscription secondSubscription = broker.subscribeSharded(prefix + "shared", second);
        broker.subscribeSharded(prefix + "shared-marker", marker);

        firstSubscription.close();
        firstSubscription.close();
        broker.publishSharded(prefix + "shared", "second only");
        assertThat(second.next(WAIT).message()).isEqualTo("second only");

        secondSubscription.close();
        broker.publishSharded(prefix + "shared", "nobody");
        broker.publishSharded(prefix + "shared-marker", "done");
        marker.next(WAIT);
        assertThat(first.drain()).isEmpty();
        assertThat(second.drain()).isEmpty();
        assertThat(broker.stats().shardChannels()).isEqualTo(1);
    }

    @Test
    void listenerMaySubscribeAndPublishShardedFromItsCallback() throws InterruptedException {
        RecordingListener downstream = new RecordingListener();
        RecordingListener late = new RecordingListener();
        List<Subscription> subscribedInCallback = new java.util.concurrent.CopyOnWriteArrayList<>();
        broker.subscribeSharded(prefix + "downstream", downstream);
        broker.subscribeSharded(prefix + "upstream", (channel, message) -> {
            subscribedInCallback.add(broker.subscribeSharded(prefix + "late", late));
            broker.publishSharded(prefix + "downstream", "relayed " + message);
        });

        broker.publishSharded(prefix + "upstream", "hello");

        assertThat(downstream.next(WAIT).message()).isEqualTo("relayed hello");
        Eventually.assertWithin(WAIT, () -> {
            broker.publishSharded(prefix + "late", "reached");
            assertThat(late.drain()).isNotEmpty();
        });
        assertThat(subscribedInCallback).hasSize(1);
    }

    @Test
    void closedBrokerRefusesShardedPublishAndIgnoresShardedSubscribe() {
        broker.close();

        assertThat(broker.publishSharded(prefix + "a", "x")).isFalse();
        broker.subscribeSharded(prefix + "a", new RecordingListener()).close();
    }
}
