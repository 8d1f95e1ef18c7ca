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

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error case of the A2A contract's table over raw HTTP, exactly: HTTP status, JSON-RPC code, the id echoed,
 * and the {@code google.rpc.ErrorInfo} that A2A's own errors carry; and authentication (401, header only).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aErrorsIT {

    private TestServer server;
    private URI endpoint;
    private String token;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of());
        endpoint = server.http("/a2a/demo");
        token = TestTokens.forUser("erin-" + UUID.randomUUID());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyThatIsNotJsonIsAParseErrorWithANullId() {
        A2aHttp.Reply reply = A2aHttp.post(endpoint, "{\"jsonrpc\":\"2.0\",", auth());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.code()).isEqualTo(-32700);
        assertThat(reply.json().path("id").isNull()).isTrue();
        assertThat(reply.json().path("jsonrpc").asText()).isEqualTo("2.0");
    }

    @Test
    void somethingThatIsNotAJsonRpcRequestIsAnInvalidRequest() {
        assertThat(A2aHttp.post(endpoint, "[1,2]", auth()).code()).isEqualTo(-32600);
        A2aHttp.Reply wrongVersion = A2aHttp.post(endpoint, "{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"GetTask\"}",
                auth());
        assertThat(wrongVersion.code()).isEqualTo(-32600);
        assertThat(wrongVersion.json().path("id").asInt()).isEqualTo(3);
        assertThat(A2aHttp.post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":3}", auth()).code()).isEqualTo(-32600);
    }

    @Test
    void anUnknownMethodAnd03NamesAreMethodNotFoundWithTheRequestsId() {
        for (String method : List.of("message/send", "message/stream", "tasks/get", "tasks/cancel",
                "tasks/resubscribe", "Nope")) {
            A2aHttp.Reply reply = A2aHttp.post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":\"r-9\",\"method\":\"" + method
                    + "\",\"params\":{}}", auth());
            assertThat(reply.code()).as(method).isEqualTo(-32601);
            assertThat(reply.json().path("id").asText()).isEqualTo("r-9");
        }
    }

    @Test
    void badParamsAreInvalidParams() {
        assertThat(A2aHttp.post(endpoint, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":[1]}",
                auth()).code()).isEqualTo(-32602);
        assertThat(rpc("SendMessage", Json.object()).code()).as("no message").isEqualTo(-32602);
        ObjectNode noParts = Json.object();
        noParts.putObject("message").put("messageId", "m1").putArray("parts");
        assertThat(rpc("SendMessage", noParts).code()).as("no parts").isEqualTo(-32602);
        ObjectNode noId = Json.object();
        noId.putObject("message").putArray("parts").addObject().put("text", "hi");
        A2aHttp.Reply reply = rpc("SendMessage", noId);
        assertThat(reply.code()).as("no messageId").isEqualTo(-32602);
        assertThat(reason(reply)).isEqualTo("INVALID_PARAMS");
        assertThat(rpc("GetTask", Json.object()).code()).as("no task id").isEqualTo(-32602);
        assertThat(rpc("CancelTask", Json.object().put("id", 5)).code()).as("a task id is a string").isEqualTo(-32602);
        assertThat(rpc("ListTasks", Json.object().put("pageSize", 101)).code()).isEqualTo(-32602);
        assertThat(rpc("ListTasks", Json.object().put("pageToken", "not-ours")).code()).isEqualTo(-32602);
        assertThat(rpc("ListTasks", Json.object().put("status", "working")).code()).isEqualTo(-32602);
        ObjectNode badMode = A2aServerIT.send("go", Json.object().put("mode", "turbo"));
        assertThat(rpc("SendMessage", badMode).code()).isEqualTo(-32602);
    }

    @Test
    void anUnknownTaskIsTaskNotFoundWithItsErrorInfo() {
        A2aHttp.Reply reply = rpc("GetTask", Json.object().put("id", "no-such-task"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.code()).isEqualTo(-32001);
        JsonNode info = reply.json().path("error").path("data").get(0);
        assertThat(info.path("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(info.path("reason").asText()).isEqualTo("TASK_NOT_FOUND");
        assertThat(info.path("domain").asText()).isEqualTo("a2a-protocol.org");
    }

    @Test
    void finishedTasksAreNotCancelableAndTakeNoMessagesOrSubscriptions() {
        String done = finished();
        A2aHttp.Reply cancel = rpc("CancelTask", Json.object().put("id", done));
        assertThat(cancel.code()).isEqualTo(-32002);
        assertThat(reason(cancel)).isEqualTo("TASK_NOT_CANCELABLE");

        ObjectNode message = A2aServerIT.send("more please", Json.object());
        ((ObjectNode) message.path("message")).put("taskId", done);
        A2aHttp.Reply more = rpc("SendMessage", message);
        assertThat(more.code()).isEqualTo(-32004);
        assertThat(reason(more)).isEqualTo("UNSUPPORTED_OPERATION");

        A2aHttp.Reply subscribe = rpc("SubscribeToTask", Json.object().put("id", done));
        assertThat(subscribe.code()).as("answered as JSON before any stream").isEqualTo(-32004);
        assertThat(subscribe.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    @Test
    void aMessageToATaskThatIsNotWaitingIsUnsupported() {
        ObjectNode slow = A2aServerIT.send("a slow run", A2aServerIT.demo(3, 3, 500));
        slow.putObject("configuration").put("returnImmediately", true);
        String id = rpc("SendMessage", slow).json().path("result").path("task").path("id").asText();
        ObjectNode message = A2aServerIT.send("are you there", Json.object());
        ((ObjectNode) message.path("message")).put("taskId", id);
        A2aHttp.Reply reply = rpc("SendMessage", message);
        assertThat(reply.code()).isEqualTo(-32004);
        assertThat(reply.json().path("error").path("message").asText()).contains("not waiting for input");
        rpc("CancelTask", Json.object().put("id", id));
    }

    @Test
    void anA2aVersionOtherThan10IsNotSupportedAndAMissingOneIs10() {
        for (String version : List.of("0.3", "2.0", "one")) {
            A2aHttp.Reply reply = A2aHttp.rpc(endpoint, token, "GetTask", Json.object().put("id", "x"),
                    Map.of("A2A-Version", version));
            assertThat(reply.code()).as(version).isEqualTo(-32009);
            assertThat(reason(reply)).isEqualTo("VERSION_NOT_SUPPORTED");
            assertThat(reply.json().path("id").asInt()).isEqualTo(7);
        }
        assertThat(A2aHttp.rpc(endpoint, token, "GetTask", Json.object().put("id", "x"), Map.of("A2A-Version", "1.0"))
                .code()).isEqualTo(-32001);
        assertThat(rpc("GetTask", Json.object().put("id", "x")).code()).as("no header").isEqualTo(-32001);
    }

    @Test
    void anUnknownLastEventIdIsInvalidParams() {
        String done = finished();
        for (String id : List.of("abc", "99.0", "0.7", "-1.0")) {
            A2aHttp.Reply reply = A2aHttp.rpc(endpoint, token, "SubscribeToTask", Json.object().put("id", done),
                    Map.of("Last-Event-ID", id));
            assertThat(reply.code()).as(id).isEqualTo(-32602);
        }
    }

    @Test
    void withoutAValidBearerTokenInTheHeaderTheAnswerIs401() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}";
        String expired = TestTokens.signed(TestTokens.valid("erin").expirationTime(Date.from(Instant.now()
                .minusSeconds(600))).build(), TestTokens.SECRET);
        String forged = TestTokens.signed(TestTokens.valid("erin").build(), "another-secret-that-is-long-enough!!!!");
        List<Map<String, String>> refused = List.of(Map.of(), Map.of("Authorization", "Bearer "),
                Map.of("Authorization", "Bearer " + expired), Map.of("Authorization", "Bearer " + forged),
                Map.of("Authorization", "Basic ZXJpbjpwdw=="), Map.of("Authorization", token));
        for (Map<String, String> headers : refused) {
            A2aHttp.Reply reply = A2aHttp.post(endpoint, body, headers);
            assertThat(reply.status()).as(headers.toString()).isEqualTo(401);
            assertThat(reply.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(reply.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,"
                    + "\"message\":\"Authentication required\"}}");
        }
        A2aHttp.Reply inQuery = A2aHttp.post(URI.create(endpoint + "?token=" + token), body, Map.of());
        assertThat(inQuery.status()).as("never the query").isEqualTo(401);
        assertThat(A2aHttp.post(endpoint, body, Map.of("Authorization", "bearer " + token)).status())
                .as("the scheme in any case").isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() {
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\""
                + "x".repeat(2 * 1024 * 1024) + "\"}}";
        A2aHttp.Reply reply = A2aHttp.post(endpoint, huge, auth());
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.code()).isEqualTo(-32600);
    }

    @Test
    void ourOwnFaultIsInternalErrorWithHttp500AndNoDetail() throws Exception {
        try (TestServer broken = TestServer.start(TestDatabases.h2(), Map.of())) {
            URI brokenEndpoint = broken.http("/a2a/demo");
            ObjectNode quick = A2aServerIT.send("quick", A2aServerIT.demo(1, 1, 0));
            String id = A2aHttp.rpc(brokenEndpoint, token, "SendMessage", quick, Map.of()).json().path("result")
                    .path("task").path("id").asText();
            try (Connection c = DriverManager.getConnection(broken.database().url(), broken.database().username(),
                    broken.database().password()); Statement s = c.createStatement()) {
                s.execute("DROP TABLE a2a_messages");
            }
            A2aHttp.Reply reply = A2aHttp.rpc(brokenEndpoint, token, "GetTask", Json.object().put("id", id), Map.of());
            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.code()).isEqualTo(-32603);
            assertThat(reply.json().path("id").asInt()).isEqualTo(7);
            assertThat(reply.body()).doesNotContain("a2a_messages").doesNotContain("jdbc");
        }
    }

    private String finished() {
        return rpc("SendMessage", A2aServerIT.send("done soon", A2aServerIT.demo(1, 1, 0))).json().path("result")
                .path("task").path("id").asText();
    }

    private A2aHttp.Reply rpc(String method, JsonNode params) {
        return A2aHttp.rpc(endpoint, token, method, params, Map.of());
    }

    private Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String reason(A2aHttp.Reply reply) {
        return reply.json().path("error").path("data").get(0).path("reason").asText();
    }
}
