package io.agentserver.bench.client;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** One open WebSocket. */
public final class WsConnection {
    private final Channel channel;
    private volatile int closeCode = 0;

    WsConnection(Channel channel) {
        this.channel = channel;
    }

    public void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Stops reading from the socket: the server's writes back up into the kernel buffers, then into its queue. */
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    public void resumeReading() {
        channel.config().setAutoRead(true);
        channel.read();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** The close code the server sent, -1 for a TCP close without one, 0 while open. */
    public int closeCode() {
        return closeCode;
    }

    void closedWith(int code) {
        if (closeCode == 0) {
            closeCode = code;
        }
    }

    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done")).addListener(f -> channel.close());
        }
    }
}
