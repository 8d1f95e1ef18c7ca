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

/** What every {@link EventBroker} promises; run against each implementation. */
@Timeout(30)
abstract class EventBrokerContract {

    static final Duration WAIT = Duration.ofSeconds(5);

    protected EventBroker broker;
    /** Keeps channel names of different tests apart on a shared server. */
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
    void publishedMessageReachesSubscriberOfExactChannel() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        broker.subscribe(prefix + "a", listener);

        assertThat(broker.publish(prefix + "a", "{\"n\":1}")).isTrue();

        assertThat(listener.next(WAIT)).isEqualTo(new RecordingListener.Received(prefix + "a", "{\"n\":1}"));
    }

    @Test
    void subscriberOfOtherChannelReceivesNothing() throws InterruptedException {
        RecordingListener other = new RecordingListener();
        RecordingListener marker = new RecordingListener();
        broker.subscribe(prefix + "other", other);
        broker.subscribe(prefix + "marker", marker);

        broker.publish(prefix + "a", "not for you");
        broker.publish(prefix + "marker", "done");

        marker.next(WAIT);
        assertThat(other.drain()).isEmpty();
    }

    @Test
    void deliveryOrderEqualsPublishOrderFor1000Messages() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        broker.subscribe(prefix + "ordered", listener);

        for (int i = 0; i < 1000; i++) {
            assertThat(broker.publish(prefix + "ordered", Integer.toString(i))).isTrue();
        }

        List<String> messages = listener.next(1000, WAIT).stream().map(RecordingListener.Received::message).toList();
        assertThat(messages).containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj(Integer::toString).toList());
    }

    @Test
    void patternSubscriberReceivesActualChannelNames() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        RecordingListener marker = new RecordingListener();
        broker.subscribePattern(prefix + "execution_event/user-1/*", listener);
        broker.subscribePattern(prefix + "marker/*", marker);

        broker.broadcast(prefix + "execution_event/user-1/graph-1/exec-1", "{\"payload\":1}");
        broker.broadcast(prefix + "execution_event/user-2/graph-1/exec-1", "{\"payload\":2}");
        broker.broadcast(prefix + "execution_event/user-1/graph-2/exec-7", "{\"payload\":3}");
        broker.broadcast(prefix + "marker/1", "done");

        // on a cluster, messages of different channels may be published through different nodes: no order between them
        assertThat(listener.next(2, WAIT)).containsExactlyInAnyOrder(
                new RecordingListener.Received(prefix + "execution_event/user-1/graph-1/exec-1", "{\"payload\":1}"),
                new RecordingListener.Received(prefix + "execution_event/user-1/graph-2/exec-7", "{\"payload\":3}"));
        marker.next(WAIT);
        assertThat(listener.drain()).isEmpty();
    }

    /** One Redis and the in-memory broker: a PUBLISH reaches both. (On a cluster exact channels are sharded.) */
    @Test
    void exactAndPatternListenersOfTheSameChannelEachReceiveItOnce() throws InterruptedException {
        RecordingListener exact = new RecordingListener();
        RecordingListener pattern = new RecordingListener();
        broker.subscribe(prefix + "x/1", exact);
        broker.subscribePattern(prefix + "x/?", pattern);

        broker.publish(prefix + "x/1", "m1");
        broker.publish(prefix + "x/1", "m2");

        assertThat(exact.next(2, WAIT)).extracting(RecordingListener.Received::message).containsExactly("m1", "m2");
        assertThat(pattern.next(2, WAIT)).extracting(RecordingListener.Received::message).containsExactly("m1", "m2");
        assertThat(exact.drain()).isEmpty();
        assertThat(pattern.drain()).isEmpty();
    }

    @Test
    void closingLastListenerStopsDelivery() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        RecordingListener marker = new RecordingListener();
        RecordingListener patternMarker = new RecordingListener();
        Subscription subscription = broker.subscribe(prefix + "a", listener);
        Subscription patternSubscription = broker.subscribePattern(prefix + "p/*", listener);
        broker.subscribe(prefix + "marker", marker);
        broker.subscribePattern(prefix + "pm/*", patternMarker);

        subscription.close();
        patternSubscription.close();
        broker.publish(prefix + "a", "late");
        broker.broadcast(prefix + "p/1", "late");
        broker.publish(prefix + "marker", "done");
        broker.broadcast(prefix + "pm/1", "done");

        marker.next(WAIT);
        patternMarker.next(WAIT);
        assertThat(listener.drain()).isEmpty();
        assertThat(broker.stats().channels()).isEqualTo(1);
        assertThat(broker.stats().patterns()).isEqualTo(1);
    }

    @Test
    void twoListenersBothReceiveAndClosingOneKeepsTheOther() throws InterruptedException {
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        Subscription firstSubscription = broker.subscribe(prefix + "shared", first);
        broker.subscribe(prefix + "shared", second);

        broker.publish(prefix + "shared", "both");
        assertThat(first.next(WAIT).message()).isEqualTo("both");
        assertThat(second.next(WAIT).message()).isEqualTo("both");

        firstSubscription.close();
        broker.publish(prefix + "shared", "second only");

        assertThat(second.next(WAIT).message()).isEqualTo("second only");
        assertThat(first.drain()).isEmpty();
    }

    @Test
    void sameListenerSubscribedTwiceIsCountedTwice() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        Subscription once = broker.subscribe(prefix + "twice", listener);
        broker.subscribe(prefix + "twice", listener);

        once.close();
        broker.publish(prefix + "twice", "still there");

        assertThat(listener.next(WAIT).message()).isEqualTo("still there");
        assertThat(broker.stats().channels()).isEqualTo(1);
    }

    @Test
    void closingSubscriptionTwiceIsHarmless() throws InterruptedException {
        RecordingListener closed = new RecordingListener();
        RecordingListener kept = new RecordingListener();
        Subscription subscription = broker.subscribe(prefix + "idem", closed);
        broker.subscribe(prefix + "idem", kept);

        subscription.close();
        subscription.close();
        broker.publish(prefix + "idem", "after double close");

        assertThat(kept.next(WAIT).message()).isEqualTo("after double close");
        assertThat(closed.drain()).isEmpty();
        assertThat(broker.stats().channels()).isEqualTo(1);
    }

    @Test
    void throwingListenerBreaksNeitherOtherListenersNorLaterMessages() throws InterruptedException {
        RecordingListener healthy = new RecordingListener();
        broker.subscribe(prefix + "boom", (channel, message) -> {
            throw new IllegalStateException("listener failure (expected by the test)");
        });
        broker.subscribe(prefix + "boom", healthy);
        RecordingListener healthyPattern = new RecordingListener();
        broker.subscribePattern(prefix + "pat/*", (channel, message) -> {
            throw new IllegalStateException("pattern listener failure (expected by the test)");
        });
        broker.subscribePattern(prefix + "pat/*", healthyPattern);

        broker.publish(prefix + "boom", "one");
        broker.publish(prefix + "boom", "two");
        broker.broadcast(prefix + "pat/1", "three");
        broker.broadcast(prefix + "pat/1", "four");

        assertThat(healthy.next(2, WAIT)).extracting(RecordingListener.Received::message).containsExactly("one", "two");
        assertThat(healthyPattern.next(2, WAIT)).extracting(RecordingListener.Received::message)
                .containsExactly("three", "four");
        Eventually.assertWithin(WAIT, () -> assertThat(broker.stats().listenerFailures()).isEqualTo(4));
    }

    @Test
    void listenerMayPublishAndSubscribeFromItsCallback() throws InterruptedException {
        RecordingListener downstream = new RecordingListener();
        RecordingListener late = new RecordingListener();
        List<Subscription> subscribedInCallback = new ArrayList<>();
        broker.subscribe(prefix + "downstream", downstream);
        broker.subscribe(prefix + "upstream", (channel, message) -> {
            subscribedInCallback.add(broker.subscribe(prefix + "late", late));
            broker.publish(prefix + "downstream", "relayed " + message);
        });

        broker.publish(prefix + "upstream", "hello");

        assertThat(downstream.next(WAIT).message()).isEqualTo("relayed hello");
        assertThat(subscribedInCallback).hasSize(1);
        Eventually.assertWithin(WAIT, () -> {
            broker.publish(prefix + "late", "reached");
            assertThat(late.drain()).isNotEmpty();
        });
    }

    @Test
    void listenerMayCloseItsOwnSubscriptionFromItsCallback() throws InterruptedException {
        RecordingListener marker = new RecordingListener();
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        Subscription[] own = new Subscription[1];
        own[0] = broker.subscribe(prefix + "once", (channel, message) -> {
            received.add(message);
            own[0].close();
        });
        broker.subscribe(prefix + "marker", marker);

        broker.publish(prefix + "once", "first");
        broker.publish(prefix + "once", "second");
        broker.publish(prefix + "marker", "done");

        marker.next(WAIT);
        assertThat(received).containsExactly("first");
    }

    @Test
    void statsCountPublishedAndReceivedMessages() throws InterruptedException {
        RecordingListener listener = new RecordingListener();
        broker.subscribe(prefix + "counted", listener);

        broker.publish(prefix + "counted", "1");
        broker.publish(prefix + "counted", "2");
        listener.next(2, WAIT);

        BrokerStats stats = broker.stats();
        assertThat(stats.published()).isEqualTo(2);
        assertThat(stats.received()).isEqualTo(2);
        assertThat(stats.publishFailures()).isZero();
        assertThat(stats.channels()).isEqualTo(1);
    }

    @Test
    void closedBrokerRefusesPublishAndIgnoresSubscribe() {
        broker.close();

        assertThat(broker.publish(prefix + "a", "x")).isFalse();
        Subscription subscription = broker.subscribe(prefix + "a", new RecordingListener());
        subscription.close();
        assertThat(broker.isHealthy()).isFalse();
        assertThat(broker.stats().publishFailures()).isEqualTo(1);
        broker.close();
    }

    @Test
    void openBrokerIsHealthy() {
        assertThat(broker.isHealthy()).isTrue();
    }
}
