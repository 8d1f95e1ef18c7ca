package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One replica with the in-memory broker: our own runs seen through {@code /ws}, and the origin rules
 * (CORS allowlist for HTTP, Origin allowlist for WebSocket upgrades).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptSingleReplicaIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ALLOWED = "https://app.example.com";

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of(
                "cors.allowed-origins", ALLOWED + ", https://other.example.com",
                "websocket.allowed-origins", ALLOWED));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void sinceRecoversARunWithoutRedis() {
        XAgentRuns.Guest guest = XAgentRuns.guest(server);
        String id = XAgentRuns.newInteraction(server, guest);
        List<JsonNode> live;
        try (WsTestClient watcher = XAgentRuns.watch(server, guest, id);
             WsTestClient base = XAgentRuns.startDemo(server, guest, id, 1, 2)) {
            live = XAgentRuns.ofMethod(XAgentRuns.untilNotification(watcher), "node_execution_event");
            base.untilClosed();
        }
        try (WsTestClient ws = WsTestClient.connect(server.ws("/ws?token="
                + io.agentserver.service.testing.TestTokens.forUser(guest.userId())))) {
            ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + id
                    + "\",\"since\":0}}");
            JsonNode ack = ws.next();
            assertThat(ack.path("data").path("recovered").asBoolean()).isTrue();
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(live.size() + 1);
            for (int i = 0; i < live.size(); i++) {
                JsonNode node = ws.next();
                assertThat(node.path("data")).isEqualTo(live.get(i).path("data"));
                assertThat(node.path("event_id").asText()).isEqualTo(String.valueOf(i + 1));
            }
            assertThat(ws.next().path("data").path("status").asText()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void aUsersXAgentRunIsALiveExecutionOnTheirSlashWsSocket() {
        XAgentRuns.Guest guest = XAgentRuns.guest(server);
        String id = XAgentRuns.newInteraction(server, guest);
        try (WsTestClient watcher = XAgentRuns.watch(server, guest, id);
             WsTestClient base = XAgentRuns.startDemo(server, guest, id, 1, 2)) {
            List<JsonNode> frames = XAgentRuns.untilNotification(watcher);
            List<JsonNode> steps = base.untilClosed().stream().filter(f -> f.has("node_id")).toList();

            List<JsonNode> nodes = XAgentRuns.ofMethod(frames, "node_execution_event");
            assertThat(nodes).extracting(f -> f.path("data").path("node_exec_id").asText())
                    .containsExactlyElementsOf(steps.stream().map(s -> s.path("node_id").asText()).toList());
            assertThat(nodes).extracting(f -> f.path("data").path("output_data").path("status").get(0).asText())
                    .containsExactlyElementsOf(steps.stream().map(s -> s.path("status").asText()).toList());
            assertThat(nodes).extracting(f -> f.path("data").path("graph_id").asText()).containsOnly("XAgent");
            assertThat(XAgentRuns.ofMethod(frames, "graph_execution_event"))
                    .extracting(f -> f.path("data").path("status").asText())
                    .containsSubsequence("RUNNING", "COMPLETED");
            assertThat(frames.get(frames.size() - 1).path("data").path("event").asText()).isEqualTo("run_finished");
        }
    }

    @Test
    void corsHeadersOnlyForAllowedOrigins() {
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(server.http("/health")).header("Origin", ALLOWED));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED);

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(server.http("/api/user/login"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ALLOWED)
                .header("Access-Control-Request-Method", "POST"));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED);

        HttpResponse<String> foreign = send(HttpRequest.newBuilder(server.http("/health"))
                .header("Origin", "https://evil.example.com"));
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void withoutACorsAllowlistNoCorsHeadersAreSent() {
        try (TestServer plain = TestServer.start(TestDatabases.h2(), Map.of())) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(plain.http("/health")).header("Origin", ALLOWED));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void webSocketUpgradesFromOriginsOutsideTheAllowlistAreRefused() {
        String token = TestTokens.forUser("u-origin");
        try (WsTestClient ws = WsTestClient.connectFromOrigin(server.ws("/ws?token=" + token), ALLOWED)) {
            ws.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
            assertThat(ws.nextText()).contains("pong");
        }
        try (WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + token))) {
            ws.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
            assertThat(ws.nextText()).as("no Origin: not a browser").contains("pong");
        }
        assertThatThrownBy(() -> WsTestClient.connectFromOrigin(server.ws("/ws?token=" + token),
                "https://evil.example.com"))
                .isInstanceOf(CompletionException.class)
                .hasStackTraceContaining("status code 403");
    }

    @Test
    void theXAgentSocketsFollowTheSameOriginAllowlist() {
        String path = "/ws/base/0123456789abcdef0123456789abcdef?user_id=guest&token=xagent";
        try (WsTestClient ws = WsTestClient.connectFromOrigin(server.ws(path), ALLOWED)) {
            assertThat(ws.next().path("status").asText()).isEqualTo("connect");
        }
        assertThatThrownBy(() -> WsTestClient.connectFromOrigin(server.ws(path), "https://evil.example.com"))
                .isInstanceOf(CompletionException.class)
                .hasStackTraceContaining("status code 403");
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
