package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentserver.service.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Chat Completions server on a free port that answers {@code POST /v1/chat/completions} from a script,
 * one scripted answer per request in order, and records each request with when it arrived and when its
 * answer was written. Requests beyond the script get a 500 so a test sees them.
 */
final class FakeChatServer implements AutoCloseable {

    /** One scripted answer. */
    record Answer(int status, Map<String, String> headers, String body, Duration delay) {
    }

    /** A request as the server saw it. */
    record Request(JsonNode body, String authorization, long arrivedNanos, long answeredNanos) {
    }

    private final HttpServer server;
    private final BlockingQueue<Answer> script = new LinkedBlockingQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeChatServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    FakeChatServer then(Answer... answers) {
        Collections.addAll(script, answers);
        return this;
    }

    /** Forgets the script and the requests of an earlier test. */
    void reset() {
        script.clear();
        requests.clear();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    // --- scripted answers -------------------------------------------------------------------------

    static Answer toolCall(String name, ObjectNode args) {
        return toolCallRaw(name, Json.write(args));
    }

    /** A tool call whose {@code arguments} string is sent exactly as given (may be malformed). */
    static Answer toolCallRaw(String name, String arguments) {
        ObjectNode message = Json.object().put("role", "assistant");
        message.putNull("content");
        ArrayNode calls = message.putArray("tool_calls");
        calls.addObject().put("id", "call_" + name + "_" + System.nanoTime()).put("type", "function")
                .putObject("function").put("name", name).put("arguments", arguments);
        return completion(message, "tool_calls");
    }

    static Answer text(String content) {
        return completion(Json.object().put("role", "assistant").put("content", content), "stop");
    }

    static Answer error(int status, String message, Map<String, String> headers) {
        ObjectNode body = Json.object();
        body.putObject("error").put("message", message).put("type", "test_error");
        return new Answer(status, headers, Json.write(body), Duration.ZERO);
    }

    static Answer slow(Answer answer, Duration delay) {
        return new Answer(answer.status(), answer.headers(), answer.body(), delay);
    }

    static ObjectNode plan(String... goals) {
        ObjectNode args = Json.object();
        ArrayNode subtasks = args.putArray("subtasks");
        for (int i = 0; i < goals.length; i++) {
            subtasks.addObject().put("name", "Part " + (i + 1)).put("goal", goals[i])
                    .set("milestones", Json.array().add("done: " + goals[i]));
        }
        return args;
    }

    static ObjectNode args(String... keyValues) {
        ObjectNode args = Json.object().put("thoughts", "thinking").put("reasoning", "because")
                .put("criticism", "none");
        args.set("plan", Json.array().add("next"));
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put(keyValues[i], keyValues[i + 1]);
        }
        return args;
    }

    private static Answer completion(ObjectNode message, String finishReason) {
        ObjectNode body = Json.object().put("id", "chatcmpl-test").put("object", "chat.completion")
                .put("created", 1_700_000_000L).put("model", "test-model");
        body.putArray("choices").addObject().put("index", 0).put("finish_reason", finishReason).set("message", message);
        body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return new Answer(200, Map.of(), Json.write(body), Duration.ZERO);
    }

    // --- serving ----------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        JsonNode body = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Answer answer = script.poll();
        if (answer == null) {
            answer = error(500, "the test script has no answer for request " + (requests.size() + 1), Map.of());
        }
        if (!answer.delay().isZero()) {
            try {
                TimeUnit.MILLISECONDS.sleep(answer.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            // the client gave up (a timeout test); the request is still recorded
        } finally {
            requests.add(new Request(body, exchange.getRequestHeaders().getFirst("Authorization"), arrived,
                    System.nanoTime()));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
