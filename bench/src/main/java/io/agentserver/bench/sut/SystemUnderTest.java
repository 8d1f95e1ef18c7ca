package io.agentserver.bench.sut;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A WebSocket fan-out system the load generator drives: ours (1+ replicas and Redis), nchan, or the Node gateway. */
public interface SystemUnderTest extends AutoCloseable {

    String name();

    int replicas();

    /** The socket a subscriber of {@code exec} (owned by {@code user}) opens on {@code replica}. */
    URI subscriberUri(int replica, String user, String exec);

    /** Sent after the upgrade to subscribe to {@code exec}; the reply acknowledges it. */
    Readiness subscribe(String exec);

    /** An application-level round trip on an idle socket (our heartbeat, nchan's and the Node gateway's PING). */
    Readiness keepAlive();

    Publisher publisher();

    /** The server processes (their descendants count too). */
    List<Long> serverPids();

    /** The server's live heap after a full collection, in KB, when it has a heap to read (ours, Node). */
    default OptionalLong heapAfterGcKb(int replica) {
        return OptionalLong.empty();
    }

    /** Whether the heap is resident from the start (ours with {@code --server-heap}), so RSS growth leaves it out. */
    default boolean heapPreTouched() {
        return false;
    }

    /** Redis, when the system uses one. */
    OptionalLong brokerPid();

    /** Every Redis process of the system (a cluster has several); their CPU is summed. */
    default List<Long> brokerPids() {
        return brokerPid().isPresent() ? List.of(brokerPid().getAsLong()) : List.of();
    }

    /** What the replicas hold on the bus once the sockets are open (subscriptions, connections), per replica. */
    default Map<String, Double> busFacts() {
        return Map.of();
    }

    @Override
    void close();
}
