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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Chat Completions server on a free port that answers {@code POST /v1/chat/completions} from a script, one
 * scripted answer per request in order, and records each request with when it arrived and when its answer was
 * about to be written (before it is: whoever read an answer finds its request recorded). Requests beyond the script get a 500 so a test sees them.
 *
 * <p>It answers as the request asks: a whole {@code chat.completion}, or with {@code "stream": true} a stream of
 * server-sent {@code chat.completion.chunk}s the way real servers send them — text in pieces, each tool call's id
 * and name in one chunk and its arguments split over several, the finish reason in a chunk of its own, and usage
 * only in a last chunk with no choices (when {@code stream_options.include_usage} asks for it, or always with
 * {@link Behaviour#usageAlways}). Behaviours seen in real servers can be switched on: refusing {@code tool_choice}
 * or {@code stream_options} with 400 (some Ollama and llama.cpp versions), tool-call deltas without an
 * {@code index}, and answers that report no usage at all.
 */
final class FakeChatServer implements AutoCloseable {

    /** One scripted answer: an HTTP error, or a message the model sends. */
    record Answer(int status, Map<String, String> headers, String body, Duration delay, ObjectNode message,
                  String finishReason) {

        Answer(int status, Map<String, String> headers, String body, Duration delay) {
            this(status, headers, body, delay, null, null);
        }
    }

    /** A request as the server saw it. */
    record Request(JsonNode body, String authorization, long arrivedNanos, long answeredNanos, int status) {
    }

    /** How the server behaves beyond its script. */
    record Behaviour(boolean refusesToolChoice, boolean refusesStreamOptions, boolean deltasWithoutIndex,
                     boolean usageAlways, boolean noUsage, int pieceChars) {

        static final Behaviour STANDARD = new Behaviour(false, false, false, false, false, 7);

        Behaviour refusingToolChoice() {
            return new Behaviour(true, refusesStreamOptions, deltasWithoutIndex, usageAlways, noUsage, pieceChars);
        }

        Behaviour refusingStreamOptions() {
            return new Behaviour(refusesToolChoice, true, deltasWithoutIndex, usageAlways, noUsage, pieceChars);
        }

        Behaviour withoutIndex() {
            return new Behaviour(refusesToolChoice, refusesStreamOptions, true, usageAlways, noUsage, pieceChars);
        }

        Behaviour withUsageAlways() {
            return new Behaviour(refusesToolChoice, refusesStreamOptions, deltasWithoutIndex, true, noUsage, pieceChars);
        }

        Behaviour withoutUsage() {
            return new Behaviour(refusesToolChoice, refusesStreamOptions, deltasWithoutIndex, usageAlways, true, pieceChars);
        }
    }

    static final int PROMPT_TOKENS = 100;
    private static final String STALL_HEADER = "X-Test-Stall-Millis";
    static final int COMPLETION_TOKENS = 20;

    private final HttpServer server;
    private final BlockingQueue<Answer> script = new LinkedBlockingQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = Behaviour.STANDARD;
    private final java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();

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

    FakeChatServer behave(Behaviour behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    /** Requests that reached the server, answered or not yet. */
    int arrivals() {
        return arrivals.get();
    }

    /** Forgets the script, the requests and the behaviour of an earlier test. */
    void reset() {
        script.clear();
        requests.clear();
        arrivals.set(0);
        behaviour = Behaviour.STANDARD;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests the server answered (not the ones it refused with an error). */
    List<Request> answered() {
        return requests.stream().filter(r -> r.status() == 200).toList();
    }

    // --- scripted answers -------------------------------------------------------------------------

    static Answer toolCall(String name, ObjectNode args) {
        return toolCallRaw(name, Json.write(args));
    }

    /** A tool call whose {@code arguments} string is sent exactly as given (may be malformed). */
    static Answer toolCallRaw(String name, String arguments) {
        return toolCalls(new String[] {name, arguments});
    }

    /** Several tool calls in one answer (parallel calls), each as {@code {name, arguments JSON}}. */
    static Answer toolCalls(String[]... nameAndArguments) {
        ObjectNode message = Json.object().put("role", "assistant");
        message.putNull("content");
        ArrayNode calls = message.putArray("tool_calls");
        for (String[] call : nameAndArguments) {
            calls.addObject().put("id", "call_" + call[0] + "_" + System.nanoTime()).put("type", "function")
                    .putObject("function").put("name", call[0]).put("arguments", call[1]);
        }
        return reply(message, "tool_calls");
    }

    static String[] call(String name, ObjectNode args) {
        return new String[] {name, Json.write(args)};
    }

    static Answer text(String content) {
        return reply(Json.object().put("role", "assistant").put("content", content), "stop");
    }

    static Answer error(int status, String message, Map<String, String> headers) {
        ObjectNode body = Json.object();
        body.putObject("error").put("message", message).put("type", "test_error");
        return new Answer(status, headers, Json.write(body), Duration.ZERO);
    }

    /** When streamed: the first chunks at once, then nothing for {@code stall}, then the rest. */
    static Answer stalling(Answer answer, Duration stall) {
        Map<String, String> headers = new java.util.HashMap<>(answer.headers());
        headers.put(STALL_HEADER, String.valueOf(stall.toMillis()));
        return new Answer(answer.status(), headers, answer.body(), answer.delay(), answer.message(), answer.finishReason());
    }

    /** A tool call of another kind than function (OpenAI's {@code custom} tools), which the agent never offers. */
    static Answer withCustomCall(Answer answer) {
        ObjectNode custom = ((ArrayNode) answer.message().path("tool_calls")).addObject();
        custom.put("id", "call_custom_" + System.nanoTime()).put("type", "custom");
        custom.putObject("custom").put("name", "shell").put("input", "rm -rf /");
        return answer;
    }

    static Answer slow(Answer answer, Duration delay) {
        return new Answer(answer.status(), answer.headers(), answer.body(), delay, answer.message(), answer.finishReason());
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

    private static Answer reply(ObjectNode message, String finishReason) {
        return new Answer(200, Map.of(), null, Duration.ZERO, message, finishReason);
    }

    // --- serving ----------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        arrivals.incrementAndGet();
        JsonNode body = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Behaviour now = behaviour;
        if (now.refusesToolChoice() && body.has("tool_choice")) {
            refuse(exchange, body, arrived, "tool_choice is not supported by this server");
            return;
        }
        if (now.refusesStreamOptions() && body.has("stream_options")) {
            refuse(exchange, body, arrived, "Unrecognized request argument supplied: stream_options");
            return;
        }
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
        // recorded before the answer is written: a client that has read the answer finds its request here
        requests.add(new Request(body, exchange.getRequestHeaders().getFirst("Authorization"), arrived,
                System.nanoTime(), answer.status()));
        try {
            if (answer.message() == null) {
                write(exchange, answer.status(), answer.headers(), "application/json", answer.body());
            } else if (body.path("stream").asBoolean(false)) {
                boolean usage = !now.noUsage() && (now.usageAlways()
                        || body.path("stream_options").path("include_usage").asBoolean(false));
                stream(exchange, answer, chunks(answer, now, usage));
            } else {
                write(exchange, 200, answer.headers(), "application/json", Json.write(completion(answer, now)));
            }
        } catch (IOException e) {
            // the client gave up (a timeout test); the request is recorded all the same
        }
    }

    private void refuse(HttpExchange exchange, JsonNode body, long arrived, String message) throws IOException {
        requests.add(new Request(body, exchange.getRequestHeaders().getFirst("Authorization"), arrived,
                System.nanoTime(), 400));
        write(exchange, 400, Map.of(), "application/json", error(400, message, Map.of()).body());
    }

    private static ObjectNode completion(Answer answer, Behaviour behaviour) {
        ObjectNode body = Json.object().put("id", "chatcmpl-test").put("object", "chat.completion")
                .put("created", 1_700_000_000L).put("model", "test-model");
        body.putArray("choices").addObject().put("index", 0).put("finish_reason", answer.finishReason())
                .set("message", answer.message());
        if (!behaviour.noUsage()) {
            body.set("usage", usage());
        }
        return body;
    }

    /** The answer as SSE events: role, text pieces, each call's start and argument pieces, finish, usage, DONE. */
    private static List<String> chunks(Answer answer, Behaviour behaviour, boolean withUsage) {
        List<String> events = new ArrayList<>();
        int n = Math.max(1, behaviour.pieceChars());
        events.add(event(chunk(Json.object().put("role", "assistant").put("content", ""), null)));
        String content = answer.message().path("content").asText("");
        for (int i = 0; i < content.length(); i += n) {
            events.add(event(chunk(Json.object().put("content", content.substring(i, Math.min(content.length(), i + n))),
                    null)));
        }
        JsonNode calls = answer.message().path("tool_calls");
        for (int c = 0; c < calls.size(); c++) {
            JsonNode call = calls.get(c);
            ObjectNode start = Json.object();
            if (!behaviour.deltasWithoutIndex()) {
                start.put("index", c);
            }
            start.put("id", call.path("id").asText()).put("type", "function").putObject("function")
                    .put("name", call.path("function").path("name").asText()).put("arguments", "");
            events.add(event(chunk(Json.object().set("tool_calls", Json.array().add(start)), null)));
            String arguments = call.path("function").path("arguments").asText("");
            for (int i = 0; i < arguments.length(); i += n) {
                ObjectNode piece = Json.object();
                if (!behaviour.deltasWithoutIndex()) {
                    piece.put("index", c);
                }
                piece.putObject("function").put("arguments", arguments.substring(i, Math.min(arguments.length(), i + n)));
                events.add(event(chunk(Json.object().set("tool_calls", Json.array().add(piece)), null)));
            }
        }
        events.add(event(chunk(Json.object(), answer.finishReason())));
        if (withUsage) {
            ObjectNode last = base();
            last.putArray("choices");
            last.set("usage", usage());
            events.add(event(last));
        }
        events.add("data: [DONE]\n\n");
        return events;
    }

    private static ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = base();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode base() {
        return Json.object().put("id", "chatcmpl-test").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", "test-model");
    }

    private static ObjectNode usage() {
        return Json.object().put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", COMPLETION_TOKENS)
                .put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
    }

    private static String event(JsonNode data) {
        return "data: " + Json.write(data) + "\n\n";
    }

    /** Writes the events, stalling after the first two when the answer asks for it. */
    private static void stream(HttpExchange exchange, Answer answer, List<String> events) throws IOException {
        long stall = Long.parseLong(answer.headers().getOrDefault(STALL_HEADER, "0"));
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < events.size(); i++) {
                out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
                if (i == 1 && stall > 0) {
                    out.flush();
                    try {
                        Thread.sleep(stall);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, String contentType,
                              String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        headers.forEach((k, v) -> {
            if (!k.equals(STALL_HEADER)) {
                exchange.getResponseHeaders().add(k, v);
            }
        });
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(status, bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
