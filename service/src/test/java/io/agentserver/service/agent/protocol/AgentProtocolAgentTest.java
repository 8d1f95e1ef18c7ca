package io.agentserver.service.agent.protocol;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunFailure;
import io.agentserver.service.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a server built on the official SDK cannot show: the bearer token on every call, authorisation and rate
 * limit answers, answers that are not JSON, artifacts only the task lists, and the kind each failure is
 * reported as. Served by the JDK's HTTP server with canned answers per path.
 */
class AgentProtocolAgentTest {

    private static final String TASK = "{\"task_id\":\"t1\",\"artifacts\":[]}";

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AgentTelemetry telemetry = new AgentTelemetry() {
        @Override
        public void upstreamError(String agent, String kind) {
            errors.add(agent + ":" + kind);
        }
    };
    private HttpServer http;

    record Answer(int status, String body, Duration delay, Map<String, String> headers) {
        Answer(int status, String body, Duration delay) {
            this(status, body, delay, Map.of());
        }

        static Answer ok(String body) {
            return new Answer(200, body, Duration.ZERO);
        }
    }

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::answer);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        answers.put("GET /ap/v1/agent/tasks/t1/artifacts", Answer.ok("{\"artifacts\":[],\"pagination\":"
                + "{\"total_items\":0,\"total_pages\":1,\"current_page\":1,\"page_size\":100}}"));
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void theTokenGoesWithEveryCallAndArtifactsOnlyTheTaskListsAreDownloadedAtTheEnd() throws Exception {
        answers.put("POST /ap/v1/agent/tasks", Answer.ok(TASK));
        answers.put("POST /ap/v1/agent/tasks/t1/steps", Answer.ok("{\"task_id\":\"t1\",\"step_id\":\"s1\","
                + "\"name\":\"done\",\"output\":\"ok\",\"status\":\"completed\",\"artifacts\":[],\"is_last\":true}"));
        answers.put("GET /ap/v1/agent/tasks/t1/artifacts", Answer.ok("{\"artifacts\":[{\"artifact_id\":\"a1\","
                + "\"agent_created\":true,\"file_name\":\"main.py\",\"relative_path\":\"src\"}],"
                + "\"pagination\":{\"total_items\":1,\"total_pages\":1,\"current_page\":1,\"page_size\":100}}"));
        answers.put("GET /ap/v1/agent/tasks/t1/artifacts/a1", Answer.ok("print('hi')"));

        RecordingRunContext ctx = new RecordingRunContext("goal", "auto");
        agent(Duration.ofSeconds(5)).run(ctx);

        assertThat(ctx.statuses()).containsExactly("start", "inner", "finished");
        assertThat(new String(ctx.files.get("src/main.py"), StandardCharsets.UTF_8)).isEqualTo("print('hi')");
        assertThat(authorizations).hasSize(4).containsOnly("Bearer t0ken");
        assertThat(errors).isEmpty();
    }

    @Test
    void aRefusedTokenIsReportedAsUnauthorized() {
        answers.put("POST /ap/v1/agent/tasks", new Answer(401, "{\"detail\":\"bad token\"}", Duration.ZERO));
        assertFails(Duration.ofSeconds(5), "answered HTTP 401: bad token", "unauthorized");
    }

    @Test
    void aRateLimitIsReportedAsRateLimited() {
        answers.put("POST /ap/v1/agent/tasks", Answer.ok(TASK));
        answers.put("POST /ap/v1/agent/tasks/t1/steps", new Answer(429, "slow down", Duration.ZERO));
        assertFails(Duration.ofSeconds(5), "/steps answered HTTP 429", "rate_limited");
    }

    @Test
    void aServerErrorIsReportedAsServerError() {
        answers.put("POST /ap/v1/agent/tasks", new Answer(503, "", Duration.ZERO));
        assertFails(Duration.ofSeconds(5), "POST /ap/v1/agent/tasks answered HTTP 503", "server_error");
    }

    @Test
    void anAnswerThatIsNotJsonIsABadResponse() {
        answers.put("POST /ap/v1/agent/tasks", Answer.ok("<html>proxy error</html>"));
        assertFails(Duration.ofSeconds(5), "answered something that is not a JSON object", "bad_response");
    }

    @Test
    void aStepWithoutIdIsABadResponse() {
        answers.put("POST /ap/v1/agent/tasks", Answer.ok(TASK));
        answers.put("POST /ap/v1/agent/tasks/t1/steps", Answer.ok("{\"output\":\"no id\"}"));
        assertFails(Duration.ofSeconds(5), "a step without step_id", "bad_response");
    }

    @Test
    void aSlowAnswerIsATimeout() {
        answers.put("POST /ap/v1/agent/tasks", new Answer(200, TASK, Duration.ofSeconds(3)));
        assertFails(Duration.ofMillis(300), "gave no answer within 300 ms", "timeout");
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        AgentProtocolAgent agent = new AgentProtocolAgent(new RemoteAgentSettings("remote",
                URI.create("http://127.0.0.1:" + closed), Optional.empty(), Duration.ofSeconds(5), 10), telemetry);
        assertThatThrownBy(() -> agent.run(new RecordingRunContext("goal", "auto")))
                .isInstanceOf(RunFailure.class).hasMessageContaining("could not connect");
        assertThat(errors).containsExactly("remote:unreachable");
    }

    @Test
    void anArtifactRedirectedToAnotherHostIsNeitherFetchedNorStored() throws Exception {
        HttpServer metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> metadataHits = new CopyOnWriteArrayList<>();
        metadata.createContext("/", ex -> {
            metadataHits.add(ex.getRequestURI().getPath());
            byte[] secret = "{\"AccessKeyId\":\"ASIA-INTERNAL\",\"SecretAccessKey\":\"cloud-secret\"}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, secret.length);
            ex.getResponseBody().write(secret);
            ex.close();
        });
        metadata.start();
        try {
            answers.put("POST /ap/v1/agent/tasks", Answer.ok(TASK));
            answers.put("POST /ap/v1/agent/tasks/t1/steps", Answer.ok("{\"task_id\":\"t1\",\"step_id\":\"s1\","
                    + "\"name\":\"write\",\"output\":\"ok\",\"artifacts\":[{\"artifact_id\":\"a1\","
                    + "\"file_name\":\"creds.json\",\"relative_path\":\"\"}],\"is_last\":true}"));
            answers.put("GET /ap/v1/agent/tasks/t1/artifacts/a1", new Answer(302, "", Duration.ZERO,
                    Map.of("Location", "http://127.0.0.1:" + metadata.getAddress().getPort()
                            + "/latest/meta-data/iam/security-credentials/role")));
            RecordingRunContext ctx = new RecordingRunContext("goal", "auto");
            assertThatThrownBy(() -> agent(Duration.ofSeconds(5)).run(ctx))
                    .isInstanceOf(RunFailure.class)
                    .hasMessageContaining("redirected (HTTP 302) away from the agent's server");
            assertThat(metadataHits).isEmpty();
            assertThat(ctx.files).isEmpty();
            assertThat(errors).containsExactly("remote:redirect_refused");
        } finally {
            metadata.stop(0);
        }
    }

    @Test
    void anArtifactOverTheSizeCapEndsTheRunAndIsNotStored() {
        answers.put("POST /ap/v1/agent/tasks", Answer.ok(TASK));
        answers.put("POST /ap/v1/agent/tasks/t1/steps", Answer.ok("{\"task_id\":\"t1\",\"step_id\":\"s1\","
                + "\"name\":\"write\",\"output\":\"ok\",\"artifacts\":[{\"artifact_id\":\"big\","
                + "\"file_name\":\"huge.bin\",\"relative_path\":\"out\"}],\"is_last\":false}"));
        answers.put("GET /ap/v1/agent/tasks/t1/artifacts/big", Answer.ok("x".repeat(
                (int) RemoteAgentSettings.DEFAULT_MAX_ARTIFACT_BYTES + 1)));
        RecordingRunContext ctx = new RecordingRunContext("goal", "auto");
        assertThatThrownBy(() -> agent(Duration.ofSeconds(5)).run(ctx))
                .isInstanceOf(RunFailure.class)
                .hasMessage("agent remote: artifact out/huge.bin is larger than "
                        + RemoteAgentSettings.DEFAULT_MAX_ARTIFACT_BYTES
                        + " bytes (AGENTS_REMOTE_MAX_DASH_ARTIFACT_DASH_BYTES); it was not stored");
        assertThat(ctx.files).isEmpty();
        assertThat(errors).containsExactly("remote:too_large");
    }

    @Test
    void aStepAnswerOverTheResponseCapEndsTheRun() {
        answers.put("POST /ap/v1/agent/tasks", Answer.ok(TASK));
        answers.put("POST /ap/v1/agent/tasks/t1/steps", Answer.ok("{\"task_id\":\"t1\",\"step_id\":\"s1\","
                + "\"output\":\"" + "y".repeat((int) RemoteAgentSettings.DEFAULT_MAX_RESPONSE_BYTES) + "\"}"));
        RecordingRunContext ctx = new RecordingRunContext("goal", "auto");
        assertThatThrownBy(() -> agent(Duration.ofSeconds(5)).run(ctx))
                .isInstanceOf(RunFailure.class)
                .hasMessage("agent remote: POST /ap/v1/agent/tasks/t1/steps answered more than "
                        + RemoteAgentSettings.DEFAULT_MAX_RESPONSE_BYTES + " bytes (declared); the answer was refused");
        assertThat(ctx.statuses()).containsExactly("start");
    }

    @Test
    void moreArtifactsThanTheRunMayKeepEndTheRun() {
        int tooMany = RemoteAgentSettings.DEFAULT_MAX_ARTIFACTS + 1;
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < tooMany; i++) {
            list.append(i == 0 ? "" : ",").append("{\"artifact_id\":\"a").append(i)
                    .append("\",\"file_name\":\"f").append(i).append(".txt\"}");
            answers.put("GET /ap/v1/agent/tasks/t1/artifacts/a" + i, Answer.ok("file " + i));
        }
        answers.put("POST /ap/v1/agent/tasks", Answer.ok(TASK));
        answers.put("POST /ap/v1/agent/tasks/t1/steps", Answer.ok("{\"task_id\":\"t1\",\"step_id\":\"s1\","
                + "\"output\":\"ok\",\"artifacts\":[" + list + "],\"is_last\":true}"));
        RecordingRunContext ctx = new RecordingRunContext("goal", "auto");
        assertThatThrownBy(() -> agent(Duration.ofSeconds(5)).run(ctx))
                .isInstanceOf(RunFailure.class)
                .hasMessage("agent remote: the task has more than " + RemoteAgentSettings.DEFAULT_MAX_ARTIFACTS
                        + " artifacts (AGENTS_REMOTE_MAX_DASH_ARTIFACTS); the rest were not stored");
        assertThat(ctx.files).hasSize(RemoteAgentSettings.DEFAULT_MAX_ARTIFACTS);
    }

    @Test
    void failureTextCarriesNeitherTheTokenNorTheAddressNorTheRawBody() throws IOException {
        answers.put("POST /ap/v1/agent/tasks", new Answer(500,
                "Traceback: Authorization: Bearer t0ken-abcdef leaked; db=postgres://admin:hunter2@10.1.2.3/prod",
                Duration.ZERO));
        RecordingRunContext ctx = new RecordingRunContext("goal", "auto");
        assertThatThrownBy(() -> agent(Duration.ofSeconds(5)).run(ctx))
                .isInstanceOf(RunFailure.class)
                .hasMessage("agent remote: POST /ap/v1/agent/tasks answered HTTP 500");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        AgentProtocolAgent gone = new AgentProtocolAgent(new RemoteAgentSettings("gone",
                URI.create("http://user:pa55word@127.0.0.1:" + closed), Optional.of("t0ken"), Duration.ofSeconds(5), 10),
                telemetry);
        assertThatThrownBy(() -> gone.run(new RecordingRunContext("goal", "auto")))
                .isInstanceOf(RunFailure.class)
                .hasMessage("agent gone: POST /ap/v1/agent/tasks could not connect to the agent's server (AGENTS_GONE_URL)");
    }

    @Test
    void settingsNeverPrintTheTokenOrTheUrlsUserInfo() {
        RemoteAgentSettings settings = new RemoteAgentSettings("remote", URI.create("https://bot:pa55word@agent.example/ap"),
                Optional.of("t0ken-very-secret"), Duration.ofSeconds(5), 10);
        assertThat(settings.toString()).doesNotContain("t0ken-very-secret").doesNotContain("pa55word")
                .contains("token=<set>").contains("https://***@agent.example/ap");
    }

    private void assertFails(Duration timeout, String reason, String kind) {
        RecordingRunContext ctx = new RecordingRunContext("goal", "auto");
        assertThatThrownBy(() -> agent(timeout).run(ctx))
                .isInstanceOf(RunFailure.class)
                .hasMessageStartingWith("agent remote: ")
                .hasMessageContaining(reason);
        assertThat(errors).containsExactly("remote:" + kind);
    }

    private AgentProtocolAgent agent(Duration timeout) {
        return new AgentProtocolAgent(new RemoteAgentSettings("remote",
                URI.create("http://127.0.0.1:" + http.getAddress().getPort()), Optional.of("t0ken"), timeout, 10),
                telemetry);
    }

    private void answer(HttpExchange exchange) throws IOException {
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        exchange.getRequestBody().readAllBytes();
        Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
                new Answer(404, "{\"message\":\"not found\"}", Duration.ZERO));
        try {
            Thread.sleep(answer.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }
}
