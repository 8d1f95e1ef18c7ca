package io.agentserver.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that records every text frame and how the socket closed. */
public final class WsTestClient implements WebSocket.Listener, AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean reading;
    private volatile String closeReason;
    private WebSocket socket;

    private WsTestClient(boolean reading) {
        this.reading = reading;
    }

    public static WsTestClient connect(URI uri) {
        return connect(uri, true, null);
    }

    /** A client that sends {@code Origin: origin} with the upgrade request. */
    public static WsTestClient connectFromOrigin(URI uri, String origin) {
        return connect(uri, true, origin);
    }

    /**
     * A client that reads the first frame and then stops reading, like a frozen browser tab: the server's
     * writes pile up in the TCP buffers.
     */
    public static WsTestClient connectWithoutReading(URI uri) {
        return connect(uri, false, null);
    }

    private static WsTestClient connect(URI uri, boolean reading, String origin) {
        WsTestClient client = new WsTestClient(reading);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        client.socket = builder.buildAsync(uri, client).join();
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    public WsTestClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** One message sent as several WebSocket frames (a text frame and continuations), one per fragment. */
    public WsTestClient sendFragments(String... fragments) {
        for (int i = 0; i < fragments.length; i++) {
            socket.sendText(fragments[i], i == fragments.length - 1).join();
        }
        return this;
    }

    public WsTestClient send(JsonNode frame) {
        return send(Json.write(frame));
    }

    /** The next text frame; fails the test when none arrives in time. */
    public String nextText() {
        try {
            String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT.toSeconds() + " s");
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public JsonNode next() {
        return Json.read(nextText());
    }

    /** The next frame that is not an XAgent keep-alive pong. */
    public JsonNode nextSkippingPongs() {
        while (true) {
            JsonNode frame = next();
            if (!"pong".equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /** Every remaining frame until the server closes the socket, and the close code. */
    public List<JsonNode> untilClosed() {
        List<JsonNode> rest = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos() * 2;
        while (System.nanoTime() < deadline) {
            String frame;
            try {
                frame = frames.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (frame != null) {
                JsonNode node = Json.read(frame);
                if (!"pong".equals(node.path("type").asText())) {
                    rest.add(node);
                }
            } else if (closed.isDone() && frames.isEmpty()) {
                return rest;
            }
        }
        throw new AssertionError("socket not closed by the server; frames so far: " + rest);
    }

    public int closeCode() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The reason of the server's close frame, once {@link #closeCode()} returned. */
    public String closeReason() {
        return closeReason;
    }

    /** How many frames arrived and were not taken yet. */
    public int pending() {
        return frames.size();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** True when nothing arrives for {@code quiet}. */
    public boolean silentFor(Duration quiet) {
        try {
            String frame = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            return frame == null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops the TCP connection without a close frame, as a crashed browser tab would. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (socket.isOutputClosed()) {
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        } catch (java.util.concurrent.CompletionException e) {
            // The server closed first and the client already answered its close frame.
            if (!socket.isOutputClosed()) {
                throw e;
            }
        }
    }
}
