package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Raw HTTP to our A2A endpoints (the JDK's client): exact status codes, headers and bodies, and SSE lines. */
final class A2aHttp {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private A2aHttp() {
    }

    record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return Json.read(body);
        }

        /** The JSON-RPC error code of the body. */
        int code() {
            return json().path("error").path("code").asInt();
        }
    }

    static Reply get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    static Reply post(URI uri, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A JSON-RPC call with a bearer token (and any other headers). */
    static Reply rpc(URI uri, String token, String method, JsonNode params, Map<String, String> headers) {
        ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", 7).put("method", method);
        request.set("params", params);
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", "Bearer " + token);
        return post(uri, Json.write(request), all);
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An SSE response read line by line on a thread of its own. */
    static final class SseLines implements AutoCloseable {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final HttpResponse<Stream<String>> response;
        private final Thread reader;
        private volatile boolean ended;

        private SseLines(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(() -> {
                try (Stream<String> body = response.body()) {
                    body.forEach(lines::add);
                } catch (RuntimeException e) {
                    // the stream was closed under the reader
                } finally {
                    ended = true;
                }
            });
        }

        static SseLines open(URI uri, String token, String method, JsonNode params, Map<String, String> headers) {
            ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", "s-1").put("method", method);
            request.set("params", params);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)));
            headers.forEach(builder::header);
            try {
                return new SseLines(HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofLines()));
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        int status() {
            return response.statusCode();
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        /** Reads lines until one matches; returns every line read, that one last. */
        List<String> until(Predicate<String> line, String what) {
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String next;
                try {
                    next = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                if (next == null) {
                    throw new AssertionError("no line " + what + " within " + WAIT + "; read " + read);
                }
                read.add(next);
                if (line.test(next)) {
                    return read;
                }
            }
        }

        /** Every line until the server ends the response. */
        List<String> rest() {
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String next;
                try {
                    next = lines.poll(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                if (next != null) {
                    read.add(next);
                } else if (ended && lines.isEmpty()) {
                    return read;
                } else if (System.nanoTime() > deadline) {
                    throw new AssertionError("the stream did not end; read " + read);
                }
            }
        }

        /** The JSON of each {@code data:} line. */
        static List<JsonNode> data(List<String> lines) {
            return lines.stream().filter(l -> l.startsWith("data: ")).map(l -> Json.read(l.substring(6))).toList();
        }

        @Override
        public void close() {
            reader.interrupt();
            try {
                response.body().close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
