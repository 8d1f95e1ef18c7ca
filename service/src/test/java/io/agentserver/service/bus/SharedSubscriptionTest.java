package io.agentserver.service.bus;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SharedSubscriptionTest {

    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final SharedSubscription shared = new SharedSubscription(() -> {
        opened.incrementAndGet();
        return closed::incrementAndGet;
    });

    @Test
    void theBrokerIsSubscribedOnceForManyHoldersAndReleasedAfterTheLast() {
        Subscription first = shared.acquire();
        Subscription second = shared.acquire();
        assertThat(opened).hasValue(1);

        first.close();
        first.close(); // a second close of one handle does not release another holder's hold
        assertThat(closed).hasValue(0);
        assertThat(shared.held()).isTrue();

        second.close();
        assertThat(closed).hasValue(1);
        assertThat(shared.held()).isFalse();

        shared.acquire();
        assertThat(opened).as("subscribed again for a new holder").hasValue(2);
    }
}
