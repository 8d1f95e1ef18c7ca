package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class InMemoryEventBrokerTest extends EventBrokerContract {

    @Override
    protected EventBroker createBroker() {
        return new InMemoryEventBroker();
    }

    @Test
    void deliversSynchronouslyOnThePublishersThread() {
        List<Thread> threads = new ArrayList<>();
        broker.subscribe("sync", (channel, message) -> threads.add(Thread.currentThread()));

        broker.publish("sync", "x");

        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void concurrentPublishersNeverCallAListenerConcurrently() throws InterruptedException {
        int[] inside = {0};
        int[] maxInside = {0};
        int[] count = {0};
        broker.subscribePattern("c/*", (channel, message) -> {
            inside[0]++;
            maxInside[0] = Math.max(maxInside[0], inside[0]);
            count[0]++;
            inside[0]--;
        });
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String channel = "c/" + t;
            publishers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    broker.publish(channel, "m");
                }
            }));
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }

        assertThat(count[0]).isEqualTo(8_000);
        assertThat(maxInside[0]).isEqualTo(1);
    }
}
