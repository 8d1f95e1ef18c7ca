package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.agentserver.service.agent.llm.FakeChatServer.args;
import static io.agentserver.service.agent.llm.FakeChatServer.call;
import static io.agentserver.service.agent.llm.FakeChatServer.plan;
import static io.agentserver.service.agent.llm.FakeChatServer.text;
import static io.agentserver.service.agent.llm.FakeChatServer.toolCall;
import static io.agentserver.service.agent.llm.FakeChatServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LLM agent against model servers that behave as real ones do — text answers instead of tool calls, parallel
 * tool calls, a server that refuses {@code tool_choice}, streamed chunks with tool-call deltas split across chunks
 * and usage only in the last one, deltas without an index, no usage at all — each run driven to {@code finished}
 * through a real {@code /ws/base} socket, in auto and in manual mode (where the test answers every review).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealModelBehavioursIT {

    private final FakeChatServer model = new FakeChatServer();
    private TestServer server;
    private String userId;
    private String token;

    @BeforeAll
    void start() {
        server = startServer(model, true);
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
    void fresh() {
        model.reset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void aPlanWrittenAsJsonTextIsThePlanAndATextAnswerIsTheSubtasksResult(String mode) {
        model.then(
                text("Here is my plan:\n```json\n{\"subtasks\": [{\"name\": \"Write\", \"goal\": \"Write the poem\"},"
                        + " {\"name\": \"Title\", \"goal\": \"Give it a title\"}]}\n```"),
                toolCall("write_file", args("path", "poem.md", "content", "sockets sing")),
                text("The poem is in poem.md."),
                text("Its title is 'Sockets'."));
        List<JsonNode> frames = run(server, "write a poem", mode, false);
        assertThat(statuses(frames)).containsExactly("start", "inner", "subtask_submit", "refinement", "subtask",
                "subtask_submit", "refinement", "finished");
        assertThat(frames.get(0).path("data").path("subtasks")).extracting(s -> s.path("goal").asText())
                .containsExactly("Write the poem", "Give it a title");
        assertThat(frames.get(3).path("data").path("action_list_summary").asText()).isEqualTo("The poem is in poem.md.");
        assertThat(frames.get(5).path("data").path("using_tools").path("tool_status_code").asText())
                .isEqualTo("SUBMIT_AS_SUCCESS");
        assertThat(model.requests()).hasSize(4);
        assertThat(model.requests().get(0).body().path("tool_choice").path("function").path("name").asText())
                .as("the plan is asked for by name").isEqualTo("make_plan");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void aPlanWrittenAsANumberedListIsThePlan(String mode) {
        model.then(
                text("Sure. Plan:\n1. Draft the haiku\n2. Check the syllables\nThat is all."),
                text("Drafted: sockets hum softly"),
                text("Five, seven, five: fine."));
        List<JsonNode> frames = run(server, "a haiku", mode, false);
        assertThat(frames.get(0).path("data").path("subtasks")).extracting(s -> s.path("goal").asText())
                .containsExactly("Draft the haiku", "Check the syllables");
        assertThat(statuses(frames)).endsWith("finished");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void aTextAnswerWithoutAPlanMakesTheGoalTheOnlySubtask(String mode) {
        model.then(text("The task is complete."), text("Nothing left to do: the task is complete."));
        List<JsonNode> frames = run(server, "say hello", mode, false);
        assertThat(statuses(frames)).containsExactly("start", "subtask_submit", "refinement", "finished");
        assertThat(frames.get(0).path("data").path("subtasks").get(0).path("goal").asText()).isEqualTo("say hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void parallelCallsAllRunAndAreAnsweredInOrderBeforeAnyOtherMessage(String mode) {
        model.then(
                toolCall("make_plan", plan("Write two files")),
                toolCalls(call("write_file", args("path", "a.txt", "content", "A")),
                        call("write_file", args("path", "b.txt", "content", "B"))),
                toolCalls(call("submit_subtask", args("result", "both written")),
                        call("write_file", args("path", "c.txt", "content", "C"))));
        List<JsonNode> frames = run(server, "two files", mode, false);
        assertThat(statuses(frames)).containsExactly("start", "inner", "inner", "inner", "subtask_submit",
                "refinement", "finished");
        assertThat(frames.subList(1, 4)).extracting(f -> f.path("data").path("using_tools").path("tool_input")
                .path("path").asText()).as("a submit listed first still lets the other calls run")
                .containsExactly("a.txt", "b.txt", "c.txt");
        assertThat(frames.get(3).path("workspace_file_list").toString()).contains("c.txt");

        List<JsonNode> messages = messages(model.requests().get(2));
        int assistant = messages.size() - (mode.equals("manual") ? 4 : 3);
        assertThat(messages.get(assistant).path("tool_calls")).hasSize(2);
        String firstId = messages.get(assistant).path("tool_calls").get(0).path("id").asText();
        String secondId = messages.get(assistant).path("tool_calls").get(1).path("id").asText();
        assertThat(messages.get(assistant + 1).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(assistant + 1).path("tool_call_id").asText()).isEqualTo(firstId);
        assertThat(messages.get(assistant + 2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(assistant + 2).path("tool_call_id").asText()).isEqualTo(secondId);
        if (mode.equals("manual")) {
            assertThat(messages.getLast().path("role").asText()).as("the human's words come after every tool message")
                    .isEqualTo("user");
            assertThat(messages.getLast().path("content").asText()).startsWith("The human says:");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void aServerThatRefusesToolChoiceGetsRequestsWithoutItAndTheRunFinishes(String mode) {
        try (FakeChatServer refusing = new FakeChatServer();
             TestServer other = startServer(refusing.behave(FakeChatServer.Behaviour.STANDARD.refusingToolChoice()), true)) {
            refusing.then(
                    toolCall("make_plan", plan("Do it")),
                    toolCall("write_file", args("path", "x.txt", "content", "x")),
                    text("done"));
            List<JsonNode> frames = run(other, "do it", mode, false);
            assertThat(statuses(frames)).containsExactly("start", "inner", "subtask_submit", "refinement", "finished");
            List<FakeChatServer.Request> requests = refusing.requests();
            assertThat(requests).extracting(FakeChatServer.Request::status).containsExactly(400, 200, 200, 200);
            assertThat(requests.get(0).body().has("tool_choice")).isTrue();
            assertThat(requests.subList(1, requests.size())).as("remembered: never sent again")
                    .allSatisfy(r -> assertThat(r.body().has("tool_choice")).isFalse());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void streamedDeltasSplitAcrossChunksAndUsageOnlyInTheLastChunkMakeWholeSteps(String mode) {
        model.behave(FakeChatServer.Behaviour.STANDARD);
        String content = "a line that is much longer than one seven-character chunk, with \"quotes\" and ünïcödé";
        model.then(
                toolCall("make_plan", plan("Write it")),
                toolCall("write_file", args("path", "long.txt", "content", content)),
                toolCall("submit_subtask", args("result", "written")));
        List<JsonNode> frames = run(server, "write it", mode, false);
        assertThat(statuses(frames)).containsExactly("start", "inner", "subtask_submit", "refinement", "finished");
        assertThat(frames.get(1).path("data").path("using_tools").path("tool_input").path("content").asText())
                .isEqualTo(content);
        assertThat(model.requests()).allSatisfy(r -> {
            assertThat(r.body().path("stream").asBoolean()).isTrue();
            assertThat(r.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        });
        JsonNode spend = frames.getLast().path("data").get(0).path("spend");
        assertThat(spend.path("total_tokens").asLong()).as("usage read from the last chunk")
                .isEqualTo(3L * (FakeChatServer.PROMPT_TOKENS + FakeChatServer.COMPLETION_TOKENS));
        assertThat(spend.path("model_requests").asInt()).isEqualTo(3);
        assertThat(spend.path("estimated").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void deltasWithoutAnIndexAndAnswersWithoutUsageStillMakeARun(String mode) {
        model.behave(FakeChatServer.Behaviour.STANDARD.withoutIndex().withoutUsage());
        model.then(
                toolCall("make_plan", plan("Write it")),
                toolCalls(call("write_file", args("path", "p.txt", "content", "first file")),
                        call("write_file", args("path", "q.txt", "content", "second file"))),
                text("both written"));
        List<JsonNode> frames = run(server, "write it", mode, false);
        assertThat(statuses(frames)).containsExactly("start", "inner", "inner", "subtask_submit", "refinement",
                "finished");
        assertThat(frames.get(2).path("data").path("using_tools").path("tool_input").path("content").asText())
                .isEqualTo("second file");
        JsonNode spend = frames.getLast().path("data").get(0).path("spend");
        assertThat(spend.path("estimated").asBoolean()).isTrue();
        assertThat(spend.path("total_tokens").asLong()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void wholeAnswersWithoutStreamingRunTheSameWay(String mode) {
        try (FakeChatServer whole = new FakeChatServer(); TestServer other = startServer(whole, false)) {
            whole.then(
                    text("1. Write the file"),
                    toolCalls(call("write_file", args("path", "w.txt", "content", "w")),
                            call("list_files", args())),
                    text("w.txt is written"));
            List<JsonNode> frames = run(other, "write w", mode, false);
            assertThat(statuses(frames)).containsExactly("start", "inner", "inner", "subtask_submit", "refinement",
                    "finished");
            assertThat(whole.requests()).allSatisfy(r -> assertThat(r.body().path("stream").asBoolean()).isFalse());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual"})
    void askHumanIsOfferedOnlyWhereAHumanCanAnswer(String mode) {
        model.then(toolCall("make_plan", plan("Ask")), text("nothing to ask"));
        run(server, "maybe ask", mode, false);
        assertThat(toolNames(model.requests().get(1))).as("offered in manual mode only")
                .contains("read_file", "write_file", "list_files", "submit_subtask")
                .containsOnlyOnce("submit_subtask");
        if (mode.equals("manual")) {
            assertThat(toolNames(model.requests().get(1))).contains("ask_human");
        } else {
            assertThat(toolNames(model.requests().get(1))).doesNotContain("ask_human");
        }

        model.reset();
        model.then(toolCall("make_plan", plan("Ask")),
                toolCall("ask_human", args("question", "Which colour?")),
                text("teal it is"));
        List<JsonNode> frames = run(server, "ask me", mode, true);
        assertThat(toolNames(model.requests().get(1))).as("offered when the client says it can answer")
                .contains("ask_human");
        assertThat(statuses(frames)).contains("ask_for_human_help").endsWith("finished");
    }

    @org.junit.jupiter.api.Test
    void aQuestionNobodyAnswersCostsTheShortAskTimeoutThenTheModelHearsSoAndTheRunGoesOn() {
        model.then(toolCall("make_plan", plan("Ask")),
                toolCall("ask_human", args("question", "Anyone there?")),
                text("decided alone"));
        String id = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", userId, "token", token))
                .data().path("id").asText();
        List<JsonNode> frames = new ArrayList<>();
        long asked;
        try (WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token) + "&description=unanswered"))) {
            ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", "auto");
            frame.putObject("args").put("goal", "ask nobody").put(LlmAgent.HUMAN_HELP_ARG, true);
            frame.set("file_list", Json.array());
            base.send(frame);
            JsonNode step;
            do {
                step = base.nextSkippingPongs();
            } while (!step.path("status").asText().equals("ask_for_human_help"));
            asked = System.nanoTime();
            frames.addAll(base.untilClosed());
        }
        long waitedMillis = (model.requests().get(2).arrivedNanos() - asked) / 1_000_000;
        assertThat(frames.stream().filter(f -> f.has("node_id")).map(f -> f.path("status").asText()).toList())
                .endsWith("finished");
        assertThat(waitedMillis).as("the unanswered question's wait, ms").isBetween(1_500L, 10_000L);
        JsonNode toolAnswer = messages(model.requests().get(2)).get(messages(model.requests().get(2)).size() - 1);
        assertThat(toolAnswer.path("content").asText()).isEqualTo("The human did not answer within 2 s. Go on without"
                + " the answer.");
    }

    @org.junit.jupiter.api.Test
    void aToolCallOfAnotherKindIsAnsweredWithAnErrorLikeEveryOtherCall() {
        try (FakeChatServer whole = new FakeChatServer(); TestServer other = startServer(whole, false)) {
            whole.then(
                    toolCall("make_plan", plan("Write")),
                    FakeChatServer.withCustomCall(toolCall("write_file", args("path", "k.txt", "content", "k"))),
                    text("written"));
            List<JsonNode> frames = run(other, "write k", "auto", false);
            assertThat(statuses(frames)).containsExactly("start", "inner", "subtask_submit", "refinement", "finished");
            List<JsonNode> messages = messages(whole.requests().get(2));
            JsonNode assistant = messages.get(messages.size() - 3);
            assertThat(assistant.path("tool_calls")).hasSize(2);
            assertThat(messages.get(messages.size() - 2).path("tool_call_id").asText())
                    .isEqualTo(assistant.path("tool_calls").get(0).path("id").asText());
            assertThat(messages.getLast().path("role").asText()).isEqualTo("tool");
            assertThat(messages.getLast().path("tool_call_id").asText())
                    .isEqualTo(assistant.path("tool_calls").get(1).path("id").asText());
            assertThat(messages.getLast().path("content").asText()).startsWith("error: only function tools are offered");
        }
    }

    @org.junit.jupiter.api.Test
    void closingTheSocketWhileAnAnswerStreamsEndsTheRunWithoutWaitingForTheRest() {
        model.then(toolCall("make_plan", plan("Write")),
                FakeChatServer.stalling(toolCall("write_file", args("path", "s.txt", "content", "slow")),
                        java.time.Duration.ofSeconds(20)));
        String id = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", userId, "token", token))
                .data().path("id").asText();
        long closed;
        try (WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token) + "&description=stop"))) {
            ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", "auto");
            frame.putObject("args").put("goal", "stream slowly");
            frame.set("file_list", Json.array());
            base.send(frame);
            JsonNode step;
            do {
                step = base.nextSkippingPongs();
            } while (!step.path("status").asText().equals("start"));
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (model.arrivals() < 2 && System.nanoTime() < deadline) {
                pauseBriefly();
            }
            assertThat(model.arrivals()).as("the stalled request is in flight").isEqualTo(2);
            closed = System.nanoTime();
        }
        String status = "";
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && !status.equals("closed")) {
            status = server.query("SELECT status FROM interactions WHERE interaction_id = ?", id).get(0).get(0);
            pauseBriefly();
        }
        assertThat(status).isEqualTo("closed");
        System.out.println("measure close_to_closed_ms=" + (System.nanoTime() - closed) / 1_000_000);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - closed))
                .as("the stream stalls for 20 s and a request may take 10 s (LLM_TIMEOUT)")
                .isLessThan(java.time.Duration.ofSeconds(5));
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static TestServer startServer(FakeChatServer fake, boolean stream) {
        Map<String, String> config = new HashMap<>(Map.of(
                "agents.default", "llm",
                "llm.base.url", fake.baseUrl(),
                "llm.model", "test-model",
                "llm.timeout", "PT10S",
                "llm.stream", String.valueOf(stream),
                "llm.ask-human-timeout", "PT2S",
                "xagent.guest-agents", "*",
                "quota.runs-per-hour", "0",
                "quota.concurrent-runs", "0"));
        return TestServer.start(TestDatabases.h2(), config);
    }

    /**
     * Starts a run on {@code on} and drives it to its end: in manual mode every step that waits for the human
     * (the plan, each subtask, each inner step) is answered with {@code {}}; an {@code ask_for_human_help} step is
     * answered with "teal". Returns the step frames (not the goal echo).
     */
    private List<JsonNode> run(TestServer on, String goal, String mode, boolean humanHelp) {
        String id = HttpForms.post(on.http("/api/conv/init_conv_env"), Map.of("user_id", userId, "token", token))
                .data().path("id").asText();
        List<JsonNode> frames = new ArrayList<>();
        try (WsTestClient base = WsTestClient.connect(on.ws("/ws/base/" + id + "?user_id=" + enc(userId)
                + "&token=" + enc(token) + "&description=real"))) {
            ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", mode);
            frame.putObject("args").put("goal", goal).put(LlmAgent.HUMAN_HELP_ARG, humanHelp);
            frame.set("file_list", Json.array());
            base.send(frame);
            Set<String> reviewed = mode.equals("manual") ? Set.of("start", "inner", "subtask") : Set.of();
            while (true) {
                JsonNode step = base.nextSkippingPongs();
                if (!step.has("node_id") || step.path("status").asText().equals("running")) {
                    continue;
                }
                frames.add(step);
                String status = step.path("status").asText();
                if (status.equals("finished") || status.equals("failed")) {
                    assertThat(status).as("the run's end: " + step).isEqualTo("finished");
                    return frames;
                }
                if (status.equals("ask_for_human_help")) {
                    base.send(reply(step, Json.object().put("content", "teal")));
                } else if (reviewed.contains(status)) {
                    base.send(reply(step, Json.object()));
                }
            }
        }
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static ObjectNode reply(JsonNode to, ObjectNode args) {
        ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", "manual");
        frame.set("args", args);
        frame.put("node_id", to.path("node_id").asText());
        frame.set("file_list", Json.array());
        return frame;
    }

    private static List<String> statuses(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("status").asText()).toList();
    }

    private static List<JsonNode> messages(FakeChatServer.Request request) {
        List<JsonNode> messages = new ArrayList<>();
        request.body().path("messages").forEach(messages::add);
        return messages;
    }

    private static List<String> toolNames(FakeChatServer.Request request) {
        List<String> names = new ArrayList<>();
        request.body().path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
        return names;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
