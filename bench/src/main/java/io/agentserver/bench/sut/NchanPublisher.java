package io.agentserver.bench.sut;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /pub/{exec}} with the event as body over 16 keep-alive connections on one Netty thread, one request
 * at a time per connection (nchan closes a connection that pipelines), at most 64 in flight. The JDK's HttpClient
 * it replaces cost the load generator ~0.5 ms of CPU per request: most of a core at B's 2,000 events/s.
 */
final class NchanPublisher implements Publisher {
    private static final int CONNECTIONS = 16;
    private static final int IN_FLIGHT = 64;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Connection> connections = new ArrayList<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong next = new AtomicLong();
    private final String host;

    NchanPublisher(int port) {
        this.host = "127.0.0.1:" + port;
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
        for (int i = 0; i < CONNECTIONS; i++) {
            Connection connection = new Connection();
            bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new HttpResponseDecoder(), connection);
                }
            }).connect("127.0.0.1", port).syncUninterruptibly();
            connections.add(connection);
        }
    }

    @Override
    public void publish(String user, String graph, String exec, String event) {
        inFlight.acquireUninterruptibly();
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        ByteBuf request = ByteBufAllocator.DEFAULT.buffer(body.length + 160);
        request.writeCharSequence("POST /pub/" + exec + " HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n", StandardCharsets.US_ASCII);
        request.writeBytes(body);
        connections.get((int) (next.getAndIncrement() % CONNECTIONS)).send(request);
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        try {
            inFlight.tryAcquire(IN_FLIGHT, 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(connection -> connection.channel.close());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One keep-alive connection: its waiting requests, sent one after the other's response (event-loop thread only). */
    private final class Connection extends SimpleChannelInboundHandler<HttpObject> {
        private final Queue<ByteBuf> waiting = new ArrayDeque<>();
        private volatile Channel channel;
        private boolean busy;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            super.channelActive(ctx);
        }

        void send(ByteBuf request) {
            channel.eventLoop().execute(() -> {
                waiting.add(request);
                sendNext();
            });
        }

        private void sendNext() {
            if (busy || waiting.isEmpty()) {
                return;
            }
            busy = true;
            channel.writeAndFlush(waiting.poll()).addListener(written -> {
                if (!written.isSuccess()) {
                    failed();
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpResponse response && response.status().code() >= 300) {
                failures.incrementAndGet();
            }
            if (message instanceof LastHttpContent) {
                busy = false;
                inFlight.release();
                sendNext();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (busy) {
                failed();
            }
            for (ByteBuf request; (request = waiting.poll()) != null; ) {
                request.release();
                failures.incrementAndGet();
                inFlight.release();
            }
            super.channelInactive(ctx);
        }

        private void failed() {
            busy = false;
            failures.incrementAndGet();
            inFlight.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
