package io.agentserver.service.hub;

/** What the registry knows of an open connection (a socket, or an event stream). */
public record Connection(String id, Protocol protocol, String userId, Session session) {

    /** What the registry may do to a connection: close it (a drain's 1001, or its stream's end). */
    public interface Session {
        void close(int code, String reason, boolean clean);

        /** False once the connection is gone, even before its end was handled; counts against no limit then. */
        default boolean connectionAlive() {
            return true;
        }
    }
}
