package io.agentserver.service.agent.upstream;

import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunStoppedException;
import io.agentserver.service.secrets.Redactor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The HTTP client of one remote agent server (see the package documentation). Thread-safe; one per configured
 * server, shared by its runs. Every method either returns a 2xx answer or throws an {@link UpstreamFailure}
 * that was already counted in the metrics, or {@link RunStoppedException} when the run stopped while waiting.
 */
public final class UpstreamClient implements AutoCloseable {

    /** Redirects followed within the origin, at most, per call. */
    public static final int MAX_REDIRECTS = 5;
    /** How often a waiting call looks whether its run was stopped. */
    public static final Duration STOP_CHECK_INTERVAL = Duration.ofMillis(200);
    /** The most of an error body read to find its detail (the rest is not read). */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    /** The most of an upstream's own words a user sees in a failure. */
    static final int DETAIL_CHARS = 200;
    private static final int LOGGED_BODY_CHARS = 300;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final System.Logger LOG = System.getLogger(UpstreamClient.class.getName());

    private final UpstreamSettings settings;
    private final AgentTelemetry telemetry;
    private final HttpClient http;
    private final Origin origin;
    private final Redactor redactor;
    private final Path spoolDir;

    public UpstreamClient(UpstreamSettings settings, AgentTelemetry telemetry) {
        this.settings = settings;
        this.telemetry = telemetry;
        this.origin = Origin.of(settings.base());
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        List<String> secrets = new ArrayList<>(settings.secrets());
        settings.bearerToken().ifPresent(secrets::add);
        this.redactor = Redactor.of(secrets);
        this.spoolDir = settings.spoolDir().orElse(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public UpstreamSettings settings() {
        return settings;
    }

    /**
     * The answer with its whole body in memory, at most {@link UpstreamSettings#maxResponseBytes()} bytes.
     *
     * @param stopped true once the run this call works for was asked to stop: the call is then abandoned
     */
    public UpstreamResponse<byte[]> send(UpstreamCall call, BooleanSupplier stopped) throws InterruptedException {
        return exchange(call, settings.maxResponseBytes(), CappedBodySubscriber::memory, stopped);
    }

    /**
     * The answer with its body in a temporary file of at most {@code maxBytes} bytes, for bodies too large for
     * memory (downloads). The caller closes the {@link SpooledBody}, which deletes the file; on failure no file is
     * left behind.
     */
    public UpstreamResponse<SpooledBody> spool(UpstreamCall call, long maxBytes, BooleanSupplier stopped)
            throws InterruptedException {
        return exchange(call, maxBytes, () -> CappedBodySubscriber.file(spoolDir), stopped);
    }

    /**
     * The answer's headers once they arrive (within the timeout), and its body as a stream for the caller to read
     * (server-sent events): reading past {@code maxBytes} in total throws an {@link UpstreamFailure} of kind
     * {@link AgentTelemetry#TOO_LARGE}, a broken connection one of kind {@link AgentTelemetry#UNREACHABLE}. Reads
     * block; to abandon a stream (a stop), close it from any thread.
     */
    public UpstreamStream open(UpstreamCall call, long maxBytes, BooleanSupplier stopped) throws InterruptedException {
        HttpRequest request = request(call);
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int redirects = 0; ; redirects++) {
            HttpResponse<InputStream> response = await(call, http.sendAsync(request,
                    HttpResponse.BodyHandlers.ofInputStream()), deadline, stopped, () -> { });
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                closeQuietly(response.body());
                request = redirect(call, request, response.headers(), status, redirects);
                continue;
            }
            if (status < 200 || status >= 300) {
                byte[] error;
                try (InputStream in = response.body()) {
                    error = in.readNBytes(MAX_ERROR_BODY_BYTES);
                } catch (IOException e) {
                    error = new byte[0];
                }
                throw statusFailure(call, status, error);
            }
            return new UpstreamStream(status, response.headers(),
                    new CappedInputStream(response.body(), maxBytes, this, call));
        }
    }

    /**
     * A failure found by the caller in an answer this client returned (unparseable, missing fields): counted like
     * the client's own. {@code what} is appended to {@code agent <name>: <call> } and must hold no upstream text
     * that was not {@linkplain #excerpt redacted}.
     */
    public UpstreamFailure failure(String kind, UpstreamCall call, String what) {
        telemetry.upstreamError(settings.agent(), kind);
        return new UpstreamFailure(kind, prefix(call) + what);
    }

    /** Upstream text as a user may see it: redacted, one line, at most {@value #DETAIL_CHARS} characters. */
    public String excerpt(String upstreamText) {
        return redactor.excerpt(upstreamText, DETAIL_CHARS);
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- the exchange -------------------------------------------------------------------------------------

    /** What one response turned into: a redirect to follow, an error body, or the body we wanted. */
    private sealed interface Received<T> {
        record Redirect<T>() implements Received<T> {
        }

        record Error<T>(byte[] body) implements Received<T> {
        }

        record Body<T>(T value) implements Received<T> {
        }
    }

    private <T> UpstreamResponse<T> exchange(UpstreamCall call, long maxBytes,
                                             java.util.function.Supplier<CappedBodySubscriber.Sink<T>> sinks,
                                             BooleanSupplier stopped) throws InterruptedException {
        HttpRequest request = request(call);
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int redirects = 0; ; redirects++) {
            AtomicReference<CappedBodySubscriber.Sink<T>> opened = new AtomicReference<>();
            HttpResponse.BodyHandler<Received<T>> handler = info -> {
                int status = info.statusCode();
                if (REDIRECTS.contains(status)) {
                    return HttpResponse.BodySubscribers.replacing(new Received.Redirect<>());
                }
                OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
                if (status < 200 || status >= 300) {
                    // only the start of an error body is wanted; a huge one is not read past it
                    return HttpResponse.BodySubscribers.mapping(
                            CappedBodySubscriber.truncating(CappedBodySubscriber.memory(), MAX_ERROR_BODY_BYTES),
                            bytes -> new Received.Error<>(bytes));
                }
                CappedBodySubscriber.Sink<T> sink = sinks.get();
                opened.set(sink);
                return HttpResponse.BodySubscribers.mapping(new CappedBodySubscriber<>(sink, maxBytes, declared),
                        Received.Body::new);
            };
            HttpResponse<Received<T>> response = await(call, http.sendAsync(request, handler), deadline, stopped,
                    () -> Optional.ofNullable(opened.get()).ifPresent(CappedBodySubscriber.Sink::abort));
            int status = response.statusCode();
            switch (response.body()) {
                case Received.Redirect<T> r -> request = redirect(call, request, response.headers(), status, redirects);
                case Received.Error<T>(byte[] body) -> throw statusFailure(call, status, body);
                case Received.Body<T>(T value) -> {
                    return new UpstreamResponse<>(status, response.headers(), value);
                }
            }
        }
    }

    private HttpRequest request(UpstreamCall call) {
        URI uri = URI.create(stripSlash(settings.base().toString()) + call.path());
        if (!origin.contains(uri)) {
            throw failure(AgentTelemetry.REDIRECT_REFUSED, call, "would leave the agent's server; not sent");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Accept", "application/json, */*");
        settings.bearerToken().ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        if (call.contentType() != null) {
            builder.header("Content-Type", call.contentType());
        }
        call.headers().forEach(builder::setHeader);
        builder.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        return builder.build();
    }

    /**
     * The request a redirect asks for, only when it stays on the server's origin: 303 (and 301/302 after a POST)
     * turn into a GET without a body, as browsers do; 307/308 repeat the method and body.
     */
    private HttpRequest redirect(UpstreamCall call, HttpRequest previous, HttpHeaders headers, int status,
                                 int followed) {
        Optional<String> location = headers.firstValue("Location");
        if (location.isEmpty()) {
            throw failure(AgentTelemetry.BAD_RESPONSE, call, "answered HTTP " + status + " without a Location");
        }
        URI target;
        try {
            target = previous.uri().resolve(location.get().strip());
        } catch (IllegalArgumentException e) {
            throw failure(AgentTelemetry.BAD_RESPONSE, call, "answered HTTP " + status + " with an invalid Location");
        }
        if (!origin.contains(target)) {
            LOG.log(Level.WARNING, "upstream redirect refused agent=" + settings.agent() + " call=" + call.label()
                    + " status=" + status + " to=" + redactor.excerpt(Origin.of(target).toString(), 200));
            throw failure(AgentTelemetry.REDIRECT_REFUSED, call, "was redirected (HTTP " + status
                    + ") away from the agent's server; only redirects within " + settings.setting() + " are followed");
        }
        if (followed >= MAX_REDIRECTS) {
            throw failure(AgentTelemetry.BAD_RESPONSE, call, "was redirected more than " + MAX_REDIRECTS + " times");
        }
        boolean toGet = status == 303 || ((status == 301 || status == 302) && "POST".equals(previous.method()));
        HttpRequest.Builder next = HttpRequest.newBuilder(previous, (name, value) ->
                !(toGet && name.equalsIgnoreCase("Content-Type"))).uri(target);
        if (toGet) {
            next.GET();
        }
        return next.build();
    }

    /**
     * Waits for the exchange until the deadline, looking every {@link #STOP_CHECK_INTERVAL} whether the run was
     * stopped; on a stop or the deadline the exchange is cancelled (its connection closed) and {@code cleanup} runs.
     */
    private <T> HttpResponse<T> await(UpstreamCall call, CompletableFuture<HttpResponse<T>> pending, long deadline,
                                      BooleanSupplier stopped, Runnable cleanup) throws InterruptedException {
        boolean ok = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw failure(AgentTelemetry.TIMEOUT, call, "gave no answer within "
                            + settings.timeout().toMillis() + " ms");
                }
                try {
                    HttpResponse<T> response = pending.get(Math.min(left, STOP_CHECK_INTERVAL.toNanos()),
                            TimeUnit.NANOSECONDS);
                    ok = true;
                    return response;
                } catch (TimeoutException e) {
                    if (stopped.getAsBoolean()) {
                        throw new RunStoppedException("stopped while agent " + settings.agent() + " worked on "
                                + call.label());
                    }
                } catch (ExecutionException e) {
                    throw failureOf(call, e.getCause());
                }
            }
        } finally {
            if (!ok) {
                pending.cancel(true);
                cleanup.run();
            }
        }
    }

    private UpstreamFailure failureOf(UpstreamCall call, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case CappedBodySubscriber.TooLarge tooLarge -> {
                    return failure(AgentTelemetry.TOO_LARGE, call, "answered more than " + tooLarge.maxBytes
                            + " bytes" + (tooLarge.declared ? " (declared)" : "") + "; the answer was refused");
                }
                case HttpConnectTimeoutException e -> {
                    return failure(AgentTelemetry.UNREACHABLE, call, "could not connect to the agent's server ("
                            + settings.setting() + ") within " + settings.connectTimeout().toMillis() + " ms");
                }
                case HttpTimeoutException e -> {
                    return failure(AgentTelemetry.TIMEOUT, call, "gave no answer within "
                            + settings.timeout().toMillis() + " ms");
                }
                case ConnectException e -> {
                    return unreachable(call);
                }
                case UnknownHostException e -> {
                    return unreachable(call);
                }
                case UnresolvedAddressException e -> {
                    return unreachable(call);
                }
                default -> {
                }
            }
        }
        LOG.log(Level.INFO, "upstream call failed agent=" + settings.agent() + " call=" + call.label() + " error="
                + redactor.excerpt(String.valueOf(error), LOGGED_BODY_CHARS));
        return failure(AgentTelemetry.UNREACHABLE, call, "failed: the connection to the agent's server broke ("
                + error.getClass().getSimpleName() + ")");
    }

    private UpstreamFailure unreachable(UpstreamCall call) {
        return failure(AgentTelemetry.UNREACHABLE, call, "could not connect to the agent's server ("
                + settings.setting() + ")");
    }

    private UpstreamFailure statusFailure(UpstreamCall call, int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        LOG.log(Level.INFO, "upstream answered an error agent=" + settings.agent() + " call=" + call.label()
                + " status=" + status + " body=" + redactor.excerpt(text, LOGGED_BODY_CHARS));
        String detail = ErrorDetail.of(text).map(this::excerpt).filter(d -> !d.isEmpty()).map(d -> ": " + d).orElse("");
        return failure(UpstreamFailure.kindOfStatus(status), call, "answered HTTP " + status + detail);
    }

    private String prefix(UpstreamCall call) {
        return "agent " + settings.agent() + ": " + call.label() + " ";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the redirect's body is not wanted
        }
    }
}
