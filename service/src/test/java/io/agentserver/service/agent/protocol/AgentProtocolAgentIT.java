package io.agentserver.service.agent.protocol;

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

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs of the Agent Protocol agent against the official agent-protocol SDK (Node), seen through XAgent's
 * {@code /ws/base} and AutoGPT's {@code /ws}: the full run with an artifact and a human answer, and every
 * way the remote server can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentProtocolAgentIT {

    private SdkAgentServer remote;
    private TestServer server;
    private String userId;
    private String token;

    @BeforeAll
    void start() throws IOException {
        remote = SdkAgentServer.start();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        server = TestServer.start(TestDatabases.h2(), Map.ofEntries(
                Map.entry("agents.sdk.url", remote.url() + "/"),
                Map.entry("agents.sdk.token", "s3cret"),
                Map.entry("agents.impatient.url", remote.url()),
                Map.entry("agents.impatient.timeout", "PT1S"),
                Map.entry("agents.bounded.url", remote.url()),
                Map.entry("agents.bounded.max-steps", "3"),
                Map.entry("agents.gone.url", "http://127.0.0.1:" + closedPort),
                Map.entry("agents.capped.url", remote.url()),
                Map.entry("agents.capped.max-artifacts", "5"),
                Map.entry("run.human-reply-timeout", "PT30S"),
                Map.entry("xagent.guest-agents", "*"),
                Map.entry("quota.runs-per-hour", "0"),
                Map.entry("quota.concurrent-runs", "0")));
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        userId = login.data().path("user_id").asText();
        token = login.data().path("token").asText();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void aRunShowsEachRemoteStepTheArtifactAndTakesTheHumansAnswerAsTheNextInput() {
        String id = newInteraction();
        try (WsTestClient watcher = watch(id); WsTestClient base = base(id)) {
            base.send(startFrame("sdk", "write a poem about sockets"));
            List<JsonNode> frames = new ArrayList<>(framesThrough(base, "ask_for_human_help"));
            JsonNode ask = frames.get(frames.size() - 1);
            assertThat(ask.path("data").asText()).isEqualTo("Which colour should the summary use?");
            assertThat(ask.path("current").asText()).isEqualTo(ask.path("node_id").asText());

            base.send(reply(ask.path("node_id").asText(), Json.object().put("input", "teal")));
            frames.addAll(base.untilClosed());
            assertThat(base.closeCode()).isEqualTo(1000);

            assertThat(statuses(frames)).containsExactly("running", "start", "inner", "inner", "inner",
                    "ask_for_human_help", "inner", "inner", "finished");
            JsonNode start = frames.get(1).path("data");
            assertThat(start.path("goal").asText()).isEqualTo("write a poem about sockets");
            assertThat(start.path("subtasks").get(0).path("task_id").asText()).isEqualTo("1.1");
            assertThat(start.path("subtasks").get(0).path("inner").isArray()).isTrue();

            List<JsonNode> inner = frames.stream().filter(f -> f.path("status").asText().equals("inner")).toList();
            assertThat(inner).extracting(f -> f.path("current").asText()).containsOnly("1.1");
            assertThat(inner).extracting(f -> f.path("data").path("using_tools").path("tool_name").asText())
                    .containsExactly("plan", "write_file", "ask_user", "summarize", "finish");
            assertThat(inner.get(0).path("data").path("output").asText())
                    .isEqualTo("Planning: write a poem about sockets");
            assertThat(inner.get(0).path("data").path("step_id").asText()).isNotBlank();
            assertThat(inner.get(1).path("data").path("artifacts").get(0).asText()).isEqualTo("out/report.md");
            assertThat(inner.get(1).path("workspace_file_list").get(0).path("name").asText()).isEqualTo("out/report.md");
            assertThat(inner.get(3).path("data").path("using_tools").path("tool_input").path("input").asText())
                    .isEqualTo("teal");
            assertThat(inner.get(3).path("data").path("output").asText()).isEqualTo("Using your answer: teal");
            assertThat(inner.get(4).path("data").path("is_last").asBoolean()).isTrue();

            HttpForms.Reply file = HttpForms.post(server.http("/api/workspace/file"), Map.of("user_id", userId,
                    "token", token, "interaction_id", id, "file_name", "out/report.md"));
            assertThat(file.data().asText()).isEqualTo("# Report\n\nwrite a poem about sockets\n");

            List<JsonNode> events = untilNotification(watcher);
            List<JsonNode> nodes = ofMethod(events, "node_execution_event");
            assertThat(nodes).extracting(f -> f.path("data").path("node_exec_id").asText())
                    .containsExactlyElementsOf(frames.stream().map(f -> f.path("node_id").asText()).toList());
            assertThat(nodes).extracting(f -> f.path("data").path("graph_id").asText()).containsOnly("sdk");
            assertThat(ofMethod(events, "graph_execution_event")).extracting(f -> f.path("data").path("status").asText())
                    .containsSubsequence("RUNNING", "REVIEW", "RUNNING", "COMPLETED");
            assertThat(events.get(events.size() - 1).path("data").path("event").asText()).isEqualTo("run_finished");
        }
    }

    @Test
    void inManualModeEveryStepWaitsForTheHumanWhoseReplyIsTheNextInput() {
        String id = newInteraction();
        try (WsTestClient base = base(id)) {
            base.send(startFrame("sdk", "a short poem").put("mode", "manual"));
            JsonNode plan = last(framesThrough(base, "inner"));
            assertThat(plan.path("data").path("name").asText()).isEqualTo("plan");
            base.send(reply(plan.path("node_id").asText(), Json.object().put("input", "rhyme it")));
            JsonNode written = base.nextSkippingPongs();
            assertThat(written.path("data").path("output").asText()).isEqualTo("Wrote out/report.md as asked: rhyme it");
            base.send(reply(written.path("node_id").asText(), Json.object()));
            JsonNode ask = last(framesThrough(base, "ask_for_human_help"));
            base.send(reply(ask.path("node_id").asText(), Json.object().put("input", "teal")));
            JsonNode summary = base.nextSkippingPongs();
            assertThat(summary.path("data").path("output").asText()).isEqualTo("Using your answer: teal");
            base.send(reply(summary.path("node_id").asText(), Json.object()));
            List<JsonNode> rest = base.untilClosed();
            assertThat(statuses(rest)).containsExactly("inner", "finished");
        }
    }

    @Test
    void aRemoteServerErrorEndsTheRunAsFailedWithItsStatusAndMessage() {
        List<JsonNode> frames = runToEnd("sdk", "a poem [fail500]");
        assertThat(statuses(frames)).containsExactly("running", "start", "inner", "failed");
        assertThat(failure(frames)).contains("agent sdk", "HTTP 500", "the model backend is down");
    }

    @Test
    void aTaskTheServerRefusesEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd("sdk", "a poem [failtask]");
        assertThat(statuses(frames)).containsExactly("running", "failed");
        assertThat(failure(frames)).contains("POST /ap/v1/agent/tasks", "HTTP 500", "the agent cannot take this task");
    }

    @Test
    void aStepThatTakesLongerThanTheTimeoutEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd("impatient", "a poem [slow]");
        assertThat(statuses(frames)).containsExactly("running", "start", "inner", "failed");
        assertThat(failure(frames)).contains("agent impatient", "/steps", "gave no answer within 1000 ms");
    }

    @Test
    void anUnreachableServerEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd("gone", "a poem");
        assertThat(statuses(frames)).containsExactly("running", "failed");
        assertThat(failure(frames)).isEqualTo("agent gone: POST /ap/v1/agent/tasks could not connect to the agent's"
                + " server (AGENTS_GONE_URL)");
    }

    @Test
    void anAgentAskedToWriteA3GbFileEndsTheRunAsFailedWithoutReadingIt() {
        List<JsonNode> frames = runToEnd("sdk", "write a 3 GB file [3gb]");
        assertThat(statuses(frames)).containsExactly("running", "start", "failed");
        assertThat(failure(frames)).isEqualTo("agent sdk: artifact out/huge.bin is larger than "
                + RemoteAgentSettings.DEFAULT_MAX_ARTIFACT_BYTES + " bytes (AGENTS_SDK_MAX_DASH_ARTIFACT_DASH_BYTES);"
                + " it was not stored");
    }

    @Test
    void moreArtifactsThanTheRunMayKeepEndTheRunAsFailed() {
        String id = newInteraction();
        List<JsonNode> frames;
        try (WsTestClient base = base(id)) {
            base.send(startFrame("capped", "many files [many]"));
            frames = base.untilClosed().stream().filter(f -> f.has("node_id")).toList();
        }
        assertThat(statuses(frames)).containsExactly("running", "start", "failed");
        assertThat(failure(frames)).isEqualTo("agent capped: the task has more than 5 artifacts"
                + " (AGENTS_CAPPED_MAX_DASH_ARTIFACTS); the rest were not stored");
        List<List<String>> stored = server.query("SELECT COUNT(*) FROM workspace_files WHERE interaction_id = ?", id);
        assertThat(stored.get(0).get(0)).isEqualTo("5");
    }

    @Test
    void aTaskThatNeverEndsFailsAtTheStepLimit() {
        List<JsonNode> frames = runToEnd("bounded", "loop [endless]");
        assertThat(statuses(frames)).containsExactly("running", "start", "inner", "inner", "inner", "failed");
        assertThat(failure(frames)).isEqualTo("agent bounded did not finish within 3 steps");
    }

    @Test
    void closingTheSocketStopsTheRunBetweenSteps() {
        String id = newInteraction();
        String taskId;
        try (WsTestClient watcher = watch(id)) {
            try (WsTestClient base = base(id)) {
                base.send(startFrame("sdk", "loop [endless]"));
                List<JsonNode> frames = framesThrough(base, "inner");
                taskId = frames.get(1).path("data").path("remote_task_id").asText();
                framesThrough(base, "inner");
            }
            JsonNode terminated;
            do {
                terminated = watcher.next();
            } while (!terminated.path("data").path("status").asText().equals("TERMINATED"));
        }
        int executedRemotely = remote.stepsStarted(taskId);
        try (WsTestClient replay = WsTestClient.connect(server.ws("/ws/replay/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token)))) {
            replay.send("{\"type\":\"replay\"}");
            long shown = replay.untilClosed().stream().filter(f -> f.path("status").asText().equals("inner")).count();
            assertThat(executedRemotely).as("remote steps after the stop").isLessThan(20)
                    .isBetween((int) shown, (int) shown + 1);
        }
    }

    @Test
    void closingTheSocketDuringALongStepEndsTheRunWithoutWaitingForTheStep() {
        String id = newInteraction();
        try (WsTestClient watcher = watch(id)) {
            long closedAt;
            try (WsTestClient base = base(id)) {
                base.send(startFrame("sdk", "a poem [slow]"));
                framesThrough(base, "inner");
                closedAt = System.nanoTime();
            }
            JsonNode event;
            do {
                event = watcher.next();
            } while (!event.path("data").path("status").asText().equals("TERMINATED"));
            assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).as("the remote step takes 30 s")
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    private List<JsonNode> runToEnd(String agent, String goal) {
        try (WsTestClient base = base(newInteraction())) {
            base.send(startFrame(agent, goal));
            List<JsonNode> frames = base.untilClosed();
            assertThat(base.closeCode()).isEqualTo(1000);
            return frames.stream().filter(f -> f.has("node_id")).toList();
        }
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.get(frames.size() - 1);
    }

    private static String failure(List<JsonNode> frames) {
        JsonNode last = frames.get(frames.size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("failed");
        assertThat(last.path("data").asText()).isEqualTo(last.path("message").asText());
        return last.path("message").asText();
    }

    private String newInteraction() {
        HttpForms.Reply reply = HttpForms.post(server.http("/api/conv/init_conv_env"),
                Map.of("user_id", userId, "token", token));
        return reply.data().path("id").asText();
    }

    private WsTestClient base(String id) {
        WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token) + "&description=ap"));
        assertThat(base.next().path("status").asText()).isEqualTo("connect");
        return base;
    }

    private WsTestClient watch(String id) {
        WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(userId)));
        ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + id + "\"}}");
        assertThat(ws.next().path("success").asBoolean()).isTrue();
        return ws;
    }

    private static ObjectNode startFrame(String agent, String goal) {
        ObjectNode frame = Json.object().put("type", "data").put("agent", agent).put("mode", "auto");
        frame.putObject("args").put("goal", goal);
        frame.set("file_list", Json.array());
        return frame;
    }

    private static ObjectNode reply(String nodeId, ObjectNode args) {
        ObjectNode frame = startFrame("sdk", "");
        frame.set("args", args);
        frame.put("node_id", nodeId);
        return frame;
    }

    private static List<JsonNode> framesThrough(WsTestClient ws, String status) {
        List<JsonNode> frames = new ArrayList<>();
        JsonNode frame;
        do {
            frame = ws.nextSkippingPongs();
            frames.add(frame);
        } while (!frame.path("status").asText().equals(status));
        return frames;
    }

    private static List<JsonNode> untilNotification(WsTestClient ws) {
        List<JsonNode> frames = new ArrayList<>();
        while (true) {
            JsonNode frame = ws.next();
            frames.add(frame);
            if ("notification".equals(frame.path("method").asText())) {
                return frames;
            }
        }
    }

    private static List<JsonNode> ofMethod(List<JsonNode> frames, String method) {
        return frames.stream().filter(f -> method.equals(f.path("method").asText())).toList();
    }

    private static List<String> statuses(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("status").asText()).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
