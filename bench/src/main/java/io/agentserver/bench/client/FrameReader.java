package io.agentserver.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

import java.util.function.Consumer;

/**
 * Replaces Netty's WebSocket frame decoder once the upgrade is done: a complete text frame is handed to
 * {@code onText} as a window of the read buffer itself (reader and writer index moved, then restored), with no frame
 * object, slice or copy per frame. Control frames still become Netty frames for the protocol handler (ping → pong)
 * and the close handling; fragmented text frames are gathered first. Servers' frames are never masked.
 *
 * <p>Not a {@link ByteToMessageDecoder}: that one asks for another read whenever a read produced no message and
 * auto-read is off, so a socket told to stop reading (E's slow subscriber) would go on reading.
 */
public final class FrameReader extends ChannelInboundHandlerAdapter {
    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;

    private final int maxFrame;
    private final Consumer<ByteBuf> onText;
    private ByteBuf cumulation;
    private ByteBuf fragments;
    private boolean fragmentedText;

    public FrameReader(int maxFrame, Consumer<ByteBuf> onText) {
        this.maxFrame = maxFrame;
        this.onText = onText;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = cumulation == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, data);
        cumulation = null;
        try {
            decode(ctx, in);
        } catch (RuntimeException e) {
            in.release();
            throw e;
        }
        if (in.isReadable()) {
            cumulation = in;
        } else {
            in.release();
        }
    }

    private void decode(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int b0 = in.getUnsignedByte(start);
            int b1 = in.getUnsignedByte(start + 1);
            if ((b1 & 0x80) != 0) {
                throw new CorruptedFrameException("masked frame from the server");
            }
            int header = 2;
            long length = b1 & 0x7F;
            if (length == 126) {
                if (in.readableBytes() < 4) {
                    return;
                }
                length = in.getUnsignedShort(start + 2);
                header = 4;
            } else if (length == 127) {
                if (in.readableBytes() < 10) {
                    return;
                }
                length = in.getLong(start + 2);
                header = 10;
            }
            if (length > maxFrame) {
                throw new TooLongFrameException("frame of " + length + " bytes");
            }
            if (in.readableBytes() < header + length) {
                return;
            }
            frame(ctx, b0, start + header, (int) length, in);
            in.readerIndex(start + header + (int) length);
        }
    }

    private void frame(ChannelHandlerContext ctx, int b0, int payload, int length, ByteBuf in) {
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        switch (opcode) {
            case OPCODE_TEXT -> {
                if (fin) {
                    deliver(in, payload, length);
                } else {
                    fragmentedText = true;
                    gather(ctx, in, payload, length);
                }
            }
            case OPCODE_CONTINUATION -> {
                if (fragments != null) {
                    gather(ctx, in, payload, length);
                    if (fin) {
                        if (fragmentedText) {
                            deliver(fragments, fragments.readerIndex(), fragments.readableBytes());
                        }
                        fragments.release();
                        fragments = null;
                        fragmentedText = false;
                    }
                }
            }
            case OPCODE_CLOSE -> ctx.fireChannelRead(new CloseWebSocketFrame(true, 0, in.retainedSlice(payload, length)));
            case OPCODE_PING -> ctx.fireChannelRead(new PingWebSocketFrame(in.retainedSlice(payload, length)));
            case OPCODE_PONG -> ctx.fireChannelRead(new PongWebSocketFrame(in.retainedSlice(payload, length)));
            default -> {
                // binary frames: the bench's servers send none; a fragmented binary message is skipped whole
                if (!fin) {
                    fragmentedText = false;
                    gather(ctx, in, payload, length);
                }
            }
        }
    }

    private void gather(ChannelHandlerContext ctx, ByteBuf in, int payload, int length) {
        if (fragments == null) {
            fragments = ctx.alloc().buffer(length);
        }
        if (fragments.readableBytes() + (long) length > maxFrame) {
            throw new TooLongFrameException("message over " + maxFrame + " bytes");
        }
        fragments.writeBytes(in, payload, length);
    }

    /** Shows {@code onText} exactly the payload, then puts the indices back. */
    private void deliver(ByteBuf buf, int payload, int length) {
        int reader = buf.readerIndex();
        int writer = buf.writerIndex();
        buf.setIndex(payload, payload + length);
        try {
            onText.accept(buf);
        } finally {
            buf.setIndex(reader, writer);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
