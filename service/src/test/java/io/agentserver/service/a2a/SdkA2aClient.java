package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.NodeServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The official {@code @a2a-js/sdk} 1.3.0 CLIENT (pinned by {@code src/test/resources/a2a/package-lock.json}), run by
 * Node with the driver {@code client.mjs}: every call goes through the SDK's {@code ClientFactory} and
 * {@code Client} against our server; requests and results cross the driver as ProtoJSON, converted by the SDK's
 * own codecs, so a test sees exactly what the SDK read.
 */
final class SdkA2aClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MIN_NODE = 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final NodeServer node;

    private SdkA2aClient(NodeServer node) {
        this.node = node;
    }

    static SdkA2aClient start() {
        return new SdkA2aClient(NodeServer.start("a2a", "client.mjs", "node_modules/@a2a-js/sdk/package.json",
                MIN_NODE, line -> { }));
    }

    /** What the SDK resolved from {@code base}: {@code {card, endpoint, protocolVersion}} or {@code {error}}. */
    JsonNode card(String base) {
        return post("/card", Json.object().put("base", base));
    }

    /** A unary call: {@code {result}} or {@code {error: {name, message, code, data}}}. */
    JsonNode call(String base, String token, String method, JsonNode params) {
        ObjectNode body = Json.object().put("base", base).put("token", token).put("method", method);
        body.set("params", params);
        return post("/call", body);
    }

    /** The call's result; fails the test with the SDK's error otherwise. */
    JsonNode result(String base, String token, String method, JsonNode params) {
        JsonNode answer = call(base, token, method, params);
        if (answer.has("error")) {
            throw new AssertionError(method + " failed in the SDK: " + answer.path("error"));
        }
        return answer.path("result");
    }

    /** Starts {@code sendMessageStream} or {@code resubscribeTask}; the driver collects its events. */
    Stream stream(String base, String token, String method, JsonNode params, String lastEventId) {
        ObjectNode body = Json.object().put("base", base).put("token", token).put("method", method);
        body.set("params", params);
        if (lastEventId != null) {
            body.put("lastEventId", lastEventId);
        }
        return new Stream(post("/stream", body).path("stream").asInt());
    }

    /** One stream the SDK client reads. */
    final class Stream {
        private final int id;

        private Stream(int id) {
            this.id = id;
        }

        /** {@code {events, done, error}} now. */
        JsonNode state() {
            return get("/stream/" + id);
        }

        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            state().path("events").forEach(events::add);
            return events;
        }

        /** Waits until the events so far satisfy {@code condition}; returns them. */
        List<JsonNode> awaitEvents(Predicate<List<JsonNode>> condition, String what) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                JsonNode state = state();
                List<JsonNode> events = new ArrayList<>();
                state.path("events").forEach(events::add);
                if (condition.test(events)) {
                    return events;
                }
                if (state.path("done").asBoolean() || System.nanoTime() > deadline) {
                    throw new AssertionError("stream " + id + " did not reach: " + what + "; done="
                            + state.path("done") + " error=" + state.path("error") + " events=" + events);
                }
                pause();
            }
        }

        /** Waits until the SDK's iteration ended; returns the final state ({@code events}, {@code error}). */
        JsonNode awaitDone() {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                JsonNode state = state();
                if (state.path("done").asBoolean()) {
                    return state;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("stream " + id + " did not end; events=" + state.path("events"));
                }
                pause();
            }
        }

        /** The client drops the stream (as an application whose connection broke). */
        void abort() {
            post("/stream/" + id + "/abort", Json.object());
        }
    }

    private JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build());
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    private static JsonNode send(HttpRequest request) {
        try {
            return Json.read(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new AssertionError("the SDK client driver failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Between two looks at a stream the driver collects: its events arrive on their own. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
