package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The AG-UI routes on one replica: runs, errors before any stream, rejoin, human in the loop, cancel. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AguiIT {

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of("agui.keep-alive", "PT1S",
                "agui.writer-max-bytes", "65536", "agui.stall-timeout", "PT1S", "agui.max-body-bytes", "6291456",
                "run.max-step-bytes", "8388608", "hub.max-connections-per-user", "4"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private AguiClient client(String user) {
        return new AguiClient(server, TestTokens.forUser(user));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aDemoRunStreamsItsStepsAsAguiEventsAndEndsWithRunFinished() {
        AguiClient client = client("alice-" + id());
        String thread = id();
        String run = id();
        try (AguiClient.Stream stream = client.post("demo", AguiClient.input(thread, run, "write a report",
                AguiClient.demoProps(2, 2, 5)))) {
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.contentType).startsWith("text/event-stream");
            List<AguiClient.Event> events = stream.rest();
            JsonNode state = AguiChecks.wellFormedRun(events);
            assertThat(events.getFirst().data().path("threadId").asText()).isEqualTo(thread);
            assertThat(events.getFirst().data().path("runId").asText()).isEqualTo(run);
            assertThat(events.getLast().data().path("outcome").path("type").asText()).isEqualTo("success");
            assertThat(types(events)).contains("STATE_SNAPSHOT", "STEP_STARTED", "TEXT_MESSAGE_START",
                    "TEXT_MESSAGE_CONTENT", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END", "TOOL_CALL_RESULT",
                    "STATE_DELTA", "STEP_FINISHED");
            assertThat(state.path("plan").path("subtasks")).hasSize(2);
            assertThat(state.path("plan").path("subtasks").findValuesAsText("status")).containsOnly("DONE");
            assertThat(state.path("files").findValuesAsText("name")).contains("report.md");
            // the same run, replayed after its end, is the same events with the same ids
            try (AguiClient.Stream replay = client.events("demo", run, null)) {
                assertThat(replay.rest()).isEqualTo(events);
            }
        }
    }

    @Test
    void theAgentListNamesEveryAgentWithWhatItDoes() {
        try (AguiClient.Stream answer = client("list-" + id()).get("/ag-ui")) {
            assertThat(answer.status).isEqualTo(200);
            JsonNode agents = Json.read(answer.errorBody()).path("agents");
            Map<String, String> described = new HashMap<>();
            agents.forEach(agent -> described.put(agent.path("name").asText(), agent.path("description").asText()));
            assertThat(described).containsKeys("demo", "recorder");
            assertThat(described.get("demo")).startsWith("A deterministic demo agent");
            assertThat(described.get("recorder")).isEqualTo("Replays a recorded XAgent run"
                    + " (forwardedProps.args.recording: the recording's name)");
        }
    }

    /**
     * The recording player through AG-UI plays a recording only for whom it may be played on {@code /ws/recorder}:
     * its owner, or anyone once its run was shared. A recording holds another user's goals and files.
     */
    @Test
    void aRecordingPlaysOnlyForItsOwner() throws InterruptedException {
        HttpForms.Reply registered = HttpForms.post(server.http("/api/user/register"), Map.of("email",
                "agui-" + id() + "@example.com", "name", "Tester", "corporation", "ACME", "position", "QA",
                "industry", "software"));
        String owner = registered.data().path("user_id").asText();
        AguiClient ownerClient = client(owner);
        String interaction;
        try (AguiClient.Stream recorded = ownerClient.post("demo", AguiClient.input(id(), id(), "record me",
                AguiClient.demoProps(1, 1, 0)))) {
            interaction = recorded.rest().stream().filter(e -> e.type().equals("STATE_SNAPSHOT")).findFirst()
                    .orElseThrow().data().path("snapshot").path("interactionId").asText();
        }
        // The stream ends with the run's last step; the interaction is marked finished right after.
        awaitStatus(interaction, "finished");
        HttpForms.Reply export = HttpForms.post(server.http("/api/conv/exportRecording"), Map.of("user_id", owner,
                "token", registered.data().path("token").asText(), "interaction_id", interaction));
        assertThat(export.status()).isEqualTo(200);
        String recording = export.data().path("recorder_dir").asText();
        ObjectNode play = Json.object();
        play.putObject("args").put("recording", recording);

        try (AguiClient.Stream foreign = client("stranger-" + id()).post("recorder", AguiClient.input(id(), id(),
                "play", play))) {
            List<AguiClient.Event> events = foreign.rest();
            assertThat(events.getLast().type()).isEqualTo("RUN_ERROR");
            assertThat(events.getLast().data().path("message").asText()).contains("recording not found: " + recording);
            assertThat(types(events)).doesNotContain("TOOL_CALL_START", "TEXT_MESSAGE_CONTENT");
        }
        try (AguiClient.Stream own = ownerClient.post("recorder", AguiClient.input(id(), id(), "play", play))) {
            List<AguiClient.Event> events = own.rest();
            assertThat(events.getLast().data().path("outcome").path("type").asText())
                    .as("positive control: the owner plays it").isEqualTo("success");
            assertThat(types(events)).contains("TOOL_CALL_START");
        }
    }

    private void awaitStatus(String interaction, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!server.query("SELECT status FROM interactions WHERE interaction_id = ?", interaction)
                .getFirst().getFirst().equals(status)) {
            assertThat(System.nanoTime()).as("interaction " + interaction + " " + status).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void badInputIsAnsweredWithJsonBeforeAnyStream() {
        String user = "bad-" + id();
        AguiClient client = client(user);
        assertError(new AguiClient(server, null).get("/ag-ui"), 401);
        assertError(new AguiClient(server, "not.a.jwt").get("/ag-ui"), 401);
        assertError(new AguiClient(server, null).post("demo", AguiClient.input(id(), id(), "x", null)), 401);
        assertError(client.post("nobody", AguiClient.input(id(), id(), "x", null)), 404);
        assertError(client.post("demo", "not json"), 400);
        assertError(client.post("demo", "[]"), 400);
        ObjectNode noThread = AguiClient.input(id(), id(), "x", null);
        noThread.remove("threadId");
        assertError(client.post("demo", noThread), 400);
        assertError(client.post("demo", AguiClient.input(id(), "", "x", null)), 400);
        ObjectNode noMessages = AguiClient.input(id(), id(), "x", null);
        noMessages.put("messages", "hello");
        assertError(client.post("demo", noMessages), 400);
        ObjectNode noUser = AguiClient.input(id(), id(), "x", null);
        ((ObjectNode) noUser.path("messages").get(0)).put("role", "assistant");
        assertError(client.post("demo", noUser), 400);
        assertError(client.post("demo", "{\"threadId\":\"" + "x".repeat(7_000_000) + "\"}"), 413);

        String run = id();
        try (AguiClient.Stream stream = client.post("demo", AguiClient.input(id(), run, "once", AguiClient.demoProps(1, 1, 0)))) {
            AguiChecks.wellFormedRun(stream.rest());
        }
        assertError(client.post("demo", AguiClient.input(id(), run, "again", null)), 409);
        assertError(client("mallory-" + id()).events("demo", run, null), 404);
        assertError(client.events("demo", "no-such-run", null), 404);
        assertError(client.events("llm-or-not", run, null), 404);
        assertError(client.events("demo", run, "abc"), 400);
        assertError(client.cancel("demo", run), 409);
        assertError(client("mallory-" + id()).cancel("demo", run), 404);
    }

    private static void assertError(AguiClient.Stream answer, int status) {
        try (answer) {
            assertThat(answer.status).isEqualTo(status);
            assertThat(answer.contentType).startsWith("application/json");
            assertThat(Json.read(answer.errorBody()).path("error").asText()).isNotBlank();
        }
    }

    @Test
    void aStreamCutMidRunRejoinsWithLastEventIdAndLosesAndRepeatsNothing() {
        AguiClient client = client("cut-" + id());
        String run = id();
        List<AguiClient.Event> seen = new ArrayList<>();
        try (AguiClient.Stream first = client.post("demo", AguiClient.input(id(), run, "cut me",
                AguiClient.demoProps(3, 3, 40)))) {
            for (int i = 0; i < 9; i++) {
                seen.add(first.next());
            }
        } // the connection drops here, mid-run; the run goes on
        String last = String.valueOf(seen.getLast().id());
        try (AguiClient.Stream rejoin = client.events("demo", run, last)) {
            assertThat(rejoin.status).isEqualTo(200);
            seen.addAll(rejoin.rest());
        }
        AguiChecks.wellFormedRun(seen);
        try (AguiClient.Stream replay = client.events("demo", run, null)) {
            assertThat(seen).isEqualTo(replay.rest());
        }
        assertThat(metrics()).contains("agentserver_agui_rejoins_total{agent=\"demo\"}");
    }

    @Test
    void cancelStopsTheStoredRunAndTheLiveStreamEndsWithACancelledOutcome() {
        AguiClient client = client("cancel-" + id());
        String run = id();
        try (AguiClient.Stream stream = client.post("demo", AguiClient.input(id(), run, "stop me",
                AguiClient.demoProps(3, 3, 300)))) {
            List<AguiClient.Event> events = new ArrayList<>(stream.until(e -> e.type().equals("STEP_STARTED")));
            try (AguiClient.Stream cancel = client.cancel("demo", run)) {
                assertThat(cancel.status).isEqualTo(202);
                JsonNode answer = Json.read(cancel.errorBody());
                assertThat(answer.path("runId").asText()).isEqualTo(run);
                assertThat(answer.path("status").asText()).isEqualTo("cancelling");
            }
            events.addAll(stream.rest());
            AguiChecks.wellFormedRun(events);
            assertThat(events.getLast().data().path("outcome").path("type").asText()).isEqualTo("cancelled");
            assertThat(events.get(events.size() - 2).type()).isEqualTo("STEP_FINISHED");
        }
    }

    @Test
    void aNewRunOnAThreadWithAPendingInterruptGetsARunErrorStream() {
        AguiClient client = client("pending-" + id());
        String thread = id();
        ObjectNode props = AguiClient.demoProps(1, 1, 0);
        ((ObjectNode) props.path("args").path("demo")).put("ask_human", true);
        try (AguiClient.Stream first = client.post("demo", AguiClient.input(thread, id(), "ask", props))) {
            List<AguiClient.Event> events = first.rest();
            assertThat(events.getLast().data().path("outcome").path("type").asText()).isEqualTo("interrupt");
        }
        try (AguiClient.Stream second = client.post("demo", AguiClient.input(thread, id(), "again", null))) {
            List<AguiClient.Event> events = second.rest();
            assertThat(events).extracting(AguiClient.Event::type).containsExactly("RUN_STARTED", "RUN_ERROR");
            assertThat(events.getLast().data().path("code").asText()).isEqualTo("interrupt_pending");
        }
        ObjectNode wrong = AguiClient.resume(thread, id(), "not-the-interrupt", Json.object());
        try (AguiClient.Stream third = client.post("demo", wrong)) {
            List<AguiClient.Event> events = third.rest();
            assertThat(events.getLast().data().path("code").asText()).isEqualTo("interrupt_mismatch");
        }
    }

    @Test
    void aReaderThatStopsReadingIsEndedWhileOthersGetEveryEvent() throws Exception {
        String user = "slow-" + id();
        AguiClient client = client(user);
        String run = id();
        String goal = "g".repeat(3_000_000); // the plan and the report carry it: megabytes of events
        try (AguiClient.Stream stream = client.post("demo", AguiClient.input(id(), run, goal,
                AguiClient.demoProps(1, 2, 0)))) {
            AguiChecks.wellFormedRun(stream.rest());
        }
        double before = metricValue("agentserver_agui_slow_readers_total{agent=\"demo\"}");
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            raw.getOutputStream().write(("GET /ag-ui/demo/runs/" + run + "/events HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + TestTokens.forUser(user) + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            raw.getOutputStream().flush();
            // never reads: meanwhile another reader of the same run gets all of it
            try (AguiClient.Stream other = client.events("demo", run, null)) {
                AguiChecks.wellFormedRun(other.rest());
            }
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (metricValue("agentserver_agui_slow_readers_total{agent=\"demo\"}") < before + 1) {
                assertThat(System.nanoTime()).as("the stalled stream ends").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private String metrics() {
        try (AguiClient.Stream answer = client("metrics").get("/metrics")) {
            return answer.errorBody();
        }
    }

    private double metricValue(String series) {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private static List<String> types(List<AguiClient.Event> events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.type()));
        return types;
    }
}
