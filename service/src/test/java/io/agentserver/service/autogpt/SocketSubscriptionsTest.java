package io.agentserver.service.autogpt;

import io.agentserver.service.bus.BrokerStats;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.InMemoryEventBroker;
import io.agentserver.service.bus.MessageListener;
import io.agentserver.service.bus.Subscription;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.observe.ServiceMetrics;
import io.helidon.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SocketSubscriptionsTest {

    /** A broker whose pattern subscriptions wait at a gate, as the first subscriber of a key waits for Redis. */
    private static final class GatedBroker implements EventBroker {
        final InMemoryEventBroker delegate = new InMemoryEventBroker();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public boolean publish(String channel, String message) {
            return delegate.publish(channel, message);
        }

        @Override
        public boolean publishSharded(String channel, String message) {
            return delegate.publishSharded(channel, message);
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
            entered.countDown();
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.subscribePattern(pattern, listener);
        }

        @Override
        public boolean isHealthy() {
            return true;
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

    private record Socket(String connectionId, String userId, List<String> frames) implements ExecutionSubscriber {
        @Override
        public void deliver(IngestedEvent event, EncodedFrame frame) {
            frames.add(frame.text());
        }
    }

    private final GatedBroker broker = new GatedBroker();

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void aSocketThatEndsWhileASubscribeWaitsForTheBrokerKeepsNoSubscriptionAndNoSlot() throws Exception {
        SubscriptionCodec codec = new SubscriptionCodec();
        ExecutionFanOut fanOut = new ExecutionFanOut(broker, RedisChannels.defaults(), codec,
                new ServiceMetrics(new ConnectionRegistry(), () -> 0));
        Subscriptions shared = new Subscriptions(SubscriptionSettings.from(Config.empty()), fanOut, codec,
                new OwnRunReplay(null, null, codec), Optional.empty());
        Socket socket = new Socket("c1", "u", new CopyOnWriteArrayList<>());
        SocketSubscriptions subscriptions = shared.forSocket(socket, frame -> socket.frames().add(frame.text()),
                frames -> frames.forEach(frame -> socket.frames().add(frame.text())));
        fanOut.connect(socket);

        Thread command = Thread.ofVirtual().start(() -> subscriptions.handle(new ClientCommand.SubscribeExecution("e")));
        assertThat(broker.entered.await(30, TimeUnit.SECONDS)).isTrue();
        subscriptions.release(); // the connection ended on another thread, e.g. after a failed write
        broker.open.countDown();
        assertThat(command.join(Duration.ofSeconds(30))).isTrue();

        assertThat(shared.perUser.of("u")).as("the user's subscription count").isZero();
        assertThat(fanOut.activeKeys()).as("keys with a local subscriber").isZero();
        assertThat(broker.stats().patterns()).as("pattern subscriptions on the broker").isZero();
    }
}
