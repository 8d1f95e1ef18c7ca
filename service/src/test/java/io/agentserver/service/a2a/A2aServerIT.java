package io.agentserver.service.a2a;

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

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The official A2A JavaScript SDK's client against every agent of ours as an A2A agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aServerIT {

    private SdkA2aClient sdk;
    private TestServer server;
    private String alice;

    @BeforeAll
    void start() {
        sdk = SdkA2aClient.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("run.human-reply-timeout", "PT30S"));
        alice = TestTokens.forUser("alice-" + UUID.randomUUID());
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

    @Test
    void theSdkResolvesTheCardAndFindsTheAbsoluteJsonRpcInterface() {
        JsonNode resolved = sdk.card(base());
        assertThat(resolved.path("error").isMissingNode()).as(resolved.toString()).isTrue();
        assertThat(resolved.path("card").path("name").asText()).isEqualTo("demo");
        assertThat(resolved.path("protocolVersion").asText()).isEqualTo("1.0");
        assertThat(resolved.path("card").path("supportedInterfaces").get(0).path("url").asText())
                .isEqualTo("http://127.0.0.1:" + server.port() + "/a2a/demo");
    }

    @Test
    void aBlockingSendAnswersTheCompletedTaskWithItsWorkspaceAsArtifacts() {
        JsonNode answer = sdk.result(base(), alice, "sendMessage", send("write a short report", demo(1, 0)));
        JsonNode task = answer.path("task");
        assertThat(task.path("status").path("state").asText()).as(task.toString()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.path("artifacts")).extracting(a -> a.path("name").asText()).containsExactly("report.md");
    }

    @Test
    void aStreamSendsTheTaskThenEveryStepAsEvents() {
        SdkA2aClient.Stream stream = sdk.stream(base(), alice, "sendMessageStream", send("stream a report", demo(1, 0)),
                null);
        JsonNode done = stream.awaitDone();
        assertThat(done.path("error").isNull()).as(done.path("error").toString()).isTrue();
        List<JsonNode> events = stream.events();
        events.forEach(e -> System.out.println(Json.write(e)));
        assertThat(events.get(0).has("task")).isTrue();
        assertThat(events.get(events.size() - 1).path("statusUpdate").path("status").path("state").asText())
                .isEqualTo("TASK_STATE_COMPLETED");
    }

    static ObjectNode send(String text, ObjectNode metadata) {
        ObjectNode params = Json.object();
        ObjectNode message = params.putObject("message").put("messageId", UUID.randomUUID().toString())
                .put("role", "ROLE_USER");
        message.putArray("parts").addObject().put("text", text);
        message.set("metadata", metadata);
        return params;
    }

    static ObjectNode demo(int subtasks, int delayMs) {
        ObjectNode metadata = Json.object();
        metadata.putObject("args").putObject("demo").put("subtasks", subtasks).put("inner", 1).put("delay_ms", delayMs);
        return metadata;
    }
}
