package io.agentserver.service.hub;

/**
 * One protocol's side of one socket. The {@link SocketEndpoint} does everything sockets share (upgrade, origin,
 * message assembly and size, rate, pings and pongs, close, liveness) and hands the protocol only what is its own.
 * Every method runs on the connection's {@link ConnectionWork}, one at a time and in order, so a handler keeps its
 * state without locks; it may block there (store, broker), never on the listener or the writer.
 */
public interface ProtocolHandler {

    /** The socket is open: authenticate, register the user, send the first frames. */
    void opened(ConnectionSession session);

    /** One complete client message, within the protocol's size limit and the socket's rate. */
    void message(String text);

    /** {@link #opened} or {@link #message} threw; the failure is logged already. Answer it in band. */
    void failed();

    /** The connection ended (see {@link ConnectionSession.EndHandler}); runs once, after everything else. */
    void ended(boolean clean);

    /** Makes the handler of one connection from its upgrade request, on the connection's thread: must not block. */
    @FunctionalInterface
    interface Factory {
        ProtocolHandler create(UpgradeRequest request);
    }
}
