package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both halves of A2A against each other: our own A2A client agent ({@code AGENTS_SELF_PROTOCOL=a2a}) points at this
 * server's {@code /a2a/demo}, and an XAgent client runs it on {@code /ws/base}. The demo run becomes an A2A task,
 * its steps come back as status updates, its report as an artifact, and closing the socket cancels it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aLoopbackIT {

    private static final String CALLER = "loopback-caller";

    private TestServer server;
    private String userId;
    private String token;

    @BeforeAll
    void start() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        server = TestServer.start(TestDatabases.h2(), Map.of(
                "server.port", String.valueOf(port),
                "agents.self.url", "http://127.0.0.1:" + port + "/a2a/demo/",
                "agents.self.protocol", "a2a",
                "agents.self.token", TestTokens.forUser(CALLER),
                // the XAgent client is the shared guest: let it run the A2A agent, as the other agent suites do
                "xagent.guest-agents", "*",
                "quota.runs-per-hour", "0",
                "quota.concurrent-runs", "0"));
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        userId = login.data().path("user_id").asText();
        token = login.data().path("token").asText();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void ourA2aClientAgentRunsOurOwnDemoAgentOverA2aEndToEnd() {
        String id = newInteraction();
        List<JsonNode> frames;
        try (WsTestClient base = base(id)) {
            base.send(startFrame("write a report about loops"));
            frames = base.untilClosed().stream().filter(f -> f.has("node_id")).toList();
            assertThat(base.closeCode()).isEqualTo(1000);
        }
        assertThat(frames.get(0).path("status").asText()).isEqualTo("running");
        assertThat(frames.get(1).path("data").path("subtasks").get(0).path("name").asText())
                .as("the plan names the remote card").isEqualTo("demo");
        assertThat(frames.get(frames.size() - 1).path("status").asText()).isEqualTo("finished");
        List<JsonNode> inner = frames.stream().filter(f -> f.path("status").asText().equals("inner")).toList();
        assertThat(inner).extracting(f -> f.path("data").path("using_tools").path("tool_name").asText())
                .containsOnly("a2a:demo");
        assertThat(inner).extracting(f -> f.path("data").path("thoughts").asText())
                .contains("Goal: write a report about loops")
                .anySatisfy(t -> assertThat(t).startsWith("Plan for write a report about loops: 1.1 Understand"));
        String remoteTask = inner.get(0).path("data").path("remote_task_id").asText();
        assertThat(server.query("SELECT user_id, status, call_method, agent FROM interactions WHERE interaction_id = ?",
                remoteTask)).as("the remote task is a demo run of the token's user on this server")
                .containsExactly(List.of(CALLER, "finished", "a2a", "demo"));
        assertThat(file(id, "report.md")).as("the remote workspace file arrived as an artifact")
                .startsWith("# write a report about loops");
    }

    @Test
    void closingTheSocketCancelsTheA2aTaskItRuns() throws Exception {
        String id = newInteraction();
        String remoteTask;
        try (WsTestClient base = base(id)) {
            base.send(startFrame("a loop to cancel"));
            JsonNode frame;
            do {
                frame = base.nextSkippingPongs();
            } while (!frame.path("status").asText().equals("inner"));
            remoteTask = frame.path("data").path("remote_task_id").asText();
            base.send(Json.object().put("type", "disconnect"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.query("SELECT status FROM interactions WHERE interaction_id = ?", remoteTask)
                .equals(List.of(List.of("closed")))) {
            assertThat(System.nanoTime()).as("the remote task is canceled").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private String newInteraction() {
        return HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", userId, "token", token))
                .data().path("id").asText();
    }

    private WsTestClient base(String id) {
        WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token) + "&description=loopback"));
        assertThat(base.next().path("status").asText()).isEqualTo("connect");
        return base;
    }

    private String file(String id, String name) {
        return HttpForms.post(server.http("/api/workspace/file"), Map.of("user_id", userId, "token", token,
                "interaction_id", id, "file_name", name)).data().asText();
    }

    private static ObjectNode startFrame(String goal) {
        ObjectNode frame = Json.object().put("type", "data").put("agent", "self").put("mode", "auto");
        frame.putObject("args").put("goal", goal);
        frame.set("file_list", Json.array());
        return frame;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
