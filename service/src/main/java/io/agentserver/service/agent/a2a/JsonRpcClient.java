package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunStoppedException;
import io.agentserver.service.agent.upstream.UpstreamCall;
import io.agentserver.service.agent.upstream.UpstreamClient;
import io.agentserver.service.agent.upstream.UpstreamFailure;
import io.agentserver.service.agent.upstream.UpstreamStream;
import io.agentserver.service.json.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A2A's JSON-RPC 2.0 binding at one agent's endpoint, over the shared upstream client (byte caps, redirects only
 * within the origin, deadlines, stops): plain calls, and streaming calls whose answer is SSE with one JSON-RPC
 * response per event. Every call carries {@code A2A-Version: 1.0}. A JSON-RPC error, an HTTP error or an answer
 * that is not the JSON expected is an {@link UpstreamFailure} carrying the code and message.
 */
final class JsonRpcClient {

    static final String VERSION_HEADER = "A2A-Version";
    static final String VERSION = "1.0";
    private static final long NO_TOLERATED_CODE = Long.MIN_VALUE;
    /**
     * A stream is not capped as a whole (a long task streams for long); each event is (max-response-bytes, see
     * {@link SseReader}).
     */
    private static final long UNCAPPED_STREAM = Long.MAX_VALUE;

    private final A2aAgentSettings settings;
    private final UpstreamClient client;
    private final URI endpoint;
    private final BooleanSupplier stopped;
    private final AtomicLong ids = new AtomicLong();

    /** @param stopped true once the run this client works for was asked to stop (calls are then abandoned) */
    JsonRpcClient(A2aAgentSettings settings, UpstreamClient client, URI endpoint, BooleanSupplier stopped) {
        this.settings = settings;
        this.client = client;
        this.endpoint = endpoint;
        this.stopped = stopped;
    }

    /** The same endpoint with another idea of "stopped" (a cancel that must end within its own limit). */
    JsonRpcClient withStop(BooleanSupplier otherStop) {
        return new JsonRpcClient(settings, client, endpoint, otherStop);
    }

    /** Calls {@code method} and returns its {@code result}. */
    JsonNode call(String method, ObjectNode params) throws InterruptedException {
        long id = ids.incrementAndGet();
        UpstreamCall call = call(method, id, params, false);
        byte[] body = client.send(call, stopped).body();
        return result(call, method, id, new String(body, StandardCharsets.UTF_8), NO_TOLERATED_CODE);
    }

    /** A streaming call: the open stream, once its answer's head says SSE. */
    Streaming stream(String method, ObjectNode params) throws InterruptedException {
        return stream(method, params, NO_TOLERATED_CODE, Map.of());
    }

    /**
     * A streaming call with more headers, during which the JSON-RPC error {@code toleratedCode} is expected: it
     * comes as a {@link JsonRpcError} instead of a counted failure.
     */
    Streaming stream(String method, ObjectNode params, long toleratedCode, Map<String, String> headers)
            throws InterruptedException {
        long id = ids.incrementAndGet();
        UpstreamCall call = call(method, id, params, true);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            call = call.header(header.getKey(), header.getValue());
        }
        UpstreamStream opened = client.open(call, UNCAPPED_STREAM, stopped);
        boolean handedOver = false;
        try {
            String type = opened.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("text/event-stream")) {
                // an error before the stream began comes as one JSON-RPC response
                result(call, method, id, readWhole(call, opened), toleratedCode);
                throw client.failure(AgentTelemetry.BAD_RESPONSE, call, "(" + method
                        + ") answered a result instead of an event stream");
            }
            Streaming streaming = new Streaming(call, method, id, new EventStream(opened, settings.maxResponseBytes(),
                    settings.name()));
            handedOver = true;
            return streaming;
        } finally {
            if (!handedOver) {
                opened.close();
            }
        }
    }

    /** A stream's events, each checked as a JSON-RPC response to the call that opened it. */
    final class Streaming implements AutoCloseable {
        private final UpstreamCall call;
        private final String method;
        private final long id;
        private final EventStream events;

        private Streaming(UpstreamCall call, String method, long id, EventStream events) {
            this.call = call;
            this.method = method;
            this.id = id;
            this.events = events;
        }

        String method() {
            return method;
        }

        EventStream events() {
            return events;
        }

        /** The {@code result} of one event's data. */
        JsonNode result(String data) {
            return JsonRpcClient.this.result(call, method, id, data, NO_TOLERATED_CODE);
        }

        /** A counted failure about this stream's answer. */
        UpstreamFailure failure(String what) {
            return client.failure(AgentTelemetry.BAD_RESPONSE, call, "(" + method + ") " + what);
        }

        @Override
        public void close() {
            events.close();
        }
    }

    /** A counted failure about an answer to {@code method}. */
    UpstreamFailure failure(String method, String what) {
        return client.failure(AgentTelemetry.BAD_RESPONSE, call(method, 0, Json.object(), false), "(" + method + ") " + what);
    }

    private JsonNode result(UpstreamCall call, String method, long id, String text, long toleratedCode) {
        JsonNode response = Json.parse(text).filter(JsonNode::isObject).orElseThrow(() -> client.failure(
                AgentTelemetry.BAD_RESPONSE, call, "(" + method + ") answered something that is not JSON"));
        JsonNode error = response.path("error");
        if (error.isObject()) {
            int code = error.path("code").asInt(0);
            String reason = error.path("data").path(0).path("reason").asText("");
            String what = "(" + method + ") answered JSON-RPC error " + code + (reason.isEmpty() ? "" : " " + reason)
                    + ": " + client.excerpt(error.path("message").asText(""));
            if (code == toleratedCode) {
                throw new JsonRpcError(code, what);
            }
            throw client.failure(AgentTelemetry.BAD_RESPONSE, call, what);
        }
        if (!response.has("result")) {
            throw client.failure(AgentTelemetry.BAD_RESPONSE, call, "(" + method
                    + ") answered a JSON-RPC response without result or error");
        }
        if (!response.path("id").isNull() && response.path("id").asLong(-1) != id) {
            throw client.failure(AgentTelemetry.BAD_RESPONSE, call, "(" + method + ") answered with the id "
                    + client.excerpt(response.path("id").toString()) + " where " + id + " was asked");
        }
        return response.get("result");
    }

    private UpstreamCall call(String method, long id, ObjectNode params, boolean stream) {
        ObjectNode body = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
        body.set("params", params);
        return UpstreamCall.postJson(Origins.path(endpoint), Json.write(body))
                .header(VERSION_HEADER, VERSION)
                .header("Accept", stream ? "text/event-stream" : "application/json");
    }

    /**
     * The rest of a small answer, at most {@code max-response-bytes}, within the call timeout and unless the run
     * stops (a read that hangs is ended by closing the answer).
     */
    private String readWhole(UpstreamCall call, UpstreamStream opened) throws InterruptedException {
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        Thread.ofVirtual().name("a2a-read-" + settings.name()).start(() -> {
            try {
                byte[] bytes = opened.body().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxResponseBytes() + 1));
                body.complete(bytes);
            } catch (IOException | RuntimeException e) {
                body.completeExceptionally(e);
            }
        });
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw client.failure(AgentTelemetry.TIMEOUT, call, "gave no whole answer within "
                            + settings.timeout().toMillis() + " ms");
                }
                try {
                    byte[] bytes = body.get(Math.min(left, UpstreamClient.STOP_CHECK_INTERVAL.toNanos()), TimeUnit.NANOSECONDS);
                    if (bytes.length > settings.maxResponseBytes()) {
                        throw client.failure(AgentTelemetry.TOO_LARGE, call, "answered more than "
                                + settings.maxResponseBytes() + " bytes; the answer was refused");
                    }
                    return new String(bytes, StandardCharsets.UTF_8);
                } catch (TimeoutException e) {
                    if (stopped.getAsBoolean()) {
                        throw new RunStoppedException("stopped while agent " + settings.name() + " worked");
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamFailure failure) {
                throw failure;
            }
            throw client.failure(AgentTelemetry.UNREACHABLE, call, "failed while its answer was read ("
                    + e.getCause().getClass().getSimpleName() + ")");
        } finally {
            opened.close();
        }
    }
}
