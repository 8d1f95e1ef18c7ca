package io.agentserver.service.xagent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** This replica's one timer for the pauses of paced playback ({@code /ws/share}); its thread only hands work on. */
public final class PlaybackTimer implements AutoCloseable {

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("xagent-playback").factory());

    /** Runs {@code task} once after {@code delay}; the task must only hand work on, never block. */
    void after(Duration delay, Runnable task) {
        if (!timer.isShutdown()) {
            timer.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
