package io.agentserver.service.hub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This replica's one timer for the liveness of its sockets: every tick it lets every open
 * {@link ConnectionSession} queue the pings that are due, drop a peer that stopped answering or a close that never
 * completed, and notice a connection whose thread ended. One platform thread for all sockets: an idle socket costs
 * no thread and no timer of its own.
 */
public final class LivenessMonitor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LivenessMonitor.class.getName());

    /** The longest tick: how late a close that never completes, or a connection that ended, is noticed at most. */
    public static final Duration MAX_TICK = Duration.ofSeconds(1);
    private static final Duration MIN_TICK = Duration.ofMillis(100);

    private final Set<ConnectionSession> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ws-liveness").factory());

    public LivenessMonitor(Duration tick) {
        long millis = tick.toMillis();
        timer.scheduleWithFixedDelay(this::tickAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * A tick a fifth of the shortest ping interval, between 100 ms and a second, so that pings and pong deadlines
     * are met within a fifth of an interval. Looking at 10,000 sockets costs ~2 ms, so the tick sets the idle CPU.
     */
    public static Duration tickFor(Duration shortestPingInterval) {
        Duration fifth = shortestPingInterval.dividedBy(5);
        return fifth.compareTo(MIN_TICK) < 0 ? MIN_TICK : fifth.compareTo(MAX_TICK) > 0 ? MAX_TICK : fifth;
    }

    void add(ConnectionSession session) {
        sessions.add(session);
    }

    void remove(ConnectionSession session) {
        sessions.remove(session);
    }

    /** Sockets under watch (open or closing). */
    public int size() {
        return sessions.size();
    }

    private void tickAll() {
        long now = System.nanoTime();
        for (ConnectionSession session : sessions) {
            try {
                session.tick(now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "liveness check failed conn=" + session.id(), e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
