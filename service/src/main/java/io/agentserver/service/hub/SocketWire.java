package io.agentserver.service.hub;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;

/**
 * How a writer reaches its socket. Helidon's {@code WsSession.send(String, …)} encodes the string to UTF-8 and
 * builds the frame header for every socket and every frame, and its {@code send(BufferData, …)} sends a BINARY
 * frame; so frames already encoded ({@link TextFrame}) are written as bytes to the connection's own
 * {@link DataWriter} ({@code WsSession.socketContext()} is the server's {@link ConnectionContext}), the way
 * Helidon's {@code WsConnection} writes its frames: one {@code writeNow} per batch, which the JDK socket writes
 * under its write lock, so Helidon's own close frames on the connection thread never interleave with ours.
 * Without a server connection (a test's fake session) every frame goes through {@link WsSession#send}.
 *
 * <p>Close frames always go through {@link WsSession#close}: Helidon must know this side sent one, or it would
 * answer the client's close with a second close frame.
 */
final class SocketWire {

    private final WsSession session;
    private final DataWriter socket;

    private SocketWire(WsSession session, DataWriter socket) {
        this.session = session;
        this.socket = socket;
    }

    static SocketWire of(WsSession session) {
        DataWriter socket = null;
        try {
            if (session.socketContext() instanceof ConnectionContext connection) {
                socket = connection.dataWriter();
            }
        } catch (RuntimeException e) {
            // A session without a server connection behind it: frames go through send().
            socket = null;
        }
        return new SocketWire(session, socket);
    }

    /** True when encoded frames are written as bytes; false when every frame goes through the session. */
    boolean direct() {
        return socket != null;
    }

    /** Writes {@code length} bytes of complete frames now; only when {@link #direct()}. */
    void write(byte[] frames, int length) {
        socket.writeNow(BufferData.create(frames, 0, length));
    }

    void send(String text) {
        session.send(text, true);
    }

    void pong(byte[] payload) {
        session.pong(BufferData.create(payload));
    }

    void ping(byte[] payload) {
        session.ping(BufferData.create(payload));
    }

    void close(int code, String reason) {
        session.close(code, reason);
    }
}
