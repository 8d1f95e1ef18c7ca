package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.json.Json;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A2A's JSON-RPC 2.0 binding at one agent's endpoint: plain calls, and streaming calls whose answer is SSE with
 * one JSON-RPC response per event. A JSON-RPC error, an HTTP error or an answer that is not the JSON expected
 * is an {@link A2aFailure} carrying the code and message.
 */
final class JsonRpcClient {

    private final A2aAgentSettings settings;
    private final A2aHttp http;
    private final URI endpoint;
    private final BooleanSupplier stopped;
    private final AtomicLong ids = new AtomicLong();

    /** @param stopped true once the run this client works for was asked to stop (calls are then abandoned) */
    JsonRpcClient(A2aAgentSettings settings, A2aHttp http, URI endpoint, BooleanSupplier stopped) {
        this.settings = settings;
        this.http = http;
        this.endpoint = endpoint;
        this.stopped = stopped;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Calls {@code method} and returns its {@code result}. */
    JsonNode call(String method, ObjectNode params) throws InterruptedException {
        long id = ids.incrementAndGet();
        A2aHttp.Answer answer = http.fetch(method, request(method, id, params, false), settings.maxResponseBytes(), stopped);
        if (answer.status() / 100 != 2) {
            throw http.statusFailure(method, answer.status(), answer.body());
        }
        return result(method, id, answer.text());
    }

    /** A streaming call: once its answer's head says SSE, the open stream and the request id its events carry. */
    Streaming stream(String method, ObjectNode params) throws InterruptedException {
        long id = ids.incrementAndGet();
        A2aHttp.Opened opened = http.open(method, request(method, id, params, true), stopped);
        boolean handedOver = false;
        try {
            if (opened.status() / 100 != 2 || !opened.contentType().startsWith("text/event-stream")) {
                // an error before the stream began comes as one JSON-RPC response (or an HTTP error)
                byte[] body = http.readBody(method, opened, settings.maxResponseBytes(), stopped);
                if (opened.status() / 100 != 2) {
                    throw http.statusFailure(method, opened.status(), body);
                }
                result(method, id, new String(body, StandardCharsets.UTF_8));
                throw new A2aFailure(AgentTelemetry.BAD_RESPONSE, http.prefix(method)
                        + "answered a result instead of an event stream (Content-Type " + opened.contentType() + ")");
            }
            Streaming streaming = new Streaming(method, id, new EventStream(opened, settings.maxResponseBytes(), settings.name()));
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
        private final String method;
        private final long id;
        private final EventStream events;

        private Streaming(String method, long id, EventStream events) {
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
            return JsonRpcClient.this.result(method, id, data);
        }

        @Override
        public void close() {
            events.close();
        }
    }

    private JsonNode result(String method, long id, String text) {
        JsonNode response = Json.parse(text).filter(JsonNode::isObject).orElseThrow(() -> new A2aFailure(
                AgentTelemetry.BAD_RESPONSE, http.prefix(method) + "answered something that is not JSON"
                + A2aHttp.excerpt(text.getBytes(StandardCharsets.UTF_8))));
        JsonNode error = response.path("error");
        if (error.isObject()) {
            int code = error.path("code").asInt(A2aFailure.NO_RPC_CODE);
            String reason = error.path("data").path(0).path("reason").asText("");
            throw new A2aFailure(AgentTelemetry.BAD_RESPONSE, http.prefix(method) + "answered JSON-RPC error " + code
                    + (reason.isEmpty() ? "" : " " + reason) + ": " + error.path("message").asText(""), code);
        }
        if (!response.has("result")) {
            throw new A2aFailure(AgentTelemetry.BAD_RESPONSE, http.prefix(method)
                    + "answered a JSON-RPC response without result or error");
        }
        if (!response.path("id").isNull() && response.path("id").asLong(-1) != id) {
            throw new A2aFailure(AgentTelemetry.BAD_RESPONSE, http.prefix(method) + "answered with the id "
                    + response.path("id") + " where " + id + " was asked");
        }
        return response.get("result");
    }

    private A2aHttp.Request request(String method, long id, ObjectNode params, boolean stream) {
        ObjectNode body = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
        body.set("params", params);
        return new A2aHttp.Request("POST", endpoint, Json.write(body).getBytes(StandardCharsets.UTF_8),
                A2aHttp.jsonHeaders(stream), true);
    }
}
