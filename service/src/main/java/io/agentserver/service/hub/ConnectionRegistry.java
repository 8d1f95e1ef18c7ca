package io.agentserver.service.hub;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Every open socket of this replica, by id, and how many each user holds. */
public final class ConnectionRegistry {

    /** The reason of the 1001 close every socket gets when the server drains. */
    public static final String GOING_AWAY_REASON = "server shutting down";

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** A short id unique on this replica, for logs. */
    public String nextId(Protocol protocol) {
        return protocol.label() + "-" + ids.incrementAndGet();
    }

    /**
     * Adds a connection unless its user already holds {@code maxPerUser} sockets on this replica (both
     * protocols count) or the replica is draining; the check and the add are one atomic step per user. A socket
     * whose TCP connection is gone but whose end the liveness monitor has not handled yet does not count: at the
     * limit, the user's connections are looked at one by one.
     */
    public boolean tryAdd(Connection connection, int maxPerUser) {
        if (draining.get()) {
            return false;
        }
        boolean[] added = {false};
        perUser.compute(connection.userId(), (user, held) -> {
            int count = held == null ? 0 : held;
            if (count >= maxPerUser && liveConnections(user) >= maxPerUser) {
                return held;
            }
            added[0] = true;
            return count + 1;
        });
        if (added[0]) {
            connections.put(connection.id(), connection);
        }
        return added[0];
    }

    private long liveConnections(String userId) {
        return connections.values().stream()
                .filter(c -> c.userId().equals(userId) && c.session().connectionAlive())
                .count();
    }

    public void remove(String connectionId) {
        Connection removed = connections.remove(connectionId);
        if (removed != null) {
            perUser.computeIfPresent(removed.userId(), (user, held) -> held <= 1 ? null : held - 1);
        }
    }

    public long count(Protocol protocol) {
        return connections.values().stream().filter(c -> c.protocol() == protocol).count();
    }

    public List<Connection> ofUser(Protocol protocol, String userId) {
        return connections.values().stream()
                .filter(c -> c.protocol() == protocol && c.userId().equals(userId))
                .toList();
    }

    public Collection<Connection> all() {
        return List.copyOf(connections.values());
    }

    public boolean isDraining() {
        return draining.get();
    }

    /**
     * Stops admitting connections and tells every client the server is going away; each session flushes
     * what is queued first and drops its connection if the close frame cannot get out.
     */
    public void closeAll(int code, String reason) {
        draining.set(true);
        connections.values().forEach(c -> c.session().close(code, reason, false));
    }
}
