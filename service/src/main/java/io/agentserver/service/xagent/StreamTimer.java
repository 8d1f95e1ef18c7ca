package io.agentserver.service.xagent;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This replica's one timer for step streams: the periodic re-read of the store that repairs a lost
 * publish, and the pauses of paced playback. Its thread only queues work on the sockets' writers.
 */
public final class StreamTimer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StreamTimer.class.getName());

    private final Set<Runnable> rechecks = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("xagent-streams").factory());
    private final Duration recheckInterval;

    public StreamTimer(Duration recheckInterval) {
        this.recheckInterval = recheckInterval;
        long millis = recheckInterval.toMillis();
        timer.scheduleWithFixedDelay(this::recheckAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    Duration recheckInterval() {
        return recheckInterval;
    }

    /** Runs {@code recheck} on every tick until the returned handle is closed. */
    AutoCloseable everyRecheck(Runnable recheck) {
        rechecks.add(recheck);
        return () -> rechecks.remove(recheck);
    }

    /** Runs {@code task} once after {@code delay}; the task must only queue work, never block. */
    void after(Duration delay, Runnable task) {
        if (!timer.isShutdown()) {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void recheckAll() {
        for (Runnable recheck : rechecks) {
            try {
                recheck.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stream recheck failed", e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
