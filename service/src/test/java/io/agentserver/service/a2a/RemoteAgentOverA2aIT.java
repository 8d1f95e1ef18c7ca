package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.protocol.SdkAgentServer;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent we host but did not write — the official Agent Protocol SDK's server — called through our A2A server by
 * the official A2A client: its question is {@code TASK_STATE_INPUT_REQUIRED}, and the answer, a message on the same
 * task, becomes the remote agent's next input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteAgentOverA2aIT {

    private SdkA2aClient sdk;
    private SdkAgentServer remote;
    private TestServer server;

    @BeforeAll
    void start() {
        sdk = SdkA2aClient.start();
        remote = SdkAgentServer.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("agents.sdk.url", remote.url() + "/",
                "agents.sdk.token", "s3cret", "quota.runs-per-hour", "0", "quota.concurrent-runs", "0",
                "run.human-reply-timeout", "PT60S"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (remote != null) {
            remote.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    @Test
    void anAgentProtocolAgentIsAnA2aAgentWhoseQuestionIsAnsweredOnTheSameTask() {
        String base = "http://127.0.0.1:" + server.port() + "/a2a/sdk/";
        String token = TestTokens.forUser("a2a-" + UUID.randomUUID());
        JsonNode asked = sdk.result(base, token, "sendMessage",
                A2aServerIT.send("write a poem about sockets", Json.object())).path("task");
        assertThat(asked.path("status").path("state").asText()).as(asked.toString())
                .isEqualTo("TASK_STATE_INPUT_REQUIRED");
        assertThat(asked.path("status").path("message").path("parts").get(0).path("text").asText())
                .contains("Which colour should the summary use?");
        assertThat(asked.path("metadata").path("agent").asText()).isEqualTo("sdk");

        ObjectNode answer = A2aServerIT.send("teal", Json.object());
        ObjectNode message = (ObjectNode) answer.path("message");
        message.put("taskId", asked.path("id").asText());
        message.withArray("parts").addObject().putObject("data").put("input", "teal");
        message.withArray("parts").remove(0);
        JsonNode done = sdk.result(base, token, "sendMessage", answer).path("task");
        assertThat(done.path("status").path("state").asText()).as(done.toString()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(done.path("id").asText()).isEqualTo(asked.path("id").asText());
        assertThat(done.path("artifacts").findValuesAsText("name")).contains("out/report.md");
    }
}
