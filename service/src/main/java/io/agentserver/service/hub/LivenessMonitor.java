package io.agentserver.service.hub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This replica's one timer for the liveness of its sockets: twice a second it lets every open
 * {@link ConnectionSession} queue the pings that are due, drop a peer that stopped answering or a close that never
 * completed, and notice a connection whose thread ended. One platform thread for all sockets: an idle socket costs
 * no thread and no timer of its own.
 */
public final class LivenessMonitor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LivenessMonitor.class.getName());

    /** How often every socket is looked at; the resolution of every liveness deadline. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(500);

    private final Set<ConnectionSession> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ws-liveness").factory());

    public LivenessMonitor() {
        this(DEFAULT_TICK);
    }

    public LivenessMonitor(Duration tick) {
        long millis = tick.toMillis();
        timer.scheduleWithFixedDelay(this::tickAll, millis, millis, TimeUnit.MILLISECONDS);
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
