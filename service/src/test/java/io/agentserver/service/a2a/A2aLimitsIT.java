package io.agentserver.service.a2a;

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

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sockets' limits on A2A streams: open requests per user, keep-alive comments on an idle stream, a client that
 * stops reading dropped after the write timeout, the configured public base URL in cards, and streams ended (not
 * cut) when the server drains.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aLimitsIT {

    private TestServer server;
    private URI endpoint;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of(
                "hub.max-connections-per-user", "2",
                "a2a.keep-alive", "PT0.2S",
                "a2a.stall-timeout", "PT1S",
                "a2a.writer-max-bytes", "65536",
                "auth.jwt.leeway", "PT0S",
                "a2a.public-base-url", "https://agents.example.com/prefix/",
                "run.human-reply-timeout", "PT60S",
                "run.max-step-bytes", String.valueOf(4 * 1024 * 1024)));
        endpoint = server.http("/a2a/demo");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theConfiguredPublicBaseUrlIsTheCardsInterface() {
        JsonNode card = A2aHttp.get(server.http("/a2a/demo/.well-known/agent-card.json"),
                Map.of("X-Forwarded-Host", "ignored.example.com")).json();
        assertThat(card.path("supportedInterfaces").get(0).path("url").asText())
                .isEqualTo("https://agents.example.com/prefix/a2a/demo");
    }

    @Test
    void aUserHoldsAtMostTheSocketsConnectionCapInStreamsAndAnIdleStreamGetsKeepAliveComments() {
        String token = TestTokens.forUser("frank-" + UUID.randomUUID());
        String id = waitingTask(token);
        try (A2aHttp.SseLines first = subscribe(token, id); A2aHttp.SseLines second = subscribe(token, id)) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.contentType()).startsWith("text/event-stream");
            List<String> lines = first.until(l -> l.startsWith("data: "), "the task");
            assertThat(A2aHttp.SseLines.data(lines).get(0).path("result").path("task").path("status").path("state")
                    .asText()).isEqualTo("TASK_STATE_INPUT_REQUIRED");
            assertThat(first.until(l -> l.equals(": ping"), "a keep-alive comment")).last().isEqualTo(": ping");
            second.until(l -> l.startsWith("data: "), "the task");

            A2aHttp.Reply third = A2aHttp.rpc(endpoint, token, "SubscribeToTask", Json.object().put("id", id), Map.of());
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.code()).isEqualTo(-32050);
            String other = TestTokens.forUser("grace-" + UUID.randomUUID());
            assertThat(A2aHttp.rpc(endpoint, other, "GetTask", Json.object().put("id", id), Map.of()).code())
                    .as("another user is not held back, and does not see the task").isEqualTo(-32001);
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAfterTheStallTimeout() throws Exception {
        String token = TestTokens.forUser("hank-" + UUID.randomUUID());
        // a goal near the request cap: the replay (the goal in the task, the plan, a step and the report) is many
        // MB, more than the socket buffers of a client that reads nothing can take
        ObjectNode big = A2aServerIT.send("x".repeat(900 * 1024), A2aServerIT.demo(1, 1, 0));
        String id = A2aHttp.rpc(endpoint, token, "SendMessage", big, Map.of()).json().path("result").path("task")
                .path("id").asText();
        double before = slowConsumerStreams();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SubscribeToTask\",\"params\":{\"id\":\"" + id + "\"}}";
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = socket.getOutputStream();
            out.write(("POST /a2a/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nLast-Event-ID: 0.0\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            long deadline = System.nanoTime() + A2aHttp.WAIT.toNanos();
            while (slowConsumerStreams() <= before) {
                assertThat(System.nanoTime()).as("the stalled stream is dropped").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aReplaySeveralTimesTheStreamsCapArrivesWholeAndInOrder() {
        String token = TestTokens.forUser("jill-" + UUID.randomUUID());
        JsonNode task = A2aHttp.rpc(endpoint, token, "SendMessage", A2aServerIT.send("many steps",
                A2aServerIT.demo(10, 10, 0)), Map.of()).json().path("result").path("task");
        assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        String id = task.path("id").asText();
        long lastSeq = Long.parseLong(server.query("SELECT MAX(seq) FROM steps WHERE interaction_id = ?", id)
                .get(0).get(0));
        try (A2aHttp.SseLines replay = A2aHttp.SseLines.open(endpoint, token, "SubscribeToTask",
                Json.object().put("id", id), Map.of("Last-Event-ID", "0.0"))) {
            List<String> lines = replay.rest();
            long bytes = lines.stream().mapToLong(String::length).sum();
            assertThat(bytes).as("the replay is more than twice the 64 KiB cap").isGreaterThan(2 * 65536);
            List<String> ids = lines.stream().filter(l -> l.startsWith("id: ")).map(l -> l.substring(4)).toList();
            List<Long> seqs = ids.stream().map(i -> EventId.parse(i).orElseThrow().seq()).distinct().toList();
            assertThat(seqs).as("every step after 0, once, in order")
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, lastSeq).boxed().toList());
            assertThat(A2aHttp.SseLines.data(lines)).last().satisfies(last -> assertThat(last.path("result")
                    .path("statusUpdate").path("status").path("state").asText()).isEqualTo("TASK_STATE_COMPLETED"));
        }
    }

    @Test
    void aStreamOpenedWithAnExpiringTokenEndsWhenTheTokenExpires() {
        String user = "kim-" + UUID.randomUUID();
        String id = waitingTask(TestTokens.forUser(user));
        Instant expires = Instant.now().plusSeconds(3);
        String shortLived = TestTokens.signed(TestTokens.valid(user).expirationTime(Date.from(expires)).build(),
                TestTokens.SECRET);
        try (A2aHttp.SseLines stream = subscribe(shortLived, id)) {
            stream.until(l -> l.startsWith("data: "), "the task");
            stream.rest();
            assertThat(Instant.now()).as("not before the token's exp (whole seconds)")
                    .isAfterOrEqualTo(expires.minusSeconds(1));
        }
    }

    @Test
    void drainingEndsOpenStreamsAfterWhatIsQueued() throws Exception {
        TestServer draining = TestServer.start(TestDatabases.h2(), Map.of("run.human-reply-timeout", "PT60S"));
        String token = TestTokens.forUser("ivy-" + UUID.randomUUID());
        URI drainingEndpoint = draining.http("/a2a/demo");
        ObjectNode ask = A2aServerIT.send("ask and wait", askHuman());
        String id = A2aHttp.rpc(drainingEndpoint, token, "SendMessage", ask, Map.of()).json().path("result")
                .path("task").path("id").asText();
        try (A2aHttp.SseLines stream = A2aHttp.SseLines.open(drainingEndpoint, token, "SubscribeToTask",
                Json.object().put("id", id), Map.of())) {
            stream.until(l -> l.startsWith("data: "), "the task");
            Thread closing = Thread.ofVirtual().start(draining::close);
            assertThat(stream.rest()).as("the response ends; the client may resume elsewhere").isNotNull();
            closing.join();
        }
    }

    private String waitingTask(String token) {
        JsonNode task = A2aHttp.rpc(endpoint, token, "SendMessage", A2aServerIT.send("ask me", askHuman()), Map.of())
                .json().path("result").path("task");
        assertThat(task.path("status").path("state").asText()).isEqualTo("TASK_STATE_INPUT_REQUIRED");
        return task.path("id").asText();
    }

    private A2aHttp.SseLines subscribe(String token, String id) {
        return A2aHttp.SseLines.open(endpoint, token, "SubscribeToTask", Json.object().put("id", id), Map.of());
    }

    private static ObjectNode askHuman() {
        ObjectNode metadata = A2aServerIT.demo(1, 1, 0);
        ((ObjectNode) metadata.path("args").path("demo")).put("ask_human", true);
        return metadata;
    }

    private double slowConsumerStreams() {
        String text = HttpForms.get(server.http("/metrics")).body().asText();
        Matcher m = Pattern.compile("agentserver_a2a_streams_total\\{end=\"slow\"} ([0-9.]+)").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
