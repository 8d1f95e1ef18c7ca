package io.agentserver.service.web.sse;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Finds the streams whose client stopped reading: on one timer for all of them, it ends every stream whose write has
 * not returned for the write timeout ({@link SseStream#endIfStalled}), which drops its connection. Helidon's writes
 * have no timeout of their own; without this a stalled client would hold its stream's thread and cursor forever.
 */
public final class SseWatchdog implements AutoCloseable {

    private final Duration writeTimeout;
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sse-watchdog").factory());

    public SseWatchdog(Duration writeTimeout) {
        if (writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("the write timeout must be positive");
        }
        this.writeTimeout = writeTimeout;
        long every = Math.max(50, writeTimeout.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /** Watches {@code stream} until it ends. */
    public void watch(SseStream stream) {
        streams.add(stream);
        stream.ended().thenRun(() -> streams.remove(stream));
    }

    private void check() {
        streams.forEach(stream -> stream.endIfStalled(writeTimeout));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
