package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.agui.AguiChecks;
import io.agentserver.service.agui.AguiClient;
import io.agentserver.service.agui.AguiDriver;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.agentserver.service.agent.llm.FakeChatServer.args;
import static io.agentserver.service.agent.llm.FakeChatServer.plan;
import static io.agentserver.service.agent.llm.FakeChatServer.text;
import static io.agentserver.service.agent.llm.FakeChatServer.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LLM agent through AG-UI with the official client: the model's streamed answer (the fake Chat Completions
 * server sends 7-character pieces) arrives as TEXT_MESSAGE_CONTENT deltas and TOOL_CALL_ARGS fragments, each tool
 * call gets its result once its step is stored, and a replay after the end shows exactly what the live stream did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlmOverAguiIT {

    private final FakeChatServer model = new FakeChatServer();
    private TestServer server;
    private AguiDriver driver;

    @BeforeAll
    void start() {
        driver = AguiDriver.start();
        server = TestServer.start(TestDatabases.h2(), Map.ofEntries(
                Map.entry("llm.base.url", model.baseUrl()),
                Map.entry("llm.api.key", "sk-test-key"),
                Map.entry("llm.model", "test-model"),
                Map.entry("llm.max.steps", "30"),
                Map.entry("llm.max.retries", "0"),
                Map.entry("quota.runs-per-hour", "0"),
                Map.entry("quota.concurrent-runs", "0")));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (driver != null) {
            driver.close();
        }
        model.close();
    }

    @Test
    void anLlmRunStreamsTheModelsTextAndToolArgumentsAsDeltasAndEveryToolCallGetsItsResult() {
        String summary = "The haiku is written to haiku.md and reads well: sockets hum softly, bytes drift home.";
        model.then(
                toolCall("make_plan", plan("Write the haiku")),
                toolCall("write_file", args("path", "haiku.md", "content", "sockets hum softly")),
                text(summary));
        String token = TestTokens.forUser("llm-" + UUID.randomUUID());
        String thread = UUID.randomUUID().toString();
        String run = UUID.randomUUID().toString();
        AguiDriver.Seen seen = driver.run(server, "llm", token, thread, thread, run, "write a haiku about sockets",
                null, null).clean();
        seen.events().forEach(e -> System.out.println("agui llm <- " + e));

        List<JsonNode> events = seen.events();
        assertThat(events.getLast().path("type").asText()).isEqualTo("RUN_FINISHED");
        List<String> textDeltas = events.stream().filter(e -> e.path("type").asText().equals("TEXT_MESSAGE_CONTENT"))
                .map(e -> e.path("delta").asText()).toList();
        assertThat(textDeltas.size()).as("the answer's text arrives in pieces").isGreaterThan(1);
        assertThat(String.join("", textDeltas)).contains(summary);
        List<JsonNode> writeArgs = argsOf(events, "write_file");
        assertThat(writeArgs.size()).as("a tool call's arguments arrive in fragments").isGreaterThan(1);
        assertThat(String.join("", writeArgs.stream().map(e -> e.path("delta").asText()).toList()))
                .contains("haiku.md").contains("sockets hum softly");
        String writeCall = events.stream().filter(e -> e.path("type").asText().equals("TOOL_CALL_START")
                && e.path("toolCallName").asText().equals("write_file")).findFirst().orElseThrow()
                .path("toolCallId").asText();
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("TOOL_CALL_RESULT")
                && e.path("toolCallId").asText().equals(writeCall))).hasSize(1);
        assertThat(seen.state().path("files").findValuesAsText("name")).contains("haiku.md");

        // The wire: ids, pairing and deltas; and a replay after the end is what the live client saw.
        try (AguiClient.Stream replay = new AguiClient(server, token).events("llm", run, null)) {
            List<AguiClient.Event> wire = replay.rest();
            assertThat(AguiChecks.wellFormedRun(wire)).isEqualTo(seen.state());
            assertThat(wire.stream().map(AguiClient.Event::data).toList()).isEqualTo(events);
        }
    }

    private static List<JsonNode> argsOf(List<JsonNode> events, String toolName) {
        String id = events.stream().filter(e -> e.path("type").asText().equals("TOOL_CALL_START")
                && e.path("toolCallName").asText().equals(toolName)).findFirst().orElseThrow()
                .path("toolCallId").asText();
        return events.stream().filter(e -> e.path("type").asText().equals("TOOL_CALL_ARGS")
                && e.path("toolCallId").asText().equals(id)).toList();
    }
}
