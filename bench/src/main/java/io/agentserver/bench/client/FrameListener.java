package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;

/** Called on the connection's event-loop thread; must not block. */
public interface FrameListener {

    /** A complete text frame; {@code utf8} is only valid during the call. */
    void onText(WsConnection connection, ByteBuf utf8);

    /** The peer's close frame (code -1 when the TCP connection ended without one). */
    default void onClosed(WsConnection connection, int code, String reason) {
    }
}
