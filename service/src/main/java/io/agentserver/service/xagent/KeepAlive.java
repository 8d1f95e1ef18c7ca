package io.agentserver.service.xagent;

import io.agentserver.service.hub.ConnectionSession;
import io.agentserver.service.hub.TextFrame;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sends XAgent's {@code {"type":"pong"}} to every socket whose run or playback started, on one timer. */
public final class KeepAlive implements AutoCloseable {

    private final Set<ConnectionSession> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("xagent-pong").factory());

    public KeepAlive(Duration interval) {
        long millis = interval.toMillis();
        TextFrame pong = TextFrame.of(XAgentFrames.PONG);
        timer.scheduleAtFixedRate(() -> sessions.forEach(s -> s.send(pong)),
                millis, millis, TimeUnit.MILLISECONDS);
    }

    void add(ConnectionSession session) {
        sessions.add(session);
    }

    void remove(ConnectionSession session) {
        sessions.remove(session);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
