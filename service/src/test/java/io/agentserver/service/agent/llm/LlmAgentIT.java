package io.agentserver.service.agent.llm;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.agentserver.service.agent.llm.FakeChatServer.args;
import static io.agentserver.service.agent.llm.FakeChatServer.error;
import static io.agentserver.service.agent.llm.FakeChatServer.plan;
import static io.agentserver.service.agent.llm.FakeChatServer.slow;
import static io.agentserver.service.agent.llm.FakeChatServer.text;
import static io.agentserver.service.agent.llm.FakeChatServer.toolCall;
import static io.agentserver.service.agent.llm.FakeChatServer.toolCallRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LLM agent end to end: a real agent server whose default agent is {@code llm}, talking over real HTTP to
 * a scripted Chat Completions server, watched through {@code /ws/base} (XAgent) and {@code /ws} (AutoGPT).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlmAgentIT {

    private static final String API_KEY = "sk-test-key";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_STEPS = 30;

    private final FakeChatServer model = new FakeChatServer();
    private TestServer server;
    private String userId;
    private String token;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.ofEntries(
                Map.entry("agents.default", "llm"),
                Map.entry("llm.base.url", model.baseUrl()),
                Map.entry("llm.api.key", API_KEY),
                Map.entry("llm.model", "test-model"),
                Map.entry("llm.timeout", TIMEOUT.toString()),
                Map.entry("llm.max.steps", String.valueOf(MAX_STEPS)),
                Map.entry("llm.max.tokens", "512"),
                Map.entry("llm.max.retries", "2"),
                Map.entry("xagent.guest-agents", "*"),
                Map.entry("quota.runs-per-hour", "0"),
                Map.entry("quota.concurrent-runs", "0")));
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        userId = login.data().path("user_id").asText();
        token = login.data().path("token").asText();
    }

    @AfterAll
    void stop() {
        server.close();
        model.close();
    }

    @BeforeEach
    void freshScript() {
        model.reset();
    }

    @Test
    void runPlansWritesAndReadsFilesAndFinishesOnBothSockets() {
        model.then(
                toolCall("make_plan", plan("Write the haiku", "Check the haiku")),
                toolCall("write_file", args("path", "haiku.md", "content", "sockets hum softly")),
                toolCall("submit_subtask", args("result", "haiku.md written")),
                toolCall("list_files", args()),
                toolCall("read_file", args("path", "haiku.md")),
                toolCall("submit_subtask", args("result", "the haiku reads well")));
        String id = newInteraction();
        try (WsTestClient watcher = watch(id); WsTestClient base = start(id, "write a haiku about sockets")) {
            List<JsonNode> frames = framesThrough(base, "finished");
            frames.forEach(f -> System.out.println("transcript <- " + abbreviated(f)));
            assertThat(statuses(frames)).containsExactly("start", "inner", "subtask_submit", "refinement", "subtask",
                    "inner", "inner", "subtask_submit", "refinement", "finished");

            JsonNode startStep = frames.get(0);
            assertThat(startStep.path("data").path("subtasks")).extracting(s -> s.path("goal").asText())
                    .containsExactly("Write the haiku", "Check the haiku");
            assertThat(startStep.path("data").path("subtasks")).extracting(s -> s.path("task_id").asText())
                    .containsExactly("1.1", "1.2");

            JsonNode write = frames.get(1);
            assertThat(write.path("current").asText()).isEqualTo("1.1");
            assertThat(write.path("data").path("thoughts").asText()).isEqualTo("thinking");
            assertThat(write.path("data").path("reasoning").asText()).isEqualTo("because");
            assertThat(write.path("data").path("criticism").asText()).isEqualTo("none");
            assertThat(write.path("data").path("plan").get(0).asText()).isEqualTo("next");
            JsonNode tool = write.path("data").path("using_tools");
            assertThat(tool.path("tool_name").asText()).isEqualTo("write_file");
            assertThat(tool.path("tool_input").path("path").asText()).isEqualTo("haiku.md");
            assertThat(tool.path("tool_input").has("thoughts")).isFalse();
            assertThat(tool.path("tool_status_code").asText()).isEqualTo("TOOL_CALL_SUCCESS");
            assertThat(write.path("workspace_file_list").toString()).contains("haiku.md");

            assertThat(frames.get(2).path("data").path("using_tools").path("tool_status_code").asText())
                    .isEqualTo("SUBMIT_AS_SUCCESS");
            assertThat(frames.get(3).path("data").path("action_list_summary").asText()).isEqualTo("haiku.md written");
            assertThat(frames.get(5).path("data").path("using_tools").path("tool_output").asText()).contains("haiku.md");
            assertThat(frames.get(6).path("data").path("using_tools").path("tool_output").asText())
                    .isEqualTo("sockets hum softly");
            assertThat(frames.get(6).path("current").asText()).isEqualTo("1.2");

            HttpForms.Reply file = HttpForms.post(server.http("/api/workspace/file"), Map.of("user_id", userId,
                    "token", token, "interaction_id", id, "file_name", "haiku.md"));
            assertThat(file.data().asText()).isEqualTo("sockets hum softly");
            assertThat(awaitStatus(id, "finished")).isEqualTo("finished");

            List<JsonNode> events = untilNotification(watcher);
            List<JsonNode> nodes = events.stream().filter(f -> "node_execution_event".equals(f.path("method").asText())).toList();
            assertThat(nodes).extracting(f -> f.path("data").path("node_exec_id").asText())
                    .containsAll(frames.stream().map(f -> f.path("node_id").asText()).toList());
            assertThat(events.stream().filter(f -> "graph_execution_event".equals(f.path("method").asText())))
                    .extracting(f -> f.path("data").path("status").asText()).contains("COMPLETED");
        }

        List<FakeChatServer.Request> requests = model.requests();
        assertThat(requests).hasSize(6);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.authorization()).isEqualTo("Bearer " + API_KEY);
            assertThat(r.body().path("model").asText()).isEqualTo("test-model");
            assertThat(r.body().path("max_completion_tokens").asInt()).isEqualTo(512);
        });
        assertThat(toolNames(requests.get(0))).containsExactly("make_plan");
        assertThat(toolNames(requests.get(1))).containsExactly("read_file", "write_file", "list_files",
                "submit_subtask");
        JsonNode toolAnswer = last(requests.get(2).body().path("messages"));
        assertThat(toolAnswer.path("role").asText()).isEqualTo("tool");
        assertThat(toolAnswer.path("content").asText()).contains("haiku.md");
        assertThat(requests.get(3).body().path("messages").get(1).path("content").asText())
                .contains("done: haiku.md written").contains("Work now on subtask 1.2");

        String metrics = metrics();
        assertThat(metrics).contains("agentserver_runs_total{agent=\"llm\",status=\"finished\"}")
                .contains("agentserver_steps_total{agent=\"llm\",status=\"inner\"}")
                .contains("agentserver_model_request_seconds_count{agent=\"llm\"}")
                .contains("agentserver_model_tokens_total{agent=\"llm\",kind=\"prompt\"}");
    }

    @Test
    void humanReplyMidRunIsWhatTheModelReadsNext() {
        model.then(
                toolCall("make_plan", plan("Pick a colour")),
                toolCall("ask_human", args("question", "Which colour?")),
                toolCall("write_file", args("path", "colour.txt", "content", "teal")),
                toolCall("submit_subtask", args("result", "teal")));
        String id = newInteraction();
        try (WsTestClient base = start(id, "pick a colour with me", "auto", Json.array(), true)) {
            List<JsonNode> frames = framesThrough(base, "ask_for_human_help");
            JsonNode ask = frames.getLast();
            assertThat(ask.path("data").asText()).isEqualTo("Which colour?");
            assertThat(awaitStatus(id, "ask_for_human_help")).isEqualTo("ask_for_human_help");

            base.send(reply(ask, Json.object().put("content", "teal, please")));

            List<JsonNode> rest = framesThrough(base, "finished");
            assertThat(statuses(rest)).containsExactly("inner", "inner", "subtask_submit", "refinement", "finished");
            assertThat(rest.get(0).path("data").path("using_tools").path("tool_name").asText()).isEqualTo("ask_human");
            assertThat(rest.get(0).path("data").path("using_tools").path("tool_output").asText()).isEqualTo("teal, please");
        }
        JsonNode afterReply = last(model.requests().get(2).body().path("messages"));
        assertThat(afterReply.path("role").asText()).isEqualTo("tool");
        assertThat(afterReply.path("content").asText()).isEqualTo("teal, please");
        assertThat(awaitStatus(id, "finished")).isEqualTo("finished");
    }

    @Test
    void manualModeWaitsOnThePlanAndAfterEachStepAndPassesTheHumanOn() {
        model.then(
                toolCall("make_plan", plan("Draft a title")),
                toolCall("write_file", args("path", "title.txt", "content", "Sockets")),
                toolCall("submit_subtask", args("result", "titled")));
        String id = newInteraction();
        try (WsTestClient base = start(id, "title my post", "manual")) {
            JsonNode planStep = framesThrough(base, "start").getLast();
            assertThat(awaitStatus(id, "ask_for_human_help")).isEqualTo("ask_for_human_help");
            base.send(reply(planStep, Json.object().put("goal", "Draft a short title")));

            JsonNode inner = framesThrough(base, "inner").getLast();
            assertThat(model.requests()).hasSize(2);
            base.send(reply(inner, Json.object().put("content", "make it shorter")));

            assertThat(statuses(framesThrough(base, "finished")))
                    .containsExactly("subtask_submit", "refinement", "finished");
        }
        List<FakeChatServer.Request> requests = model.requests();
        assertThat(requests.get(1).body().path("messages").get(1).path("content").asText())
                .contains("Work now on subtask 1.1: Draft a short title");
        assertThat(last(requests.get(2).body().path("messages")).path("content").asText())
                .isEqualTo("The human says: make it shorter");
    }

    @Test
    void rateLimitIsRetriedAfterTheRetryAfterPause() {
        model.then(
                error(429, "Rate limit reached", Map.of("Retry-After", "1")),
                toolCall("make_plan", plan("One thing")),
                toolCall("submit_subtask", args("result", "done")));
        String id = newInteraction();
        try (WsTestClient base = start(id, "one thing")) {
            assertThat(statuses(framesThrough(base, "finished")))
                    .containsExactly("start", "subtask_submit", "refinement", "finished");
        }
        List<FakeChatServer.Request> requests = model.requests();
        assertThat(requests).hasSize(3);
        long pausedMillis = (requests.get(1).arrivedNanos() - requests.get(0).answeredNanos()) / 1_000_000;
        assertThat(pausedMillis).as("pause before the retry").isGreaterThanOrEqualTo(950);
        assertThat(metrics()).contains("agentserver_agent_upstream_errors_total{agent=\"llm\",kind=\"rate_limited\"}");
    }

    @Test
    void badKeyFailsTheRunSayingWhichSettingToCheck() {
        model.then(error(401, "Incorrect API key provided: " + API_KEY + ". Find your key at " + model.baseUrl(), Map.of()));
        String failure = failedRun("anything");
        assertThat(failure).contains("refused the API key (401)").contains("LLM_API_KEY")
                .contains("Incorrect API key provided: ***").doesNotContain(API_KEY).doesNotContain(model.baseUrl());
        assertThat(model.requests()).hasSize(1);
        assertThat(metrics()).contains("agentserver_agent_upstream_errors_total{agent=\"llm\",kind=\"unauthorized\"}");
    }

    @Test
    void rateLimitThatPersistsFailsAfterTheRetries() {
        model.then(error(429, "slow down", Map.of("Retry-After", "0")), error(429, "slow down", Map.of("Retry-After", "0")),
                error(429, "slow down", Map.of("Retry-After", "0")));
        assertThat(failedRun("anything")).contains("rate-limiting").contains("after 2 retries");
        assertThat(model.requests()).hasSize(3);
    }

    @Test
    void modelThatDoesNotAnswerInTimeFailsTheRun() {
        model.then(slow(toolCall("make_plan", plan("late")), TIMEOUT.plusSeconds(3)));
        assertThat(failedRun("anything")).contains("did not answer within 3 s").contains("LLM_TIMEOUT");
        assertThat(metrics()).contains("agentserver_agent_upstream_errors_total{agent=\"llm\",kind=\"timeout\"}");
    }

    @Test
    void malformedToolArgumentsAreReaskedAndTheRunGoesOn() {
        model.then(
                toolCall("make_plan", plan("Write it")),
                toolCallRaw("write_file", "{\"path\": \"a.txt\", \"content\": "),
                toolCall("write_file", args("path", "a.txt", "content", "fixed")),
                toolCall("submit_subtask", args("result", "ok")));
        String id = newInteraction();
        try (WsTestClient base = start(id, "write it")) {
            assertThat(statuses(framesThrough(base, "finished")))
                    .containsExactly("start", "inner", "subtask_submit", "refinement", "finished");
        }
        List<JsonNode> reask = messages(model.requests().get(2));
        assertThat(reask.get(reask.size() - 2).path("role").asText()).isEqualTo("tool");
        assertThat(reask.get(reask.size() - 2).path("content").asText()).contains("not a JSON object");
        assertThat(reask.getLast().path("content").asText()).contains("not a valid tool call");
    }

    @Test
    void modelThatKeepsAnsweringWithInvalidPlansFailsTheRun() {
        model.then(toolCallRaw("make_plan", "{\"subtasks\": "), toolCallRaw("make_plan", "{not json"),
                toolCall("make_plan", Json.object().put("subtasks", "one")));
        String failure = failedRun("anything");
        assertThat(failure).contains("3 times in a row without a usable plan")
                .contains("make_plan needs the argument 'subtasks'")
                .endsWith("(this run used 360 model tokens in 3 requests)");
        assertThat(model.requests()).hasSize(3);
    }

    @Test
    void modelThatKeepsAnsweringWithInvalidCallsDuringASubtaskFailsTheRun() {
        model.then(toolCall("make_plan", plan("Loop")), toolCallRaw("write_file", "{"),
                toolCall("no_such_tool", args()), toolCallRaw("read_file", "[]"));
        String failure = failedRun("anything");
        assertThat(failure).contains("3 times in a row without a valid tool call")
                .contains("the arguments of read_file are not a JSON object");
        List<FakeChatServer.Request> requests = model.requests();
        assertThat(requests.get(2).body().path("tool_choice").asText()).as("a re-ask requires a call")
                .isEqualTo("required");
    }

    @Test
    void runThatReachesTheStepLimitFails() {
        model.then(toolCall("make_plan", plan("Loop")));
        for (int i = 0; i < MAX_STEPS; i++) {
            model.then(toolCall("list_files", args()));
        }
        String failure = failedRun("loop forever");
        assertThat(failure).contains("limit of " + MAX_STEPS + " model requests").contains("LLM_MAX_STEPS");
        assertThat(model.requests()).hasSize(MAX_STEPS);
    }

    @Test
    void clientThatLeavesDuringARateLimitPauseMakesNoFurtherRequest() throws InterruptedException {
        model.then(error(429, "slow down", Map.of("Retry-After", "2")), toolCall("make_plan", plan("never")));
        String id = newInteraction();
        WsTestClient base = start(id, "leave early");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (model.requests().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        base.close();
        assertThat(awaitStatus(id, "closed")).isEqualTo("closed");
        Thread.sleep(2_500);
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void uploadsAreReadableAndAPathOutsideTheWorkspaceIsAFailedToolCall() {
        JsonNode upload = upload("notes.txt", "remember the milk");
        model.then(
                toolCall("make_plan", plan("Use the notes")),
                toolCall("list_files", args()),
                toolCall("read_file", args("path", "notes.txt")),
                toolCall("write_file", args("path", "../escape.txt", "content", "x")),
                toolCall("submit_subtask", args("result", "read")));
        String id = newInteraction();
        List<JsonNode> frames;
        try (WsTestClient base = start(id, "use my notes", "auto", Json.array().add(upload))) {
            frames = framesThrough(base, "finished");
        }
        assertThat(statuses(frames)).containsExactly("start", "inner", "inner", "inner", "subtask_submit",
                "refinement", "finished");
        assertThat(frames.get(1).path("data").path("using_tools").path("tool_output").asText()).contains("notes.txt");
        assertThat(frames.get(2).path("data").path("using_tools").path("tool_output").asText())
                .isEqualTo("remember the milk");
        JsonNode escape = frames.get(3).path("data").path("using_tools");
        assertThat(escape.path("tool_status_code").asText()).isEqualTo("TOOL_CALL_FAILED");
        assertThat(escape.path("tool_output").asText()).contains("not a valid workspace file name");
        assertThat(model.requests().get(0).body().path("messages").get(1).path("content").asText())
                .contains("Files in the workspace: notes.txt");
    }

    @Test
    void serverErrorIsRetriedWithBackOff() {
        model.then(
                error(503, "overloaded", Map.of()),
                toolCall("make_plan", plan("One thing")),
                toolCall("submit_subtask", args("result", "done")));
        String id = newInteraction();
        try (WsTestClient base = start(id, "one thing")) {
            assertThat(statuses(framesThrough(base, "finished")))
                    .containsExactly("start", "subtask_submit", "refinement", "finished");
        }
        assertThat(model.requests()).hasSize(3);
        assertThat(metrics()).contains("agentserver_agent_upstream_errors_total{agent=\"llm\",kind=\"server_error\"}");
    }

    @Test
    void unknownModelFailsTheRunNamingTheSettingsToCheck() {
        model.then(error(404, "The model `test-model` does not exist", Map.of()));
        assertThat(failedRun("anything")).contains("refused the request (404)").contains("LLM_MODEL")
                .contains("does not exist");
    }

    @Test
    void unreachableModelServerFailsTheRun() throws java.io.IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/v1";
        try (TestServer other = TestServer.start(TestDatabases.h2(), Map.of("llm.base.url", unreachable,
                "llm.model", "m", "xagent.guest-agents", "llm"))) {
            HttpForms.Reply login = HttpForms.post(other.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
            String guestToken = login.data().path("token").asText();
            String id = HttpForms.post(other.http("/api/conv/init_conv_env"), Map.of("user_id", userId, "token", guestToken))
                    .data().path("id").asText();
            try (WsTestClient base = WsTestClient.connect(other.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                    + "&token=" + enc(guestToken) + "&description=x"))) {
                base.send("{\"type\":\"data\",\"agent\":\"llm\",\"mode\":\"auto\",\"args\":{\"goal\":\"g\"},\"file_list\":[]}");
                JsonNode failed = framesThrough(base, "failed").getLast();
                assertThat(failed.path("data").asText()).startsWith("cannot reach the model server (LLM_BASE_URL)")
                        .doesNotContain("127.0.0.1").doesNotContain(String.valueOf(closedPort));
            }
        }
    }

    @Test
    void serverWithADefaultAgentThatIsNotRegisteredDoesNotStart() {
        assertThatThrownBy(() -> TestServer.start(TestDatabases.h2(), Map.of("agents.default", "llm")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AGENTS_DEFAULT").hasMessageContaining("'llm'");
    }

    /**
     * One model request per step, and what the server adds to it: from the fake model's answer being written
     * to the step's frame arriving at the client (SDK parsing, tool, store, publish, socket write).
     */
    @Test
    void eachStepCostsOneModelRequestAndLittleServerTime() {
        int steps = 20;
        model.then(toolCall("make_plan", plan("Write many files")));
        for (int i = 0; i < steps; i++) {
            model.then(toolCall("write_file", args("path", "f" + i + ".txt", "content", "line " + i)));
        }
        model.then(toolCall("submit_subtask", args("result", "all written")));
        String id = newInteraction();
        String metricsBefore = metrics();
        List<Long> arrivals = new ArrayList<>();
        List<JsonNode> frames = new ArrayList<>();
        try (WsTestClient base = start(id, "write many files")) {
            while (frames.isEmpty() || !frames.getLast().path("status").asText().equals("finished")) {
                JsonNode frame = base.nextSkippingPongs();
                long now = System.nanoTime();
                if (frame.has("node_id") && !frame.path("status").asText().equals("running")) {
                    frames.add(frame);
                    arrivals.add(now);
                }
            }
        }
        List<FakeChatServer.Request> requests = model.requests();
        int modelSteps = (int) frames.stream().filter(f -> List.of("start", "inner", "subtask_submit")
                .contains(f.path("status").asText())).count();
        assertThat(requests).hasSize(modelSteps);
        List<Long> overheadMicros = new ArrayList<>();
        List<Long> roundTripMicros = new ArrayList<>();
        int frame = 0;
        for (FakeChatServer.Request request : requests) {
            while (!List.of("start", "inner", "subtask_submit").contains(frames.get(frame).path("status").asText())) {
                frame++;
            }
            overheadMicros.add((arrivals.get(frame) - request.answeredNanos()) / 1_000);
            roundTripMicros.add((request.answeredNanos() - request.arrivedNanos()) / 1_000);
            frame++;
        }
        List<Long> sorted = overheadMicros.stream().sorted().toList();
        long p50 = sorted.get(sorted.size() / 2);
        long p95 = sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
        List<Long> between = new ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            between.add((requests.get(i).arrivedNanos() - requests.get(i - 1).answeredNanos()) / 1_000);
        }
        String metricsAfter = metrics();
        double storedToWrittenMs = 1000 * (sample(metricsAfter, "agentserver_step_latency_seconds_sum{protocol=\"xagent\"}")
                - sample(metricsBefore, "agentserver_step_latency_seconds_sum{protocol=\"xagent\"}"))
                / (sample(metricsAfter, "agentserver_step_latency_seconds_count{protocol=\"xagent\"}")
                - sample(metricsBefore, "agentserver_step_latency_seconds_count{protocol=\"xagent\"}"));
        System.out.printf("measure stored_to_socket_write_ms mean=%.1f%n", storedToWrittenMs);
        System.out.printf("measure steps=%d model_requests=%d requests_per_step=%.2f overhead_us p50=%d p95=%d max=%d"
                        + " answer_to_next_request_us p50=%d max=%d fake_server_us p50=%d%n",
                modelSteps, requests.size(), (double) requests.size() / modelSteps, p50, p95, sorted.getLast(),
                between.stream().sorted().toList().get(between.size() / 2), between.stream().max(Long::compare).orElseThrow(),
                roundTripMicros.stream().sorted().toList().get(roundTripMicros.size() / 2));
        assertThat(p50).as("median server time per step, µs").isLessThan(500_000);
    }

    // --- helpers --------------------------------------------------------------------------------------

    private String failedRun(String goal) {
        String id = newInteraction();
        try (WsTestClient base = start(id, goal)) {
            List<JsonNode> frames = framesThrough(base, "failed");
            assertThat(awaitStatus(id, "failed")).isEqualTo("failed");
            return frames.getLast().path("data").asText();
        }
    }

    private String newInteraction() {
        return HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", userId, "token", token))
                .data().path("id").asText();
    }

    /** Opens {@code /ws/base} and starts a run the way XAgent's web client does: it names its own agent. */
    private WsTestClient start(String id, String goal) {
        return start(id, goal, "auto");
    }

    private WsTestClient start(String id, String goal, String mode) {
        return start(id, goal, mode, Json.array());
    }

    private WsTestClient start(String id, String goal, String mode, JsonNode fileList) {
        return start(id, goal, mode, fileList, false);
    }

    private WsTestClient start(String id, String goal, String mode, JsonNode fileList, boolean humanHelp) {
        WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token) + "&description=llm"));
        ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", mode);
        frame.putObject("args").put("goal", goal).put(LlmAgent.HUMAN_HELP_ARG, humanHelp);
        frame.set("file_list", fileList);
        base.send(frame);
        return base;
    }

    /** Uploads one file as XAgent's web client does; returns its {@code {"uuid","name"}} entry. */
    private JsonNode upload(String name, String content) {
        String boundary = "----llm" + System.nanoTime();
        String body = part(boundary, "user_id", null, userId) + part(boundary, "token", null, token)
                + part(boundary, "files", name, content) + "--" + boundary + "--\r\n";
        HttpForms.Reply reply = HttpForms.send(HttpRequest.newBuilder(server.http("/api/workspace/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(reply.status()).isEqualTo(200);
        return reply.data().path("file_list").get(0);
    }

    private static String part(String boundary, String name, String fileName, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName + "\"\r\nContent-Type: text/plain")
                + "\r\n\r\n" + value + "\r\n";
    }

    /** XAgent's human reply to the step {@code to}. */
    private static ObjectNode reply(JsonNode to, ObjectNode args) {
        ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", "manual");
        frame.set("args", args);
        frame.put("node_id", to.path("node_id").asText());
        frame.set("file_list", Json.array());
        return frame;
    }

    private WsTestClient watch(String id) {
        WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(userId)));
        ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + id + "\"}}");
        assertThat(ws.next().path("success").asBoolean()).isTrue();
        return ws;
    }

    /** Step frames up to and including the first with {@code status}, skipping the connect frame and pongs. */
    static List<JsonNode> framesThrough(WsTestClient ws, String status) {
        List<JsonNode> frames = new ArrayList<>();
        while (true) {
            JsonNode frame = ws.nextSkippingPongs();
            if (!frame.has("node_id") || frame.path("status").asText().equals("running")) {
                continue;
            }
            frames.add(frame);
            if (frame.path("status").asText().equals(status)) {
                return frames;
            }
            if (List.of("finished", "failed").contains(frame.path("status").asText())) {
                throw new AssertionError("the run ended before a " + status + " step: " + frame);
            }
        }
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

    /**
     * The interaction's status once it is {@code expected}, or its last status after 10 s. A step frame can
     * reach the client a moment before the interaction's status changes, so tests wait for the status.
     */
    private String awaitStatus(String id, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String status = statusOf(id);
        while (!status.equals(expected) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            status = statusOf(id);
        }
        return status;
    }

    /** Read from the store: the listing shows finished interactions only, as XAgent's does. */
    private String statusOf(String id) {
        List<List<String>> rows = server.query("SELECT status FROM interactions WHERE interaction_id = ?", id);
        if (rows.isEmpty()) {
            throw new AssertionError("no interaction " + id);
        }
        return rows.get(0).get(0);
    }

    private String metrics() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.http("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String abbreviated(JsonNode frame) {
        JsonNode data = frame.path("data");
        JsonNode tool = data.path("using_tools");
        String detail = switch (frame.path("status").asText()) {
            case "start" -> "subtasks=" + data.path("subtasks").findValuesAsText("goal");
            case "subtask" -> "remaining=" + data.findValuesAsText("goal");
            case "inner", "subtask_submit" -> "thoughts=\"" + data.path("thoughts").asText() + "\" tool="
                    + tool.path("tool_name").asText() + " input=" + tool.path("tool_input")
                    + " output=\"" + tool.path("tool_output").asText() + "\" code=" + tool.path("tool_status_code").asText();
            case "refinement" -> "summary=\"" + data.path("action_list_summary").asText() + "\"";
            default -> data.toString();
        };
        return "{\"status\":\"" + frame.path("status").asText() + "\",\"current\":\"" + frame.path("current").asText()
                + "\",…," + detail + ",\"workspace_file_list\":" + frame.path("workspace_file_list").size() + " files}";
    }

    private static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim().split(" ")[0])).orElse(0.0);
    }

    private static List<String> statuses(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("status").asText()).toList();
    }

    private static List<String> toolNames(FakeChatServer.Request request) {
        List<String> names = new ArrayList<>();
        request.body().path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
        return names;
    }

    private static List<JsonNode> messages(FakeChatServer.Request request) {
        List<JsonNode> messages = new ArrayList<>();
        request.body().path("messages").forEach(messages::add);
        return messages;
    }

    private static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
