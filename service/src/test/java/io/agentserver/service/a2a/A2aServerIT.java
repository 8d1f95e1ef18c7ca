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

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official A2A JavaScript SDK's client ({@code @a2a-js/sdk} 1.3.0) against every agent of ours as an A2A agent:
 * cards, blocking and streaming sends, get, list, cancel, input-required (a question and manual mode) with replies
 * on the same task, subscribe, and resume with {@code Last-Event-ID}; the owner rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aServerIT {

    static final String QUESTION = "Before I continue with 1.1: what should the result focus on?";

    private SdkA2aClient sdk;
    private TestServer server;
    private String alice;
    private String bob;

    @BeforeAll
    void start() {
        sdk = SdkA2aClient.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("run.human-reply-timeout", "PT60S"));
        alice = TestTokens.forUser("alice-" + UUID.randomUUID());
        bob = TestTokens.forUser("bob-" + UUID.randomUUID());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.port() + "/a2a/demo/";
    }

    // ---- cards --------------------------------------------------------------------------------------------------

    @Test
    void theSdkResolvesTheCardAndUsesItsAbsoluteJsonRpcInterface() {
        JsonNode resolved = sdk.card(base());
        assertThat(resolved.has("error")).as(resolved.toString()).isFalse();
        JsonNode card = resolved.path("card");
        assertThat(card.path("name").asText()).isEqualTo("demo");
        assertThat(resolved.path("protocolVersion").asText()).isEqualTo("1.0");
        assertThat(card.path("supportedInterfaces").get(0).path("url").asText())
                .isEqualTo("http://127.0.0.1:" + server.port() + "/a2a/demo");
        assertThat(card.path("supportedInterfaces").get(0).path("protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(card.path("capabilities").path("streaming").asBoolean()).isTrue();
        assertThat(card.path("capabilities").path("extensions").get(0).path("uri").asText())
                .isEqualTo("urn:agent-server:a2a:step-log:v1");
        assertThat(card.path("securitySchemes").path("bearer").path("httpAuthSecurityScheme").path("scheme").asText())
                .isEqualTo("Bearer");
        assertThat(card.path("skills").get(0).path("id").asText()).isEqualTo("demo");
    }

    @Test
    void theDefaultAgentsCardIsAtTheWellKnownUriAndUnknownAgentsAreNotFound() {
        A2aHttp.Reply root = A2aHttp.get(server.http("/.well-known/agent-card.json"), Map.of());
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.json().path("name").asText()).isEqualTo("demo");
        assertThat(root.json().has("url")).as("a 1.0 card has no top-level url").isFalse();

        A2aHttp.Reply recorder = A2aHttp.get(server.http("/a2a/recorder/.well-known/agent-card.json"), Map.of());
        assertThat(recorder.json().path("supportedInterfaces").get(0).path("url").asText())
                .endsWith("/a2a/recorder");

        assertThat(A2aHttp.get(server.http("/a2a/nobody/.well-known/agent-card.json"), Map.of()).status())
                .isEqualTo(404);
        assertThat(A2aHttp.rpc(server.http("/a2a/nobody"), alice, "GetTask", Json.object().put("id", "x"),
                Map.of()).status()).isEqualTo(404);
    }

    @Test
    void behindAProxyTheCardsUrlComesFromTheForwardedHeaders() {
        A2aHttp.Reply card = A2aHttp.get(server.http("/a2a/demo/.well-known/agent-card.json"),
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "agents.example.com"));
        assertThat(card.json().path("supportedInterfaces").get(0).path("url").asText())
                .isEqualTo("https://agents.example.com/a2a/demo");
        A2aHttp.Reply forged = A2aHttp.get(server.http("/a2a/demo/.well-known/agent-card.json"),
                Map.of("X-Forwarded-Host", "evil.example.com/phish?"));
        assertThat(forged.json().path("supportedInterfaces").get(0).path("url").asText())
                .isEqualTo("http://127.0.0.1:" + server.port() + "/a2a/demo");
    }

    // ---- send ---------------------------------------------------------------------------------------------------

    @Test
    void aBlockingSendAnswersTheCompletedTaskWithItsWorkspaceAsArtifactsAndTheUsersMessage() {
        ObjectNode params = send("write a short report", demo(1, 1, 0));
        JsonNode task = sdk.result(base(), alice, "sendMessage", params).path("task");

        assertThat(task.path("status").path("state").asText()).as(task.toString()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.path("contextId").asText()).as("no context sent: the task's own id")
                .isEqualTo(task.path("id").asText());
        JsonNode artifact = task.path("artifacts").get(0);
        assertThat(artifact.path("name").asText()).isEqualTo("report.md");
        assertThat(artifact.path("parts").get(0).path("text").asText()).startsWith("# write a short report");
        assertThat(artifact.path("parts").get(0).path("mediaType").asText()).isEqualTo("text/markdown");
        assertThat(task.path("history")).hasSize(1);
        assertThat(task.path("history").get(0).path("messageId").asText())
                .isEqualTo(params.path("message").path("messageId").asText());
        assertThat(task.path("history").get(0).path("parts").get(0).path("text").asText())
                .isEqualTo("write a short report");
        assertThat(task.path("metadata").path("agent").asText()).isEqualTo("demo");
        assertThat(server.query("SELECT status, call_method FROM interactions WHERE interaction_id = ?",
                task.path("id").asText())).containsExactly(List.of("finished", "a2a"));
    }

    @Test
    void returnImmediatelyAnswersAtOnceAndGetTaskFollowsTheRunToItsEnd() {
        ObjectNode params = send("a slower report", demo(1, 1, 300));
        params.putObject("configuration").put("returnImmediately", true);
        JsonNode task = sdk.result(base(), alice, "sendMessage", params).path("task");
        assertThat(task.path("status").path("state").asText()).isIn("TASK_STATE_SUBMITTED", "TASK_STATE_WORKING");

        String id = task.path("id").asText();
        JsonNode done = awaitState(id, alice, "TASK_STATE_COMPLETED");
        assertThat(done.path("artifacts")).hasSize(1);
        JsonNode limited = sdk.result(base(), alice, "getTask", Json.object().put("id", id).put("historyLength", 0));
        assertThat(limited.path("history")).isEmpty();
    }

    @Test
    void aStreamSendsTheTaskThenEveryStepAsEventsWhoseIdsComeFromTheStepLog() {
        SdkA2aClient.Stream stream = sdk.stream(base(), alice, "sendMessageStream",
                send("stream a report", demo(2, 2, 0)), null);
        JsonNode done = stream.awaitDone();
        assertThat(done.path("error").isNull()).as(done.path("error").toString()).isTrue();
        List<JsonNode> events = stream.events();
        JsonNode task = events.get(0).path("task");
        assertThat(task.path("id").asText()).isNotEmpty();
        List<JsonNode> updates = events.subList(1, events.size());

        List<List<String>> steps = server.query("SELECT seq, status FROM steps WHERE interaction_id = ? ORDER BY seq",
                task.path("id").asText());
        assertThat(updates.stream().map(A2aServerIT::seq).distinct().toList()).as("every step, in order")
                .containsExactlyElementsOf(steps.stream().map(r -> Long.parseLong(r.get(0))).toList());
        assertThat(updates).allSatisfy(e -> assertThat(meta(e).path("stepStatus").asText())
                .isEqualTo(steps.get((int) seq(e)).get(1)));
        assertThat(ids(updates)).isSortedAccordingTo(A2aServerIT::compareIds).doesNotHaveDuplicates();
        assertThat(states(updates)).first().isEqualTo("TASK_STATE_WORKING");
        assertThat(states(updates)).last().isEqualTo("TASK_STATE_COMPLETED");
        JsonNode working = updates.get(1).path("statusUpdate").path("status").path("message");
        assertThat(working.path("role").asText()).isEqualTo("ROLE_AGENT");
        assertThat(working.path("parts").get(0).path("text").asText()).startsWith("Plan for stream a report");
        assertThat(working.path("parts").get(1).path("data").path("status").asText()).isEqualTo("start");
        assertThat(working.path("parts").get(1).path("data").fieldNames()).toIterable()
                .containsExactly("data", "status", "message", "success", "current", "node_id", "workspace_file_list");
        JsonNode artifact = updates.stream().filter(e -> e.has("artifactUpdate")).findFirst().orElseThrow()
                .path("artifactUpdate");
        assertThat(artifact.path("artifact").path("artifactId").asText()).isEqualTo("report.md");
        assertThat(artifact.path("lastChunk").asBoolean()).isTrue();
        assertThat(meta(updates.get(updates.size() - 2)).path("stepStatus").asText()).isEqualTo("finished");
    }

    @Test
    void theContextAndModeAndArgsOfTheMessageReachTheRun() {
        ObjectNode params = send("in a context", demo(1, 1, 0));
        ((ObjectNode) params.path("message")).put("contextId", "ctx-" + UUID.randomUUID());
        JsonNode task = sdk.result(base(), alice, "sendMessage", params).path("task");
        assertThat(task.path("contextId").asText()).isEqualTo(params.path("message").path("contextId").asText());
        assertThat(server.query("SELECT args FROM interaction_parameters WHERE interaction_id = ?",
                task.path("id").asText()).get(0).get(0))
                .contains("\"goal\":\"in a context\"").contains("\"subtasks\":1");
    }

    // ---- input required ----------------------------------------------------------------------------------------

    @Test
    void aQuestionPausesTheTaskInInputRequiredAndTheAnswerOnTheSameTaskContinuesIt() {
        ObjectNode metadata = demo(1, 1, 0);
        ((ObjectNode) metadata.path("args").path("demo")).put("ask_human", true);
        SdkA2aClient.Stream first = sdk.stream(base(), alice, "sendMessageStream", send("ask me first", metadata), null);
        JsonNode firstDone = first.awaitDone();
        assertThat(firstDone.path("error").isNull()).isTrue();
        List<JsonNode> asked = first.events();
        String id = asked.get(0).path("task").path("id").asText();
        JsonNode question = asked.get(asked.size() - 1).path("statusUpdate");
        assertThat(question.path("status").path("state").asText()).as("the stream ends at the question")
                .isEqualTo("TASK_STATE_INPUT_REQUIRED");
        assertThat(question.path("status").path("message").path("parts").get(0).path("text").asText())
                .isEqualTo(QUESTION);
        assertThat(question.path("metadata").path("stepStatus").asText()).isEqualTo("ask_for_human_help");

        JsonNode waiting = awaitState(id, alice, "TASK_STATE_INPUT_REQUIRED");
        assertThat(waiting.path("status").path("message").path("parts").get(0).path("text").asText())
                .isEqualTo(QUESTION);

        SdkA2aClient.Stream watcher = sdk.stream(base(), alice, "resubscribeTask", Json.object().put("id", id), null);
        assertThat(watcher.awaitEvents(e -> !e.isEmpty(), "the task").get(0).path("task").path("status")
                .path("state").asText()).isEqualTo("TASK_STATE_INPUT_REQUIRED");

        ObjectNode answer = send("focus on tests", Json.object());
        ((ObjectNode) answer.path("message")).put("taskId", id);
        SdkA2aClient.Stream second = sdk.stream(base(), alice, "sendMessageStream", answer, null);
        assertThat(second.awaitDone().path("error").isNull()).isTrue();
        List<JsonNode> after = second.events().subList(1, second.events().size());
        assertThat(seq(after.get(0))).as("the answer's stream starts after the question")
                .isEqualTo(seq(question.path("metadata").path("seq").asLong()));
        assertThat(after.get(0).path("statusUpdate").path("status").path("message").path("parts").get(0)
                .path("text").asText()).contains("The human answered: {\"answer\":\"focus on tests\"}");
        assertThat(states(after)).last().isEqualTo("TASK_STATE_COMPLETED");

        List<JsonNode> watched = watcher.awaitEvents(e -> !e.isEmpty() && states(e).contains("TASK_STATE_COMPLETED"),
                "the end after the answer");
        assertThat(ids(watched.subList(1, watched.size()))).as("the subscriber saw what followed the answer")
                .containsExactlyElementsOf(ids(after));
        JsonNode task = sdk.result(base(), alice, "getTask", Json.object().put("id", id));
        assertThat(task.path("history")).extracting(m -> m.path("parts").get(0).path("text").asText())
                .containsExactly("ask me first", "focus on tests");
    }

    @Test
    void manualModeWaitsForReviewAfterEachReviewableStepAndADataPartEditsIt() {
        ObjectNode metadata = demo(1, 2, 0);
        metadata.put("mode", "manual");
        JsonNode first = sdk.result(base(), alice, "sendMessage", send("review me", metadata)).path("task");
        String id = first.path("id").asText();
        assertThat(first.path("status").path("state").asText()).isEqualTo("TASK_STATE_INPUT_REQUIRED");
        assertThat(first.path("status").path("message").path("parts").get(0).path("text").asText())
                .startsWith("Waiting for your review of step 1 (start)");

        ObjectNode edit = Json.object();
        ((ObjectNode) edit.putObject("message").put("messageId", UUID.randomUUID().toString()).put("taskId", id)
                .put("role", "ROLE_USER")).putArray("parts").addObject().putObject("data").put("goal", "Check the sockets");
        JsonNode second = sdk.result(base(), alice, "sendMessage", edit).path("task");
        assertThat(second.path("status").path("state").asText()).isEqualTo("TASK_STATE_INPUT_REQUIRED");
        assertThat(second.path("status").path("message").path("parts").get(0).path("text").asText())
                .startsWith("Waiting for your review of step 2 (inner)");

        ObjectNode go = send("looks good", Json.object());
        ((ObjectNode) go.path("message")).put("taskId", id);
        JsonNode done = sdk.result(base(), alice, "sendMessage", go).path("task");
        assertThat(done.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");

        SdkA2aClient.Stream replay = sdk.stream(base(), alice, "resubscribeTask", Json.object().put("id", id), "0.0");
        assertThat(replay.awaitDone().path("error").isNull()).isTrue();
        List<JsonNode> events = replay.events().subList(1, replay.events().size());
        List<String> pauses = events.stream().filter(e -> "TASK_STATE_INPUT_REQUIRED".equals(state(e)))
                .map(e -> meta(e).path("eventId").asText()).toList();
        assertThat(pauses).containsExactly("1.1", "2.1");
        assertThat(events.stream().filter(e -> meta(e).path("stepStatus").asText().equals("inner"))
                .filter(e -> "TASK_STATE_WORKING".equals(state(e))).map(A2aServerIT::text).toList())
                .containsExactly("Step 1 of 1.1: Check the sockets (tool: FileSystemEnv_write_to_file)",
                        "The human answered: {\"answer\":\"looks good\"} (tool: ask_demo_oracle)");
    }

    // ---- cancel -------------------------------------------------------------------------------------------------

    @Test
    void cancelStopsTheRunAndAnOpenStreamEndsWithCanceled() {
        SdkA2aClient.Stream stream = sdk.stream(base(), alice, "sendMessageStream", send("a long run", demo(3, 3, 300)),
                null);
        List<JsonNode> started = stream.awaitEvents(e -> e.size() >= 3, "a few events");
        String id = started.get(0).path("task").path("id").asText();

        JsonNode canceled = sdk.result(base(), alice, "cancelTask", Json.object().put("id", id));
        assertThat(canceled.path("status").path("state").asText()).isEqualTo("TASK_STATE_CANCELED");
        assertThat(canceled.path("status").path("message").path("parts").get(0).path("text").asText())
                .isEqualTo("closed by the client");

        assertThat(stream.awaitDone().path("error").isNull()).isTrue();
        List<JsonNode> events = stream.events();
        JsonNode last = events.get(events.size() - 1);
        assertThat(state(last)).isEqualTo("TASK_STATE_CANCELED");
        long lastStep = Long.parseLong(server.query("SELECT MAX(seq) FROM steps WHERE interaction_id = ?", id)
                .get(0).get(0));
        assertThat(seq(last)).as("the cancel comes after the last step's own events").isEqualTo(lastStep);

        assertThat(sdk.result(base(), alice, "cancelTask", Json.object().put("id", id)).path("status").path("state")
                .asText()).as("cancelling again answers the canceled task").isEqualTo("TASK_STATE_CANCELED");
        assertThat(server.query("SELECT status FROM interactions WHERE interaction_id = ?", id))
                .containsExactly(List.of("closed"));
    }

    @Test
    void aFinishedTaskCannotBeCanceledAndTheSdkSaysSo() {
        String id = sdk.result(base(), alice, "sendMessage", send("quick", demo(1, 1, 0))).path("task").path("id")
                .asText();
        JsonNode refused = sdk.call(base(), alice, "cancelTask", Json.object().put("id", id));
        assertThat(refused.path("error").path("name").asText()).isEqualTo("TaskNotCancelableError");
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32002);
    }

    // ---- subscribe and resume -----------------------------------------------------------------------------------

    @Test
    void aStreamDroppedMidRunIsResumedWithLastEventIdAndNothingIsLostOrRepeated() {
        SdkA2aClient.Stream first = sdk.stream(base(), alice, "sendMessageStream", send("resume me", demo(2, 2, 150)),
                null);
        List<JsonNode> seen = first.awaitEvents(e -> e.size() >= 4, "a few events");
        first.abort();
        String id = seen.get(0).path("task").path("id").asText();
        List<JsonNode> seenUpdates = first.events().subList(1, first.events().size());
        String lastSeen = meta(seenUpdates.get(seenUpdates.size() - 1)).path("eventId").asText();

        SdkA2aClient.Stream resumed = sdk.stream(base(), alice, "resubscribeTask", Json.object().put("id", id), lastSeen);
        assertThat(resumed.awaitDone().path("error").isNull()).isTrue();
        List<JsonNode> rest = resumed.events();
        assertThat(rest.get(0).has("task")).as("the task first").isTrue();

        List<String> joined = new ArrayList<>(ids(seenUpdates));
        joined.addAll(ids(rest.subList(1, rest.size())));
        SdkA2aClient.Stream replay = sdk.stream(base(), alice, "resubscribeTask", Json.object().put("id", id), "0.0");
        assertThat(replay.awaitDone().path("error").isNull()).isTrue();
        List<String> all = new ArrayList<>(List.of("0.0"));
        all.addAll(ids(replay.events().subList(1, replay.events().size())));
        assertThat(joined).as("seen, then resumed: the whole log once, in order").containsExactlyElementsOf(all);
        assertThat(states(rest)).last().isEqualTo("TASK_STATE_COMPLETED");
        assertThat(new HashSet<>(joined)).hasSameSizeAs(joined);
    }

    @Test
    void subscribeGivesTheTaskThenLiveEventsAndATerminalTaskIsReplayedOnlyWithLastEventId() {
        ObjectNode params = send("watch me", demo(1, 2, 200));
        params.putObject("configuration").put("returnImmediately", true);
        String id = sdk.result(base(), alice, "sendMessage", params).path("task").path("id").asText();
        SdkA2aClient.Stream live = sdk.stream(base(), alice, "resubscribeTask", Json.object().put("id", id), null);
        assertThat(live.awaitDone().path("error").isNull()).isTrue();
        List<JsonNode> events = live.events();
        assertThat(events.get(0).has("task")).isTrue();
        assertThat(states(events)).last().isEqualTo("TASK_STATE_COMPLETED");

        JsonNode refused = sdk.call(base(), alice, "getTask", Json.object().put("id", id)); // still readable
        assertThat(refused.has("result")).isTrue();
        SdkA2aClient.Stream again = sdk.stream(base(), alice, "resubscribeTask", Json.object().put("id", id), null);
        JsonNode error = again.awaitDone().path("error");
        assertThat(error.path("name").asText()).isEqualTo("UnsupportedOperationError");
        assertThat(error.path("code").asInt()).isEqualTo(-32004);

        SdkA2aClient.Stream replay = sdk.stream(base(), alice, "resubscribeTask", Json.object().put("id", id), "1.0");
        assertThat(replay.awaitDone().path("error").isNull()).isTrue();
        assertThat(ids(replay.events().subList(1, replay.events().size()))).first().isEqualTo("2.0");
    }

    // ---- list and owners ----------------------------------------------------------------------------------------

    @Test
    void listTasksShowsTheCallersTasksLatestFirstFilteredAndPaged() {
        String carol = TestTokens.forUser("carol-" + UUID.randomUUID());
        String ctxA = "ctx-a-" + UUID.randomUUID();
        List<String> created = new ArrayList<>();
        for (String context : List.of(ctxA, ctxA, "ctx-b-" + UUID.randomUUID())) {
            ObjectNode params = send("listed in " + context, demo(1, 1, 0));
            ((ObjectNode) params.path("message")).put("contextId", context);
            created.add(sdk.result(base(), carol, "sendMessage", params).path("task").path("id").asText());
        }

        JsonNode page1 = sdk.result(base(), carol, "listTasks", Json.object().put("pageSize", 2));
        assertThat(page1.path("tasks")).extracting(t -> t.path("id").asText())
                .containsExactly(created.get(2), created.get(1));
        assertThat(page1.path("totalSize").asInt()).isEqualTo(3);
        assertThat(page1.path("pageSize").asInt()).isEqualTo(2);
        assertThat(page1.path("tasks").get(0).path("artifacts")).as("artifacts only when asked").isEmpty();
        JsonNode page2 = sdk.result(base(), carol, "listTasks", Json.object().put("pageSize", 2)
                .put("pageToken", page1.path("nextPageToken").asText()));
        assertThat(page2.path("tasks")).extracting(t -> t.path("id").asText()).containsExactly(created.get(0));
        assertThat(page2.path("nextPageToken").asText()).isEmpty();

        assertThat(sdk.result(base(), carol, "listTasks", Json.object().put("contextId", ctxA)).path("tasks"))
                .extracting(t -> t.path("id").asText()).containsExactly(created.get(1), created.get(0));
        assertThat(sdk.result(base(), carol, "listTasks", Json.object().put("status", "TASK_STATE_COMPLETED")
                .put("includeArtifacts", true)).path("tasks")).hasSize(3)
                .allSatisfy(t -> assertThat(t.path("artifacts")).hasSize(1));
        assertThat(sdk.result(base(), carol, "listTasks", Json.object().put("status", "TASK_STATE_WORKING"))
                .path("tasks")).isEmpty();
        assertThat(sdk.result(base(), bob, "listTasks", Json.object()).path("tasks"))
                .extracting(t -> t.path("id").asText()).doesNotContainAnyElementsOf(created);
    }

    @Test
    void anotherUsersTaskDoesNotExistForAnyMethod() {
        String id = sdk.result(base(), alice, "sendMessage", send("mine", demo(1, 1, 0))).path("task").path("id")
                .asText();
        for (String method : List.of("getTask", "cancelTask")) {
            JsonNode answer = sdk.call(base(), bob, method, Json.object().put("id", id));
            assertThat(answer.path("error").path("name").asText()).as(method).isEqualTo("TaskNotFoundError");
        }
        ObjectNode onTask = send("let me in", Json.object());
        ((ObjectNode) onTask.path("message")).put("taskId", id);
        assertThat(sdk.call(base(), bob, "sendMessage", onTask).path("error").path("code").asInt()).isEqualTo(-32001);
        JsonNode subscribe = sdk.stream(base(), bob, "resubscribeTask", Json.object().put("id", id), "0.0")
                .awaitDone().path("error");
        assertThat(subscribe.path("name").asText()).isEqualTo("TaskNotFoundError");
    }

    @Test
    void aRunStartedOnWsBaseIsATaskAndAnA2aTaskShowsInXAgentsHistory() {
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        String guestId = login.data().path("user_id").asText();
        String guestToken = login.data().path("token").asText();
        String guest = TestTokens.forUser(guestId);
        String id = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", guestId, "token",
                guestToken)).data().path("id").asText();
        try (WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + guestId
                + "&token=" + guestToken))) {
            base.next();
            ObjectNode start = Json.object().put("type", "data").put("agent", "demo").put("mode", "auto");
            start.putObject("args").put("goal", "a socket run").putObject("demo").put("subtasks", 1).put("inner", 1)
                    .put("delay_ms", 0);
            start.set("file_list", Json.array());
            base.send(start);
            base.untilClosed();
        }
        JsonNode listed = sdk.result(base(), guest, "listTasks", Json.object().put("contextId", id)).path("tasks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(listed.get(0).path("history").get(0).path("parts").get(0).path("text").asText())
                .isEqualTo("a socket run");

        String a2aTask = sdk.result(base(), guest, "sendMessage", send("an A2A run", demo(1, 1, 0))).path("task")
                .path("id").asText();
        JsonNode history = HttpForms.post(server.http("/api/conv/getUserInteractions"), Map.of("user_id", guestId,
                "token", guestToken, "page_size", "100")).data().path("rows");
        assertThat(history).extracting(r -> r.path("interaction_id").asText()).contains(a2aTask, id);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private JsonNode awaitState(String id, String token, String state) {
        long deadline = System.nanoTime() + SdkA2aClient.WAIT.toNanos();
        while (true) {
            JsonNode task = sdk.result(base(), token, "getTask", Json.object().put("id", id));
            if (task.path("status").path("state").asText().equals(state)) {
                return task;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task " + id + " never became " + state + ": " + task);
            }
        }
    }

    static ObjectNode send(String text, ObjectNode metadata) {
        ObjectNode params = Json.object();
        ObjectNode message = params.putObject("message").put("messageId", UUID.randomUUID().toString())
                .put("role", "ROLE_USER");
        message.putArray("parts").addObject().put("text", text);
        message.set("metadata", metadata);
        return params;
    }

    static ObjectNode demo(int subtasks, int inner, int delayMs) {
        ObjectNode metadata = Json.object();
        metadata.putObject("args").putObject("demo").put("subtasks", subtasks).put("inner", inner)
                .put("delay_ms", delayMs);
        return metadata;
    }

    static JsonNode meta(JsonNode event) {
        return event.has("statusUpdate") ? event.path("statusUpdate").path("metadata")
                : event.path("artifactUpdate").path("metadata");
    }

    static long seq(JsonNode event) {
        return meta(event).path("seq").asLong();
    }

    static long seq(long value) {
        return value + 1;
    }

    static String state(JsonNode event) {
        return event.path("statusUpdate").path("status").path("state").asText(null);
    }

    static String text(JsonNode event) {
        return event.path("statusUpdate").path("status").path("message").path("parts").get(0).path("text").asText();
    }

    static List<String> states(List<JsonNode> events) {
        return events.stream().map(A2aServerIT::state).filter(s -> s != null).toList();
    }

    static List<String> ids(List<JsonNode> events) {
        return events.stream().filter(e -> !e.has("task")).map(e -> meta(e).path("eventId").asText()).toList();
    }

    static int compareIds(String a, String b) {
        return EventId.parse(a).orElseThrow().compareTo(EventId.parse(b).orElseThrow());
    }

    static URI uri(TestServer server, String path) {
        return server.http(path);
    }
}
