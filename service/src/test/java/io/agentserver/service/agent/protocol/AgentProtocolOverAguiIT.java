package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agui.AguiChecks;
import io.agentserver.service.agui.AguiClient;
import io.agentserver.service.agui.AguiDriver;
import io.agentserver.service.json.Json;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Agent Protocol agent (the official SDK's server) through AG-UI with the official client: its steps become
 * tool calls with results, its question an interrupt, and the client's resume its next input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentProtocolOverAguiIT {

    private SdkAgentServer remote;
    private TestServer server;
    private AguiDriver driver;

    @BeforeAll
    void start() {
        driver = AguiDriver.start();
        remote = SdkAgentServer.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("agents.sdk.url", remote.url() + "/",
                "agents.sdk.token", "s3cret", "quota.runs-per-hour", "0", "quota.concurrent-runs", "0"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (remote != null) {
            remote.close();
        }
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void anAgentProtocolAgentRunsThroughAguiAndItsQuestionIsAnInterruptThatTheResumeAnswers() {
        String token = TestTokens.forUser("ap-" + UUID.randomUUID());
        String thread = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        AguiDriver.Seen asked = driver.run(server, "sdk", token, thread, thread, first, "write a poem about sockets",
                null, null).clean();
        JsonNode interrupt = asked.events().getLast().path("outcome").path("interrupts").get(0);
        assertThat(interrupt.path("reason").asText()).isEqualTo("input_required");
        assertThat(interrupt.path("message").asText()).isEqualTo("Which colour should the summary use?");
        assertThat(asked.events().stream().filter(e -> e.path("type").asText().equals("TOOL_CALL_START"))
                .map(e -> e.path("toolCallName").asText())).containsExactly("plan", "write_file", "ask_user");

        String second = UUID.randomUUID().toString();
        ObjectNode answer = Json.object().put("interruptId", interrupt.path("id").asText()).put("status", "resolved");
        answer.putObject("payload").put("input", "teal");
        AguiDriver.Seen resumed = driver.run(server, "sdk", token, thread, thread, second, null, null,
                Json.array().add(answer)).clean();
        assertThat(resumed.events().getLast().path("outcome").path("type").asText()).isEqualTo("success");
        assertThat(resumed.events().stream().filter(e -> e.path("type").asText().equals("TOOL_CALL_ARGS"))
                .map(e -> e.path("delta").asText())).anyMatch(args -> args.contains("teal"));
        assertThat(resumed.state().path("files").findValuesAsText("name")).contains("out/report.md");

        AguiChecks.everyRunReplaysWellFormed(new AguiClient(server, token), "sdk", List.of(first, second));
    }
}
