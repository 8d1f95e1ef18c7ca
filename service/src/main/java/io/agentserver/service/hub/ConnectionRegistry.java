package io.agentserver.service.hub;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every open socket of this replica, by id. */
public final class ConnectionRegistry {

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** A short id unique on this replica, for logs. */
    public String nextId(Protocol protocol) {
        return protocol.label() + "-" + ids.incrementAndGet();
    }

    public void add(Connection connection) {
        connections.put(connection.id(), connection);
    }

    public void remove(String connectionId) {
        connections.remove(connectionId);
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

    /** Tells every client the server is going away; their writers flush what is queued first. */
    public void closeAll(int code, String reason) {
        connections.values().forEach(c -> c.writer().close(code, reason));
    }
}
