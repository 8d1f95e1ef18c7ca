package io.agentserver.service.hub;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionEndTest {

    @Test
    void theEndOfAConnectionThreadRunsItsHandlerOnceAndOnlyItsOwn() throws Exception {
        ConnectionEnd ends = new ConnectionEnd();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> firstEnded = new CompletableFuture<>();
        AtomicInteger firstRuns = new AtomicInteger();
        CompletableFuture<Void> secondEnded = new CompletableFuture<>();
        CountDownLatch watching = new CountDownLatch(2);
        Thread first = Thread.ofVirtual().start(() -> {
            ends.watch(() -> {
                firstRuns.incrementAndGet();
                firstEnded.complete(null);
            });
            watching.countDown();
        });
        Thread second = Thread.ofVirtual().start(() -> {
            ends.watch(() -> secondEnded.complete(null));
            watching.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(watching.await(5, TimeUnit.SECONDS)).isTrue();
        first.join();
        firstEnded.get(5, TimeUnit.SECONDS);
        Thread.sleep(3 * ConnectionEnd.SCAN_INTERVAL.toMillis());
        assertThat(secondEnded).as("a connection whose thread still runs has not ended").isNotDone();
        assertThat(firstRuns.get()).isEqualTo(1);
        release.countDown();
        second.join();
        secondEnded.get(5, TimeUnit.SECONDS);
        assertThat(firstRuns.get()).isEqualTo(1);
    }

    @Test
    void twoConnectionsWatchedFromOneThreadBothEnd() throws Exception {
        ConnectionEnd ends = new ConnectionEnd();
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            ends.watch(() -> a.complete(null));
            ends.watch(() -> b.complete(null));
        }).join();
        CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
    }
}
