package io.agentserver.bench.sut;

import java.net.URI;
import java.util.List;
import java.util.OptionalLong;

/** A WebSocket fan-out system the load generator drives: ours (1+ replicas and Redis) or nchan. */
public interface SystemUnderTest extends AutoCloseable {

    String name();

    int replicas();

    /** The socket a subscriber of {@code exec} (owned by {@code user}) opens on {@code replica}. */
    URI subscriberUri(int replica, String user, String exec);

    /** Sent after the upgrade to subscribe to {@code exec}; the reply acknowledges it. */
    Readiness subscribe(String exec);

    /** An application-level round trip on an idle socket (our heartbeat, nchan's PING). */
    Readiness keepAlive();

    Publisher publisher();

    /** The server processes (their descendants count too). */
    List<Long> serverPids();

    /** The JVM whose heap can be read, when the server is one. */
    OptionalLong jvmPid(int replica);

    /** Redis, when the system uses one. */
    OptionalLong brokerPid();

    @Override
    void close();
}
