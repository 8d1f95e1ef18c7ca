package io.agentserver.service.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what it receives, in order; the test thread waits with explicit timeouts. */
class RecordingListener implements MessageListener {

    record Received(String channel, String message) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String channel, String message) {
        received.add(new Received(channel, message));
    }

    Received next(Duration timeout) throws InterruptedException {
        Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("a message within %s", timeout).isNotNull();
        return next;
    }

    List<Received> next(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> result = new ArrayList<>(count);
        while (result.size() < count) {
            Received next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(next).as("message %d of %d within %s", result.size() + 1, count, timeout).isNotNull();
            result.add(next);
        }
        return result;
    }

    /** Waits for a message whose text is {@code message}, skipping others; returns it or null at the deadline. */
    Received awaitMessage(String message, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Received next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next != null && next.message().equals(message)) {
                return next;
            }
        }
        return null;
    }

    List<Received> drain() {
        List<Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }
}
