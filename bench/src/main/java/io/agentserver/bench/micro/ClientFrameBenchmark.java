package io.agentserver.bench.micro;

import io.agentserver.bench.client.FrameReader;
import io.agentserver.bench.client.Stamp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's user-space cost per received frame, without the kernel: one unmasked text frame carrying
 * an AutoGPT event with a send stamp (as our server sends it in workload A) goes from a direct buffer (as a socket
 * read fills it) to the latency record. {@code before}: Netty's WebSocket decoder, a frame object per frame, and the
 * stamp found byte by byte through {@code ByteBuf.getByte} (the client up to issue 8's second session).
 * {@code after}: {@link FrameReader} and {@link Stamp} as the bench uses them now.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientFrameBenchmark {
    private static final byte[] MARKER = "\"bench\":[".getBytes(StandardCharsets.US_ASCII);

    private ByteBuf frame;
    private EmbeddedChannel before;
    private EmbeddedChannel after;
    private long sink;

    @Setup
    public void setUp() {
        String event = Samples.nodeEvent(42).replace("\"result\":", "\"bench\":[123456,98765432109876],\"result\":");
        byte[] payload = ("{\"method\":\"node_execution_event\",\"channel\":\"" + Samples.EXEC + "\",\"data\":" + event + "}")
                .getBytes(StandardCharsets.UTF_8);
        frame = ByteBufAllocator.DEFAULT.directBuffer(payload.length + 4);
        frame.writeByte(0x81).writeByte(126).writeShort(payload.length).writeBytes(payload);
        before = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).allowMaskMismatch(true).maxFramePayloadLength(1 << 20).build()),
                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame text) {
                        sink += perByteStampSearch(text.content());
                    }
                });
        Stamp stamp = new Stamp();
        after = new EmbeddedChannel(new FrameReader(1 << 20, utf8 -> {
            if (stamp.read(utf8)) {
                sink += stamp.sentNanos();
            }
        }));
    }

    @TearDown
    public void tearDown() {
        before.finishAndReleaseAll();
        after.finishAndReleaseAll();
        frame.release();
    }

    @Benchmark
    public long before() {
        before.writeInbound(frame.retainedDuplicate());
        return sink;
    }

    @Benchmark
    public long after() {
        after.writeInbound(frame.retainedDuplicate());
        return sink;
    }

    /** The stamp search the client used before: a nested loop of {@code getByte} calls, then the digits. */
    private static long perByteStampSearch(ByteBuf buf) {
        int start = buf.readerIndex();
        int last = buf.writerIndex() - MARKER.length;
        outer:
        for (int i = start; i <= last; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (buf.getByte(i + j) != MARKER[j]) {
                    continue outer;
                }
            }
            int k = i + MARKER.length;
            long seq = 0;
            byte b;
            while ((b = buf.getByte(k++)) != ',') {
                seq = seq * 10 + (b - '0');
            }
            long sent = 0;
            while ((b = buf.getByte(k++)) != ']') {
                sent = sent * 10 + (b - '0');
            }
            return sent + seq;
        }
        return -1;
    }
}
