package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official client, unchanged ({@code @ag-ui/client} 1.0.0's HttpAgent with its own event verification and
 * {@code @ag-ui/core}'s schemas on every event; any warning fails), against a real server: a demo run end to end,
 * a rejoin with {@code connectAgent()}, and human in the loop by interrupt and resume, then the same run replayed
 * through XAgent's {@code /ws/replay}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AguiOfficialClientIT {

    private TestServer server;
    private AguiDriver driver;

    @BeforeAll
    void start() {
        driver = AguiDriver.start();
        server = TestServer.start(TestDatabases.h2(), Map.of());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (driver != null) {
            driver.close();
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void theOfficialClientRunsADemoRunEndToEndAndItsRejoinReplaysTheSameEvents() {
        String user = "client-" + id();
        String token = TestTokens.forUser(user);
        String thread = id();
        String run = id();
        AguiDriver.Seen seen = driver.run(server, "demo", token, thread, thread, run, "write a short report",
                AguiClient.demoProps(2, 2, 10), null).clean();
        List<String> types = seen.types();
        assertThat(types.getFirst()).isEqualTo("RUN_STARTED");
        assertThat(types.getLast()).isEqualTo("RUN_FINISHED");
        assertThat(types).contains("STATE_SNAPSHOT", "STATE_DELTA", "STEP_STARTED", "STEP_FINISHED",
                "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS",
                "TOOL_CALL_END", "TOOL_CALL_RESULT");
        assertThat(seen.state().path("plan").path("subtasks").findValuesAsText("status")).containsOnly("DONE");
        assertThat(seen.state().path("files").findValuesAsText("name")).contains("report.md");

        // What the client does not check, on the wire: ids, pairing, deltas; and the client's state is the server's.
        List<AguiClient.Event> wire;
        try (AguiClient.Stream replay = new AguiClient(server, token).events("demo", run, null)) {
            wire = replay.rest();
        }
        assertThat(AguiChecks.wellFormedRun(wire)).isEqualTo(seen.state());
        assertThat(wire.stream().map(AguiClient.Event::data).toList()).isEqualTo(seen.events());

        AguiDriver.Seen rejoined = driver.rejoin(server, "demo", token, thread, run).clean();
        assertThat(rejoined.events()).isEqualTo(seen.events());
        assertThat(rejoined.state()).isEqualTo(seen.state());
    }

    @Test
    void humanInTheLoopEndsARunWithAnInterruptAndTheClientsResumeContinuesTheSameStoredRun() {
        String user = "hitl-" + id();
        String token = TestTokens.forUser(user);
        String thread = id();
        ObjectNode props = AguiClient.demoProps(2, 1, 5);
        ((ObjectNode) props.path("args").path("demo")).put("ask_human", true);

        String first = id();
        AguiDriver.Seen asked = driver.run(server, "demo", token, thread, thread, first, "ask me first", props, null)
                .clean();
        JsonNode finished = asked.events().getLast();
        assertThat(finished.path("type").asText()).isEqualTo("RUN_FINISHED");
        assertThat(finished.path("outcome").path("type").asText()).isEqualTo("interrupt");
        JsonNode interrupt = finished.path("outcome").path("interrupts").get(0);
        assertThat(interrupt.path("reason").asText()).isEqualTo("input_required");
        assertThat(interrupt.path("message").asText()).contains("what should the result focus on");
        assertThat(asked.pendingInterrupts()).hasSize(1);
        assertThat(asked.types().get(asked.types().size() - 2)).isEqualTo("STATE_SNAPSHOT");
        String interactionId = asked.state().path("interactionId").asText();

        String second = id();
        ObjectNode answer = Json.object().put("interruptId", interrupt.path("id").asText()).put("status", "resolved");
        answer.putObject("payload").put("answer", "focus on latency");
        AguiDriver.Seen resumed = driver.run(server, "demo", token, thread, thread, second, null, null,
                Json.array().add(answer)).clean();
        assertThat(resumed.types().getFirst()).isEqualTo("RUN_STARTED");
        assertThat(resumed.types().get(1)).isEqualTo("STATE_SNAPSHOT");
        assertThat(resumed.types().get(2)).isEqualTo("STEP_STARTED");
        assertThat(resumed.events().getLast().path("outcome").path("type").asText()).isEqualTo("success");
        assertThat(resumed.pendingInterrupts()).isEmpty();
        assertThat(resumed.state().path("interactionId").asText()).isEqualTo(interactionId);
        assertThat(resumed.events().stream().filter(e -> e.path("type").asText().equals("TEXT_MESSAGE_CONTENT"))
                .map(e -> e.path("delta").asText())).anyMatch(t -> t.contains("focus on latency"));

        // The same stored run through XAgent's replay socket: one using_tools step per AG-UI tool call result.
        long results = asked.types().stream().filter("TOOL_CALL_RESULT"::equals).count()
                + resumed.types().stream().filter("TOOL_CALL_RESULT"::equals).count();
        try (WsTestClient replay = WsTestClient.connect(server.ws("/ws/replay/" + interactionId + "?user_id="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&token=" + token))) {
            assertThat(replay.next().path("status").asText()).isEqualTo("connect");
            replay.send(Json.object().put("type", "replay"));
            List<JsonNode> frames = replay.untilClosed();
            List<String> statuses = frames.stream().map(f -> f.path("status").asText()).toList();
            assertThat(statuses).contains("start", "ask_for_human_help", "inner", "subtask_submit", "finished");
            long toolSteps = frames.stream().filter(f -> f.path("data").path("using_tools").has("tool_name")).count();
            assertThat(toolSteps).isEqualTo(results);
        }
    }
}
