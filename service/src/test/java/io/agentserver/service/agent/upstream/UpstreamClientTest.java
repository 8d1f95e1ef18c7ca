package io.agentserver.service.agent.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunStoppedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The shared upstream client against real HTTP servers on loopback. */
class UpstreamClientTest {

    private static final String TOKEN = "agent-secret-token-123";
    private static final long CAP = 64 * 1024;

    private HttpServer agent;
    private HttpServer elsewhere;
    private final List<String> elsewhereHits = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AgentTelemetry telemetry = new AgentTelemetry() {
        @Override
        public void upstreamError(String agentName, String kind) {
            errors.add(agentName + "/" + kind);
        }
    };
    @TempDir
    Path spool;

    @BeforeEach
    void servers() throws IOException {
        agent = server();
        elsewhere = server();
        elsewhere.createContext("/", ex -> {
            elsewhereHits.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth="
                    + ex.getRequestHeaders().getFirst("Authorization"));
            respond(ex, 200, "{\"secret\":\"internal metadata\"}");
        });
    }

    @AfterEach
    void stop() {
        agent.stop(0);
        elsewhere.stop(0);
    }

    @Test
    void aBodyWithinTheCapIsReturnedWithTheBearerToken() throws Exception {
        AtomicBoolean sawToken = new AtomicBoolean();
        agent.createContext("/ok", ex -> {
            sawToken.set(("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization")));
            respond(ex, 200, "{\"fine\":true}");
        });
        try (UpstreamClient client = client()) {
            UpstreamResponse<byte[]> r = client.send(UpstreamCall.get("/ok"), () -> false);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"fine\":true}");
        }
        assertThat(sawToken).isTrue();
        assertThat(errors).isEmpty();
    }

    @Test
    void aStreamedBodyPastTheCapIsRefusedBeforeItIsReadWhole() throws Exception {
        AtomicLong written = new AtomicLong();
        CountDownLatch serverDone = new CountDownLatch(1);
        agent.createContext("/huge", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length declared
            byte[] chunk = new byte[8192];
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 100_000; i++) { // 800 MB if nobody stops it
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the client went away: expected
            } finally {
                serverDone.countDown();
            }
        });
        try (UpstreamClient client = client()) {
            UpstreamFailure failure = catchThrowableOfType(UpstreamFailure.class,
                    () -> client.send(UpstreamCall.get("/huge"), () -> false));
            assertThat(failure.kind()).isEqualTo(AgentTelemetry.TOO_LARGE);
            assertThat(failure.getMessage()).isEqualTo("agent forge: GET /huge answered more than " + CAP
                    + " bytes; the answer was refused");
        }
        assertThat(serverDone.await(10, TimeUnit.SECONDS)).as("the server saw the connection close").isTrue();
        assertThat(written.get()).as("bytes the server could write before the client hung up")
                .isLessThan(100_000L * 8192);
        assertThat(errors).containsExactly("forge/too_large");
    }

    @Test
    void aDeclaredLengthPastTheCapIsRefusedWithoutReading() throws Exception {
        agent.createContext("/declared", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, CAP + 1);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[(int) CAP + 1]);
            } catch (IOException e) {
                // closed early
            }
        });
        try (UpstreamClient client = client()) {
            assertThatThrownBy(() -> client.send(UpstreamCall.get("/declared"), () -> false))
                    .isInstanceOf(UpstreamFailure.class).hasMessageContaining("(declared)");
        }
    }

    @Test
    void aSpooledBodyLandsInAPrivateTempFileThatCloseDeletes() throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        agent.createContext("/file", ex -> respond(ex, 200, content));
        try (UpstreamClient client = client()) {
            UpstreamResponse<SpooledBody> r = client.spool(UpstreamCall.get("/file"), 1_000_000, () -> false);
            Path file = r.body().file();
            assertThat(file.getParent()).isEqualTo(spool);
            assertThat(r.body().size()).isEqualTo(content.length);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            r.body().close();
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void aSpooledBodyPastItsCapLeavesNoFileBehind() throws Exception {
        agent.createContext("/file", ex -> respond(ex, 200, new byte[300_000]));
        try (UpstreamClient client = client()) {
            assertThatThrownBy(() -> client.spool(UpstreamCall.get("/file"), 100_000, () -> false))
                    .isInstanceOf(UpstreamFailure.class).hasMessageContaining("more than 100000 bytes");
        }
        try (var files = Files.list(spool)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void redirectsWithinTheOriginAreFollowedKeepingMethodAndBodyFor307() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        agent.createContext("/old", ex -> {
            ex.getResponseHeaders().add("Location", "/new");
            respond(ex, 307, "");
        });
        agent.createContext("/new", ex -> {
            seen.add(ex.getRequestMethod() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            respond(ex, 200, "{}");
        });
        agent.createContext("/see-other", ex -> {
            ex.getResponseHeaders().add("Location", base(agent) + "/new");
            respond(ex, 303, "");
        });
        try (UpstreamClient client = client()) {
            client.send(UpstreamCall.postJson("/old", "{\"a\":1}"), () -> false);
            client.send(UpstreamCall.postJson("/see-other", "{\"b\":2}"), () -> false);
        }
        assertThat(seen).containsExactly("POST {\"a\":1} auth=Bearer " + TOKEN, "GET  auth=Bearer " + TOKEN);
    }

    @Test
    void aRedirectToAnotherOriginIsRefusedAndNeverFetched() throws Exception {
        agent.createContext("/steal", ex -> {
            ex.getResponseHeaders().add("Location", base(elsewhere) + "/latest/meta-data/iam");
            respond(ex, 302, "");
        });
        try (UpstreamClient client = client()) {
            UpstreamFailure failure = catchThrowableOfType(UpstreamFailure.class,
                    () -> client.send(UpstreamCall.get("/steal"), () -> false));
            assertThat(failure.kind()).isEqualTo(AgentTelemetry.REDIRECT_REFUSED);
            assertThat(failure.getMessage()).isEqualTo("agent forge: GET /steal was redirected (HTTP 302) away from"
                    + " the agent's server; only redirects within AGENTS_FORGE_URL are followed");
            assertThat(failure.getMessage()).doesNotContain("127.0.0.1");
        }
        assertThat(elsewhereHits).isEmpty();
        assertThat(errors).containsExactly("forge/redirect_refused");
    }

    @Test
    void aRedirectToTheSameHostOnAnotherPortIsAnotherOrigin() throws Exception {
        agent.createContext("/port", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/x");
            respond(ex, 301, "");
        });
        try (UpstreamClient client = client()) {
            assertThatThrownBy(() -> client.send(UpstreamCall.get("/port"), () -> false))
                    .isInstanceOf(UpstreamFailure.class).hasMessageContaining("away from the agent's server");
        }
        assertThat(elsewhereHits).isEmpty();
    }

    @Test
    void anErrorShowsOnlyARedactedDetailFromItsJsonNeverTheRawBody() throws Exception {
        agent.createContext("/json-error", ex -> respond(ex, 500,
                "{\"detail\":\"upstream key sk-live1234567890abcdef and " + TOKEN + " failed at http://admin:pw@10.0.0.7/x\"}"));
        agent.createContext("/html-error", ex -> respond(ex, 502,
                "<html><body>Internal: postgres://root:hunter2@db/prod stack trace …</body></html>"));
        try (UpstreamClient client = client()) {
            UpstreamFailure json = catchThrowableOfType(UpstreamFailure.class,
                    () -> client.send(UpstreamCall.get("/json-error"), () -> false));
            assertThat(json.getMessage()).isEqualTo("agent forge: GET /json-error answered HTTP 500: upstream key ***"
                    + " and *** failed at http://***@10.0.0.7/x");
            UpstreamFailure html = catchThrowableOfType(UpstreamFailure.class,
                    () -> client.send(UpstreamCall.get("/html-error"), () -> false));
            assertThat(html.getMessage()).isEqualTo("agent forge: GET /html-error answered HTTP 502");
            assertThat(html.kind()).isEqualTo(AgentTelemetry.SERVER_ERROR);
        }
    }

    @Test
    void aCallWithoutAnAnswerInTimeFailsAsATimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent.createContext("/slow", ex -> {
            await(release);
            respond(ex, 200, "{}");
        });
        try (UpstreamClient client = client(Duration.ofMillis(300))) {
            UpstreamFailure failure = catchThrowableOfType(UpstreamFailure.class,
                    () -> client.send(UpstreamCall.get("/slow"), () -> false));
            assertThat(failure.kind()).isEqualTo(AgentTelemetry.TIMEOUT);
            assertThat(failure.getMessage()).isEqualTo("agent forge: GET /slow gave no answer within 300 ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aBodyThatTricklesPastTheDeadlineFailsAsATimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent.createContext("/trickle", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write('{');
                out.flush();
                await(release);
                out.write('}');
            } catch (IOException e) {
                // the client gave up
            }
        });
        try (UpstreamClient client = client(Duration.ofMillis(300))) {
            assertThatThrownBy(() -> client.send(UpstreamCall.get("/trickle"), () -> false))
                    .isInstanceOf(UpstreamFailure.class).hasMessageContaining("gave no answer within 300 ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void anUnreachableServerIsNamedByItsSettingNotItsAddress() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (UpstreamClient client = new UpstreamClient(settings(URI.create("http://127.0.0.1:" + closed),
                Duration.ofSeconds(5)), telemetry)) {
            UpstreamFailure failure = catchThrowableOfType(UpstreamFailure.class,
                    () -> client.send(UpstreamCall.get("/x"), () -> false));
            assertThat(failure.kind()).isEqualTo(AgentTelemetry.UNREACHABLE);
            assertThat(failure.getMessage()).isEqualTo("agent forge: GET /x could not connect to the agent's server"
                    + " (AGENTS_FORGE_URL)");
        }
    }

    @Test
    void aStoppedRunAbandonsTheCallWithinTheCheckInterval() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent.createContext("/long", ex -> {
            await(release);
            respond(ex, 200, "{}");
        });
        AtomicBoolean stopped = new AtomicBoolean();
        try (UpstreamClient client = client(Duration.ofSeconds(30))) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.set(true);
            });
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.send(UpstreamCall.get("/long"), stopped::get))
                    .isInstanceOf(RunStoppedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            release.countDown();
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void anOpenedStreamIsReadAsItArrivesAndRefusedPastItsCap() throws Exception {
        agent.createContext("/events", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 1000; i++) {
                    out.write(("data: event " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the client hung up
            }
        });
        try (UpstreamClient client = client();
             UpstreamStream stream = client.open(UpstreamCall.get("/events"), 100, () -> false)) {
            assertThat(stream.headers().firstValue("Content-Type")).contains("text/event-stream");
            InputStream body = stream.body();
            byte[] first = body.readNBytes(15);
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: event 0\n\n");
            assertThatThrownBy(() -> body.readAllBytes()).isInstanceOf(UpstreamFailure.class)
                    .hasMessage("agent forge: GET /events answered more than 100 bytes; the answer was refused");
        }
        assertThat(errors).containsExactly("forge/too_large");
    }

    @Test
    @Timeout(30) // before the fix, the cap's arithmetic wrapped and every read asked for 0 bytes, forever
    void aStreamOpenedWithoutACapIsReadToItsEnd() throws Exception {
        agent.createContext("/long", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(("data: event " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        });
        try (UpstreamClient client = client();
             UpstreamStream stream = client.open(UpstreamCall.get("/long"), Long.MAX_VALUE, () -> false)) {
            String body = new String(stream.body().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(body).startsWith("data: event 0\n\n").endsWith("data: event 99\n\n");
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void settingsNeverPrintTheTokenOrUserInfo() {
        UpstreamSettings s = new UpstreamSettings("forge", URI.create("http://user:pw@agent:8000/base?token=abc"),
                "AGENTS_FORGE_URL", Optional.of(TOKEN), Duration.ofSeconds(1), Duration.ofSeconds(1), 10,
                Optional.empty(), List.of());
        assertThat(s.toString()).doesNotContain(TOKEN).doesNotContain("pw").doesNotContain("abc")
                .contains("bearerToken=<set>").contains("http://***@agent:8000/base?token=***");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private UpstreamClient client() {
        return client(Duration.ofSeconds(10));
    }

    private UpstreamClient client(Duration timeout) {
        return new UpstreamClient(settings(URI.create(base(agent)), timeout), telemetry);
    }

    private UpstreamSettings settings(URI base, Duration timeout) {
        return new UpstreamSettings("forge", base, "AGENTS_FORGE_URL", Optional.of(TOKEN), Duration.ofSeconds(2),
                timeout, CAP, Optional.of(spool), List.of());
    }

    private static HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static String base(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        respond(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        try (OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            out.write(body);
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
