package io.agentserver.service.sse;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One timer for every event stream of this replica: a keep-alive comment ({@code : ping}) on a stream that wrote
 * nothing for the keep-alive interval (which also finds readers that went away), and the end of a stream whose
 * queued bytes could not be written for the stall timeout (a reader that stopped reading).
 */
public final class SseTicker implements AutoCloseable {

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final long idleNanos;
    private final long stallNanos;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("sse-ticker").factory());

    public SseTicker(Duration keepAlive, Duration stallTimeout) {
        this.idleNanos = keepAlive.toNanos();
        this.stallNanos = stallTimeout.toNanos();
        long every = Math.max(50, Math.min(keepAlive.toMillis(), stallTimeout.toMillis()) / 4);
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    public void add(SseStream stream) {
        streams.add(stream);
    }

    public void remove(SseStream stream) {
        streams.remove(stream);
    }

    private void tick() {
        long now = System.nanoTime();
        for (SseStream stream : streams) {
            try {
                stream.tick(now, idleNanos, stallNanos);
            } catch (RuntimeException e) {
                System.getLogger(SseTicker.class.getName()).log(System.Logger.Level.WARNING,
                        "sse tick failed stream=" + stream.id(), e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
