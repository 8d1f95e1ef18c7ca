package io.agentserver.service.agent.a2a;

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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs of a remote A2A agent built with the official {@code @a2a-js/sdk} 1.3.0 server (Node), seen through
 * XAgent's {@code /ws/base} and AutoGPT's {@code /ws}: a goal in, steps, artifacts of every part kind, an
 * input-required round trip with a human reply over the real socket, failures, a cancel when our run stops, a
 * dropped stream resumed, polling for a card without streaming.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aAgentIT {

    private SdkA2aServer remote;
    private MisbehavingAgent misbehaving;
    private TestServer server;
    private String userId;
    private String token;

    @BeforeAll
    void start() throws IOException {
        remote = SdkA2aServer.start();
        misbehaving = MisbehavingAgent.start();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> config = new HashMap<>();
        agent(config, "remote", remote.base() + "/stream", SdkA2aServer.TOKEN);
        agent(config, "poller", remote.base() + "/poll/.well-known/agent-card.json", SdkA2aServer.TOKEN);
        config.put("agents.poller.poll-interval", "PT0.1S");
        agent(config, "quiet", remote.base() + "/stream/", SdkA2aServer.TOKEN);
        config.put("agents.quiet.idle-timeout", "PT1S");
        agent(config, "small", remote.base() + "/stream/", SdkA2aServer.TOKEN);
        config.put("agents.small.max-artifact-bytes", "1048576");
        agent(config, "tokenless", remote.base() + "/stream/", null);
        agent(config, "gone", "http://127.0.0.1:" + closedPort + "/", null);
        for (String name : MisbehavingAgent.AGENTS) {
            agent(config, name, misbehaving.base() + "/" + name + "/", "s3cret");
        }
        config.put("run.human-reply-timeout", "PT30S");
        // the suite runs many runs as the shared guest: it may run the test's agents, and limits are off
        config.put("xagent.guest-agents", "*");
        config.put("quota.runs-per-hour", "0");
        config.put("quota.concurrent-runs", "0");
        server = TestServer.start(TestDatabases.h2(), config);
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        userId = login.data().path("user_id").asText();
        token = login.data().path("token").asText();
    }

    private static void agent(Map<String, String> config, String name, String url, String token) {
        config.put("agents." + name + ".url", url);
        config.put("agents." + name + ".protocol", "a2a");
        if (token != null) {
            config.put("agents." + name + ".token", token);
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (remote != null) {
            remote.close();
        }
        if (misbehaving != null) {
            misbehaving.close();
        }
    }

    @Test
    void aGoalStreamsStepsAnArtifactAndTheHumansReplyGoesBackToTheSameRemoteTask() {
        String id = newInteraction();
        try (WsTestClient watcher = watch(id); WsTestClient base = base(id)) {
            base.send(startFrame("remote", "write a poem about sockets"));
            List<JsonNode> frames = new ArrayList<>(framesThrough(base, "ask_for_human_help"));
            JsonNode ask = last(frames);
            assertThat(ask.path("data").asText()).isEqualTo("Which colour should the summary use?");

            base.send(reply(ask.path("node_id").asText(), Json.object().put("answer", "teal")));
            frames.addAll(base.untilClosed());
            assertThat(base.closeCode()).isEqualTo(1000);
            frames = steps(frames);

            assertThat(statuses(frames)).containsExactly("running", "start", "inner", "inner", "ask_for_human_help",
                    "inner", "inner", "inner", "finished");
            JsonNode plan = frames.get(1).path("data");
            assertThat(plan.path("goal").asText()).isEqualTo("write a poem about sockets");
            assertThat(plan.path("subtasks")).hasSize(1);
            assertThat(plan.path("subtasks").get(0).path("task_id").asText()).isEqualTo("1.1");
            assertThat(plan.path("subtasks").get(0).path("name").asText()).isEqualTo("Streaming Test Agent");

            List<JsonNode> inner = ofStatus(frames, "inner");
            assertThat(inner).extracting(f -> f.path("current").asText()).containsOnly("1.1");
            assertThat(inner).extracting(f -> f.path("data").path("using_tools").path("tool_name").asText())
                    .containsOnly("a2a:Streaming Test Agent");
            assertThat(inner).extracting(f -> f.path("data").path("using_tools").path("tool_status_code").asText())
                    .containsOnly("TOOL_CALL_SUCCESS");
            assertThat(inner.get(0).path("data").path("thoughts").asText()).isEqualTo("Planning: write a poem about sockets");
            assertThat(inner.get(1).path("data").path("artifacts").get(0).asText()).isEqualTo("report.md");
            assertThat(inner.get(1).path("workspace_file_list").get(0).path("name").asText()).isEqualTo("report.md");
            assertThat(inner.get(2).path("data").path("thoughts").asText()).isEqualTo("Using your answer: teal");
            assertThat(inner.get(3).path("data").path("artifacts").get(0).asText()).isEqualTo("summary.json");
            assertThat(inner.get(4).path("data").path("thoughts").asText()).isEqualTo("All done");
            assertThat(inner).extracting(f -> f.path("data").path("remote_task_id").asText()).doesNotContain("")
                    .as("one remote task before and after the reply").containsOnly(inner.get(0).path("data")
                            .path("remote_task_id").asText());

            assertThat(file(id, "report.md")).isEqualTo("# Report\n\nwrite a poem about sockets\n");
            JsonNode summary = Json.read(file(id, "summary.json"));
            assertThat(summary.path("colour").asText()).isEqualTo("teal");
            assertThat(summary.path("goal").asText()).isEqualTo("write a poem about sockets");

            List<JsonNode> events = untilNotification(watcher);
            assertThat(ofMethod(events, "node_execution_event")).hasSize(frames.size());
            assertThat(ofMethod(events, "graph_execution_event")).extracting(f -> f.path("data").path("status").asText())
                    .containsSubsequence("RUNNING", "REVIEW", "RUNNING", "COMPLETED");
        }
    }

    @Test
    void anAgentWithoutStreamingIsPolledAndItsCardMayBeGivenByUrl() {
        String id = newInteraction();
        try (WsTestClient base = base(id)) {
            base.send(startFrame("poller", "a poem"));
            JsonNode ask = last(framesThrough(base, "ask_for_human_help"));
            assertThat(ask.path("data").asText()).isEqualTo("Which colour should the summary use?");
            base.send(reply(ask.path("node_id").asText(), Json.object().put("answer", "green")));
            List<JsonNode> rest = steps(base.untilClosed());
            assertThat(last(rest).path("status").asText()).isEqualTo("finished");
            assertThat(ofStatus(rest, "inner")).extracting(f -> f.path("data").path("using_tools").path("tool_name")
                    .asText()).containsOnly("a2a:Polling Test Agent");
            assertThat(Json.read(file(id, "summary.json")).path("colour").asText()).isEqualTo("green");
            assertThat(file(id, "report.md")).isEqualTo("# Report\n\na poem\n");
        }
    }

    @Test
    void everyKindOfPartBecomesAWorkspaceFile() {
        String id = newInteraction();
        List<JsonNode> frames = runToEnd(id, "remote", "files please [files]");
        assertThat(last(frames).path("status").asText()).isEqualTo("finished");
        assertThat(ofStatus(frames, "inner")).flatExtracting(f -> List.of(f.path("data").path("artifacts").path(0).asText()))
                .contains("logo.png", "facts.json", "notes.txt", "story.md", "evil.txt");
        assertThat(fileBytes(id, "logo.png")).isEqualTo(new byte[]{(byte) 0x89, 0x50, 0x4e, 0x47, 0, (byte) 255});
        JsonNode facts = Json.read(file(id, "facts.json"));
        assertThat(facts.path("answer").asInt()).isEqualTo(42);
        assertThat(file(id, "notes.txt")).isEqualTo("notes fetched by url\n");
        assertThat(file(id, "story.md")).isEqualTo("Once upon a time, the end.\n");
        assertThat(file(id, "evil.txt")).isEqualTo("kept inside");
    }

    @Test
    void aFailedTaskEndsTheRunAsFailedWithTheAgentsReason() {
        List<JsonNode> frames = runToEnd(newInteraction(), "remote", "a poem [fail]");
        assertThat(statuses(frames)).containsExactly("running", "start", "inner", "failed");
        assertThat(failure(frames)).isEqualTo("agent remote failed the task: the model backend is down");
    }

    @Test
    void aRejectedTaskEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd(newInteraction(), "remote", "a poem [reject]");
        assertThat(failure(frames)).isEqualTo("agent remote rejected the task: I do not write poems");
    }

    @Test
    void aTaskThatNeedsAuthorizationEndsTheRunAsFailedAndIsCancelled() {
        String id = newInteraction();
        List<JsonNode> frames = runToEnd(id, "remote", "a calendar [auth]");
        assertThat(failure(frames)).contains("agent remote asks for an authorization this server cannot give",
                "TASK_STATE_AUTH_REQUIRED", "sign in to the calendar first");
        remote.awaitCancel(remoteTaskId(frames), Duration.ofSeconds(15));
    }

    @Test
    void anExecutorThatThrowsEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd(newInteraction(), "remote", "a poem [throw]");
        assertThat(statuses(frames)).containsExactly("running", "start", "failed");
        assertThat(failure(frames)).startsWith("agent remote failed the task: ").contains("the executor broke");
    }

    @Test
    void aMessageInsteadOfATaskIsOneInnerStepThenFinished() {
        List<JsonNode> frames = runToEnd(newInteraction(), "remote", "hello [message]");
        assertThat(statuses(frames)).containsExactly("running", "start", "inner", "finished");
        assertThat(frames.get(2).path("data").path("thoughts").asText()).isEqualTo("Echo: hello [message]");
    }

    @Test
    void closingTheSocketCancelsTheRemoteTask() {
        String id = newInteraction();
        String remoteTask;
        try (WsTestClient watcher = watch(id)) {
            try (WsTestClient base = base(id)) {
                base.send(startFrame("remote", "count [endless]"));
                framesThrough(base, "inner");
                remoteTask = last(framesThrough(base, "inner")).path("data").path("remote_task_id").asText();
                assertThat(remote.cancelled(remoteTask)).isFalse();
            }
            remote.awaitCancel(remoteTask, Duration.ofSeconds(15));
            JsonNode event;
            do {
                event = watcher.next();
            } while (!event.path("data").path("status").asText().equals("TERMINATED"));
        }
    }

    @Test
    void aDroppedStreamIsResumedWithSubscribeToTask() {
        String id = newInteraction();
        List<JsonNode> frames = runToEnd(id, "remote", "go on [drop]");
        assertThat(remote.dropped(remoteTaskId(frames))).as("the server cut the stream").isTrue();
        assertThat(last(frames).path("status").asText()).isEqualTo("finished");
        assertThat(ofStatus(frames, "inner")).extracting(f -> f.path("data").path("thoughts").asText())
                .startsWith("Planning: go on [drop]").contains("Finished after the drop");
        assertThat(file(id, "after-drop.txt")).isEqualTo("written after the drop");
    }

    @Test
    void aStreamThatSetsEventIdsIsResumedAfterTheLastOneSeen() {
        List<JsonNode> frames = runToEnd(newInteraction(), "resumable", "a poem");
        assertThat(statuses(frames)).containsExactly("running", "start", "inner", "inner", "finished");
        assertThat(ofStatus(frames, "inner")).extracting(f -> f.path("data").path("thoughts").asText())
                .containsExactly("first", "done");
        assertThat(misbehaving.lastEventIds()).containsExactly("1.0");
    }

    @Test
    void aTaskThatSaysNothingForTheIdleTimeoutFailsAndIsCancelled() {
        List<JsonNode> frames = runToEnd(newInteraction(), "quiet", "wait [silent]");
        assertThat(statuses(frames)).containsExactly("running", "start", "inner", "failed");
        assertThat(failure(frames)).isEqualTo("agent quiet sent nothing for 1000 ms (idle-timeout); the run was ended");
        remote.awaitCancel(remoteTaskId(frames), Duration.ofSeconds(15));
    }

    @Test
    void aFileOverTheCapEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd(newInteraction(), "small", "a big file [big]");
        assertThat(failure(frames)).isEqualTo("agent small sent big.txt larger than 1048576 bytes (max-artifact-bytes); "
                + "the run was ended");
    }

    @Test
    void aRefusedCallEndsTheRunAsFailedWithItsHttpStatus() {
        List<JsonNode> frames = runToEnd(newInteraction(), "tokenless", "a poem");
        assertThat(statuses(frames)).containsExactly("running", "start", "failed");
        assertThat(failure(frames)).isEqualTo("agent tokenless: POST /stream/ answered HTTP 401: missing or wrong "
                + "bearer token");
    }

    @Test
    void anUnreachableAgentEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd(newInteraction(), "gone", "a poem");
        assertThat(statuses(frames)).containsExactly("running", "failed");
        assertThat(failure(frames)).isEqualTo("agent gone: GET /.well-known/agent-card.json could not connect to the "
                + "agent's server (AGENTS_GONE_URL)");
    }

    @Test
    void anAnswerThatIsNotJsonEndsTheRunAsFailed() {
        List<JsonNode> frames = runToEnd(newInteraction(), "notjson", "a poem");
        assertThat(statuses(frames)).containsExactly("running", "start", "failed");
        assertThat(failure(frames)).isEqualTo("agent notjson: POST /notjson/rpc (SendMessage) answered something that "
                + "is not JSON");
    }

    @Test
    void aJsonRpcErrorEndsTheRunAsFailedWithItsCodeAndMessage() {
        List<JsonNode> frames = runToEnd(newInteraction(), "rpcerror", "a poem");
        assertThat(failure(frames)).isEqualTo("agent rpcerror: POST /rpcerror/rpc (SendMessage) answered JSON-RPC "
                + "error -32603 INTERNAL: the planner crashed");
    }

    @Test
    void aCardWithoutAJsonRpcInterfaceForVersionOneEndsTheRunSayingWhatItOffers() {
        List<JsonNode> frames = runToEnd(newInteraction(), "restonly", "a poem");
        assertThat(statuses(frames)).containsExactly("running", "failed");
        assertThat(failure(frames)).isEqualTo("agent restonly: its card offers no JSONRPC interface for A2A 1.0 "
                + "(it offers HTTP+JSON 1.0, JSONRPC 0.3)");
    }

    @Test
    void aRedirectToAnotherOriginIsNotFollowedAndARedirectWithinTheOriginIs() {
        List<JsonNode> frames = runToEnd(newInteraction(), "moved", "a poem");
        assertThat(failure(frames)).isEqualTo("agent moved: GET /moved/.well-known/agent-card.json was redirected "
                + "(HTTP 302) away from the agent's server; only redirects within AGENTS_MOVED_URL are followed");
        assertThat(misbehaving.requests()).as("nothing was asked of the other origin")
                .noneMatch(r -> r.startsWith("GET /elsewhere"));

        List<JsonNode> near = runToEnd(newInteraction(), "nearby", "a poem");
        assertThat(failure(near)).as("the card was found one redirect away, and its endpoint was called")
                .startsWith("agent nearby: POST /nearby/rpc (SendMessage) answered JSON-RPC error");
    }

    @Test
    void everyCallCarriesTheProtocolVersionAndTheToken() {
        runToEnd(newInteraction(), "rpcerror", "a poem");
        assertThat(misbehaving.requests()).isNotEmpty()
                .allMatch(r -> r.endsWith(" A2A-Version=1.0 Authorization=Bearer s3cret"));
    }

    private String remoteTaskId(List<JsonNode> frames) {
        return ofStatus(frames, "inner").get(0).path("data").path("remote_task_id").asText();
    }

    private List<JsonNode> runToEnd(String id, String agent, String goal) {
        try (WsTestClient base = base(id)) {
            base.send(startFrame(agent, goal));
            List<JsonNode> frames = base.untilClosed();
            assertThat(base.closeCode()).isEqualTo(1000);
            return steps(frames);
        }
    }

    private String file(String id, String name) {
        HttpForms.Reply file = HttpForms.post(server.http("/api/workspace/file"), Map.of("user_id", userId,
                "token", token, "interaction_id", id, "file_name", name));
        assertThat(file.status()).as("reading " + name).isEqualTo(200);
        return file.data().asText();
    }

    /** A workspace file's bytes, read from the database (H2) as the workspace route gives text. */
    private byte[] fileBytes(String id, String name) {
        List<List<String>> rows = server.query("SELECT RAWTOHEX(content) FROM workspace_files "
                + "WHERE interaction_id = ? AND name = ?", id, name);
        assertThat(rows).hasSize(1);
        return HexFormat.of().parseHex(rows.get(0).get(0));
    }

    private static List<JsonNode> steps(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.has("node_id")).toList();
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.get(frames.size() - 1);
    }

    private static String failure(List<JsonNode> frames) {
        JsonNode last = last(frames);
        assertThat(last.path("status").asText()).isEqualTo("failed");
        return last.path("message").asText();
    }

    private String newInteraction() {
        HttpForms.Reply reply = HttpForms.post(server.http("/api/conv/init_conv_env"),
                Map.of("user_id", userId, "token", token));
        return reply.data().path("id").asText();
    }

    private WsTestClient base(String id) {
        WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token) + "&description=a2a"));
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
        ObjectNode frame = startFrame("remote", "");
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

    private static List<JsonNode> ofStatus(List<JsonNode> frames, String status) {
        return frames.stream().filter(f -> status.equals(f.path("status").asText())).toList();
    }

    private static List<String> statuses(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("status").asText()).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
