package io.agentserver.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens WebSocket connections on a small Netty event-loop group, so that thousands of sockets cost the load
 * generator little CPU and memory. Text frames go to a {@link FrameListener}; pings are answered by Netty.
 */
public final class WsClient implements AutoCloseable {
    private static final int MAX_FRAME = 1 << 20;
    /** The name Netty's handshaker gives the frame decoder it installs. */
    private static final String WS_DECODER = "ws-decoder";

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    public WsClient(int threads) {
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000);
    }

    /** Completes when the upgrade succeeded; fails on a refused connect or upgrade. */
    public CompletableFuture<WsConnection> connect(URI uri, FrameListener listener) {
        return connect(uri, listener, 0);
    }

    /** As {@link #connect(URI, FrameListener)}, with a small kernel receive buffer when {@code receiveBuffer > 0}. */
    public CompletableFuture<WsConnection> connect(URI uri, FrameListener listener, int receiveBuffer) {
        CompletableFuture<WsConnection> opened = new CompletableFuture<>();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(MAX_FRAME)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .withUTF8Validator(false)
                .handshakeTimeoutMillis(30_000)
                .build();
        Bootstrap each = bootstrap.clone();
        if (receiveBuffer > 0) {
            each.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        each.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(config), new Frames(listener, opened));
            }
        }).connect(uri.getHost(), uri.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final FrameListener listener;
        private final CompletableFuture<WsConnection> opened;
        private WsConnection connection;

        private Frames(FrameListener listener, CompletableFuture<WsConnection> opened) {
            this.listener = listener;
            this.opened = opened;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                connection = new WsConnection(ctx.channel());
                ctx.pipeline().replace(WS_DECODER, "bench-frame-reader",
                        new FrameReader(MAX_FRAME, utf8 -> listener.onText(connection, utf8)));
                opened.complete(connection);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text && connection != null) {
                listener.onText(connection, text.content());
            } else if (frame instanceof CloseWebSocketFrame close && connection != null) {
                connection.closedWith(close.statusCode());
                listener.onClosed(connection, close.statusCode(), close.reasonText());
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            opened.completeExceptionally(new IllegalStateException("closed before the upgrade completed"));
            if (connection != null && connection.closeCode() == 0) {
                connection.closedWith(-1);
                listener.onClosed(connection, -1, "");
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            opened.completeExceptionally(cause);
            ctx.close();
        }
    }
}
