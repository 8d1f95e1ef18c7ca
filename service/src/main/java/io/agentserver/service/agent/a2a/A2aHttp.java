package io.agentserver.service.agent.a2a;

import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunStoppedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The HTTP exchanges of one A2A agent, over the JDK's client: every call carries {@code A2A-Version: 1.0};
 * answers are read up to a byte cap; redirects are followed only within the origin asked (a redirect elsewhere
 * is refused: it could point at an internal address whose answer would land in the user's workspace); a run
 * that is stopped abandons its call within {@link #STOP_CHECK_INTERVAL}. Every failure is an {@link A2aFailure}
 * whose text names the agent and the call and holds no secret.
 */
final class A2aHttp {

    static final Duration STOP_CHECK_INTERVAL = Duration.ofMillis(200);
    static final String VERSION_HEADER = "A2A-Version";
    static final String VERSION = "1.0";
    private static final int MAX_REDIRECTS = 5;
    private static final int BODY_EXCERPT = 300;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /**
     * One request: {@code body} null for a GET; {@code headers} name → value; {@code authorized}: send the
     * agent's token (only to the agent's own origins; a redirect keeps it, as it stays within the origin).
     */
    record Request(String method, URI uri, byte[] body, Map<String, String> headers, boolean authorized) {
        Request to(URI next, boolean asGet) {
            return asGet ? new Request("GET", next, null, headers, authorized)
                    : new Request(method, next, body, headers, authorized);
        }
    }

    /** An answer whose body was read whole. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer whose body is to be read as it comes; close it when done. */
    record Opened(int status, String contentType, InputStream body) implements AutoCloseable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // nothing more to read either way
            }
        }
    }

    private final A2aAgentSettings settings;
    private final HttpClient http;

    A2aHttp(A2aAgentSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends {@code request} and reads its answer whole, at most {@code maxBytes}; any status is returned. */
    Answer fetch(String call, Request request, long maxBytes, BooleanSupplier stopped) throws InterruptedException {
        try (Opened opened = open(call, request, stopped)) {
            return new Answer(opened.status(), opened.contentType(), readBody(call, opened, maxBytes, stopped));
        }
    }

    /**
     * Reads the rest of {@code opened}'s body, at most {@code maxBytes}, within the call timeout and unless the run
     * stops (a read that hangs is ended by closing the body).
     */
    byte[] readBody(String call, Opened opened, long maxBytes, BooleanSupplier stopped) throws InterruptedException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        Thread.ofVirtual().name("a2a-read-" + settings.name()).start(() -> {
            try {
                body.complete(readCapped(call, opened.body(), maxBytes));
            } catch (RuntimeException | IOException e) {
                body.completeExceptionally(e);
            }
        });
        return await(call, body, deadline, stopped, opened);
    }

    /** Sends {@code request} and returns once the answer's head arrived; its body is not read yet. */
    Opened open(String call, Request request, BooleanSupplier stopped) throws InterruptedException {
        Request current = request;
        for (int hop = 0; ; hop++) {
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            CompletableFuture<HttpResponse<InputStream>> pending =
                    http.sendAsync(build(current), HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> response;
            try {
                response = await(call, pending, deadline, stopped, null);
            } finally {
                pending.cancel(true);
            }
            Opened opened = new Opened(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT), response.body());
            Optional<String> location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(opened.status()) || location.isEmpty()) {
                return opened;
            }
            opened.close();
            URI next = current.uri().resolve(location.get().trim());
            if (!Origins.same(next, current.uri())) {
                throw new A2aFailure(AgentTelemetry.BAD_RESPONSE, prefix(call) + "was redirected to another origin ("
                        + Redaction.url(next) + "); redirects are followed only within " + Origins.of(current.uri()));
            }
            if (hop == MAX_REDIRECTS) {
                throw new A2aFailure(AgentTelemetry.BAD_RESPONSE, prefix(call) + "was redirected more than "
                        + MAX_REDIRECTS + " times");
            }
            current = current.to(next, opened.status() == 303);
        }
    }

    /** The failure for an answer whose status is not 2xx. */
    A2aFailure statusFailure(String call, int status, byte[] body) {
        return new A2aFailure(A2aFailure.kindOfStatus(status), prefix(call) + "answered HTTP " + status + excerpt(body));
    }

    String prefix(String call) {
        return "agent " + settings.name() + ": " + call + " ";
    }

    static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, BODY_EXCERPT * 4), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > BODY_EXCERPT ? text.substring(0, BODY_EXCERPT) + "…" : text);
    }

    private HttpRequest build(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(settings.timeout())
                .header(VERSION_HEADER, VERSION);
        request.headers().forEach(builder::header);
        if (request.authorized()) {
            settings.token().ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        }
        if (request.body() == null) {
            builder.GET();
        } else {
            builder.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        }
        return builder.build();
    }

    /**
     * Waits for {@code pending}, looking every {@link #STOP_CHECK_INTERVAL} whether the run was stopped; a stopped
     * run or a passed deadline abandons the call (closing {@code opened} when given, which ends a blocked read).
     */
    private <T> T await(String call, CompletableFuture<T> pending, long deadline, BooleanSupplier stopped,
                        Opened opened) throws InterruptedException {
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new A2aFailure(AgentTelemetry.TIMEOUT, prefix(call) + "gave no answer within "
                            + settings.timeout().toMillis() + " ms");
                }
                try {
                    return pending.get(Math.min(left, STOP_CHECK_INTERVAL.toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (stopped.getAsBoolean()) {
                        throw new RunStoppedException("stopped while agent " + settings.name() + " worked");
                    }
                }
            }
        } catch (ExecutionException e) {
            throw failure(call, e.getCause());
        } finally {
            if (!pending.isDone() && opened != null) {
                opened.close();
            }
        }
    }

    private A2aFailure failure(String call, Throwable cause) {
        return switch (cause) {
            case A2aFailure e -> e;
            case HttpConnectTimeoutException e -> new A2aFailure(AgentTelemetry.UNREACHABLE, prefix(call)
                    + "could not connect within " + settings.connectTimeout().toMillis() + " ms");
            case HttpTimeoutException e -> new A2aFailure(AgentTelemetry.TIMEOUT, prefix(call)
                    + "gave no answer within " + settings.timeout().toMillis() + " ms");
            case ConnectException e -> new A2aFailure(AgentTelemetry.UNREACHABLE, prefix(call) + "could not connect: "
                    + Optional.ofNullable(e.getMessage()).orElse("connection refused"));
            case IOException e -> new A2aFailure(AgentTelemetry.UNREACHABLE, prefix(call) + "failed: "
                    + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
            default -> new A2aFailure(AgentTelemetry.UNREACHABLE, prefix(call) + "failed: " + cause.getClass().getSimpleName());
        };
    }

    private A2aFailure tooLarge(String call, long maxBytes) {
        return new A2aFailure(AgentTelemetry.BAD_RESPONSE, prefix(call) + "answered more than " + maxBytes
                + " bytes; the answer was not read");
    }

    private byte[] readCapped(String call, InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge(call, maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static Map<String, String> jsonHeaders(boolean stream) {
        return Map.of("Content-Type", "application/json",
                "Accept", stream ? "text/event-stream" : "application/json");
    }
}
