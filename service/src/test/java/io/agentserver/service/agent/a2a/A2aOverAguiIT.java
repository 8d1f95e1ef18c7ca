package io.agentserver.service.agent.a2a;

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
 * An A2A agent (the official {@code @a2a-js/sdk} server) through AG-UI with the official {@code @ag-ui/client}: its
 * status updates and artifacts become events, its {@code input-required} an interrupt, and the client's resume goes
 * back to the same remote task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aOverAguiIT {

    private SdkA2aServer remote;
    private TestServer server;
    private AguiDriver driver;

    @BeforeAll
    void start() {
        driver = AguiDriver.start();
        remote = SdkA2aServer.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("agents.remote.url", remote.base() + "/stream",
                "agents.remote.protocol", "a2a", "agents.remote.token", SdkA2aServer.TOKEN,
                "quota.runs-per-hour", "0", "quota.concurrent-runs", "0"));
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
    void anA2aAgentRunsThroughAguiAndItsQuestionIsAnInterruptThatTheResumeAnswersOnTheSameRemoteTask() {
        String token = TestTokens.forUser("a2a-" + UUID.randomUUID());
        String thread = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        AguiDriver.Seen asked = driver.run(server, "remote", token, thread, thread, first, "write a poem about sockets",
                null, null).clean();
        JsonNode interrupt = asked.events().getLast().path("outcome").path("interrupts").get(0);
        assertThat(interrupt.path("reason").asText()).isEqualTo("input_required");
        assertThat(interrupt.path("message").asText()).isEqualTo("Which colour should the summary use?");
        assertThat(asked.state().path("files").findValuesAsText("name")).contains("report.md");

        String second = UUID.randomUUID().toString();
        ObjectNode answer = Json.object().put("interruptId", interrupt.path("id").asText()).put("status", "resolved");
        answer.putObject("payload").put("answer", "teal");
        AguiDriver.Seen resumed = driver.run(server, "remote", token, thread, thread, second, null, null,
                Json.array().add(answer)).clean();
        assertThat(resumed.events().getLast().path("outcome").path("type").asText()).isEqualTo("success");
        assertThat(resumed.events().stream().filter(e -> e.path("type").asText().equals("TEXT_MESSAGE_CONTENT"))
                .map(e -> e.path("delta").asText())).contains("Using your answer: teal");
        assertThat(resumed.state().path("files").findValuesAsText("name")).contains("report.md", "summary.json");

        AguiChecks.everyRunReplaysWellFormed(new AguiClient(server, token), "remote", List.of(first, second));
    }
}
