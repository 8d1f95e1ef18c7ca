package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
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
        server = TestServer.start(TestDatabases.h2(), Map.of("agui.keep-alive", "PT1S"));
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

    private static List<String> types(List<AguiClient.Event> events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.type()));
        return types;
    }
}
