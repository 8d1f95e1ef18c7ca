package io.agentserver.service.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client on a plain socket that sends whatever it is told, byte for byte: request targets no URI
 * class accepts (a raw {@code %}), broken handshakes, reserved opcodes, unmasked or fragmented frames. For
 * tests of what the server does with input a well-behaved client never sends.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int CONTINUATION = 0;

    /** One frame from the server. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame; 1005 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Random random = new Random(1);
    private int handshakeStatus;
    private boolean timedOut;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to loopback {@code port}; nothing is sent yet. */
    public static RawWebSocket open(int port, Duration readTimeout) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) readTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new RawWebSocket(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a connection and upgrades {@code target} (path and query, sent as given); fails unless 101. */
    public static RawWebSocket upgrade(int port, String target) {
        RawWebSocket ws = open(port, WsTestClient.WAIT);
        int status = ws.handshake(target, "");
        if (status != 101) {
            ws.close();
            throw new AssertionError("upgrade of " + target + " answered " + status);
        }
        return ws;
    }

    /** Sends an upgrade request for {@code target} plus {@code extraHeaders} (each ending in CRLF); returns the status. */
    public int handshake(String target, String extraHeaders) {
        byte[] key = new byte[16];
        random.nextBytes(key);
        return handshakeRaw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n");
    }

    /** Sends {@code request} as is and reads the status line and headers of the answer; -1 when none came. */
    public int handshakeRaw(String request) {
        try {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = readLine();
            if (statusLine == null) {
                return handshakeStatus = -1;
            }
            String line;
            do {
                line = readLine();
            } while (line != null && !line.isEmpty());
            String[] parts = statusLine.split(" ");
            handshakeStatus = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            return handshakeStatus;
        } catch (IOException e) {
            return handshakeStatus = -1;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends one masked frame, as a client must. */
    public RawWebSocket frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload, true);
    }

    /**
     * One text message as several frames (a text frame, then continuations), written with one write: the server
     * has every fragment before it answers the first.
     */
    public RawWebSocket fragmentedText(String... fragments) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < fragments.length; i++) {
            all.writeBytes(encode(i == fragments.length - 1, 0, i == 0 ? TEXT : CONTINUATION,
                    fragments[i].getBytes(StandardCharsets.UTF_8), true));
        }
        return raw(all.toByteArray());
    }

    /** Sends one frame with the given flags; {@code rsv} is the three reserved bits (0 in a valid frame). */
    public RawWebSocket frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        return raw(encode(fin, rsv, opcode, payload, masked));
    }

    private byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            random.nextBytes(mask);
            frame.writeBytes(mask);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i % 4];
            }
        }
        frame.writeBytes(body);
        return frame.toByteArray();
    }

    public RawWebSocket text(String text) {
        return frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes as they are; a peer that already closed is not an error here. */
    public RawWebSocket raw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the server may close mid-write when it refuses what it got
        }
        return this;
    }

    /** The next frame; null when the connection ended or nothing came within the read timeout. */
    public Frame read() {
        try {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = null;
            if ((second & 0x80) != 0) {
                mask = in.readNBytes(4);
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                return null;
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            return new Frame((first & 0x80) != 0, first & 0x0f, payload);
        } catch (SocketTimeoutException e) {
            timedOut = true;
            return null;
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The next text frame, skipping pongs and pings; fails when none comes. */
    public String nextText() {
        Frame frame;
        while ((frame = read()) != null) {
            if (frame.opcode() == TEXT) {
                return frame.text();
            }
            if (frame.opcode() == CLOSE) {
                throw new AssertionError("closed with " + frame.closeCode() + " while waiting for text");
            }
        }
        throw new AssertionError("no text frame arrived");
    }

    /** Reads until a close frame (its code) or the end of the connection (-1 when it ended without one). */
    public int untilClosed() {
        Frame frame;
        while ((frame = read()) != null) {
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
        return -1;
    }

    /** True when a read gave up waiting (the server neither sent nor closed). */
    public boolean timedOut() {
        return timedOut;
    }

    /** Ends the TCP connection without a close frame (a vanished client). */
    public void drop() {
        close();
    }

    public int handshakeStatus() {
        return handshakeStatus;
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
