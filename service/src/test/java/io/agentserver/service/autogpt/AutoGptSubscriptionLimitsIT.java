package io.agentserver.service.autogpt;

import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.graphExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/** Caps on {@code /ws} subscriptions and the shape of the ids, over real sockets and a real Redis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptSubscriptionLimitsIT {

    private static final String INVALID_DATA = "{\"method\":\"error\",\"data\":null,\"success\":false,\"channel\":null,"
            + "\"error\":\"Invalid message data. Refer to the API schema\"}";

    private EmbeddedRedis redis;
    private TestServer server;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("redis.uri", redis.uri(),
                "autogpt.subscriptions.max-per-socket", "3",
                "autogpt.subscriptions.max-per-user", "4"));
    }

    @AfterAll
    void stop() {
        server.close();
        redis.close();
    }

    private WsTestClient connect(String user) {
        return WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(user)));
    }

    private static String subscribeExec(String exec) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}";
    }

    private static String limitError(String text) {
        return "{\"method\":\"error\",\"data\":null,\"success\":false,\"channel\":null,\"error\":\"" + text + "\"}";
    }

    private long patterns() {
        return redis.commands().pubsubNumpat();
    }

    @Test
    void aSubscriptionOverThePerSocketCapIsRefusedAndTheOthersStillDeliver() {
        String user = UUID.randomUUID().toString();
        try (WsTestClient ws = connect(user)) {
            for (int i = 1; i <= 3; i++) {
                ws.send(subscribeExec("e" + i));
                assertThat(ws.nextText()).contains("\"success\":true");
            }
            long before = patterns();
            ws.send(subscribeExec("e4"));
            assertThat(ws.nextText()).isEqualTo(limitError("Subscription limit reached: at most 3 channels per connection"));
            assertThat(patterns()).isEqualTo(before);
            ws.send(subscribeExec("e1"));
            assertThat(ws.nextText()).as("subscribing again is idempotent, not a new channel").contains("\"success\":true");

            redis.publish(executionChannel(user, "g", "e4"), envelope(graphExecutionEvent(user, "g", "e4", "RUNNING")));
            redis.publish(executionChannel(user, "g", "e3"), envelope(graphExecutionEvent(user, "g", "e3", "RUNNING")));
            assertThat(ws.nextText()).as("the refused channel delivers nothing, the accepted one does")
                    .contains("\"channel\":\"" + user + "|graph_exec#e3\"");

            ws.send("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"e1\"}}");
            assertThat(ws.nextText()).contains("\"success\":true");
            ws.send(subscribeExec("e4"));
            assertThat(ws.nextText()).contains("\"success\":true").contains("graph_exec#e4");
        }
    }

    @Test
    void thePerUserCapCountsEverySocketOfTheUserAndFreesOnClose() {
        String user = UUID.randomUUID().toString();
        try (WsTestClient first = connect(user); WsTestClient second = connect(user)) {
            for (int i = 1; i <= 3; i++) {
                first.send(subscribeExec("a" + i));
                assertThat(first.nextText()).contains("\"success\":true");
            }
            second.send(subscribeExec("b1"));
            assertThat(second.nextText()).contains("\"success\":true");
            second.send(subscribeExec("b2"));
            assertThat(second.nextText()).isEqualTo(limitError("Subscription limit reached: at most 4 channels per user"));
            try (WsTestClient stranger = connect(UUID.randomUUID().toString())) {
                stranger.send(subscribeExec("b2"));
                assertThat(stranger.nextText()).as("another user has their own cap").contains("\"success\":true");
            }
            first.close();
            assertThat(first.closeCode()).isEqualTo(1000);
            long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
            String reply;
            do {
                second.send(subscribeExec("b2"));
                reply = second.nextText();
            } while (!reply.contains("\"success\":true") && System.nanoTime() < deadline);
            assertThat(reply).as("the closed socket's channels were given back").contains("graph_exec#b2");
        }
    }

    @Test
    void garbageAndOversizedIdsAreRefusedWithoutSubscribing() {
        String user = UUID.randomUUID().toString();
        List<String> ids = List.of("x".repeat(129), "e*", "e?", "[a-z]", "a|graph_exec#b", "a/b", "a b", "é",
                "\\u0000", "x".repeat(60 * 1024));
        try (WsTestClient ws = connect(user)) {
            long before = patterns();
            for (String id : ids) {
                ws.send(subscribeExec(id));
                assertThat(ws.nextText()).as(id.length() > 40 ? id.length() + " chars" : id).isEqualTo(INVALID_DATA);
                ws.send("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"" + id + "\"}}");
                assertThat(ws.nextText()).isEqualTo(INVALID_DATA);
            }
            assertThat(patterns()).isEqualTo(before);
            String uuid = UUID.randomUUID().toString();
            ws.send(subscribeExec(uuid));
            assertThat(ws.nextText()).contains("\"success\":true").contains("graph_exec#" + uuid);
            ws.send(subscribeExec("x".repeat(128)));
            assertThat(ws.nextText()).contains("\"success\":true");
            assertThat(ws.silentFor(Duration.ofMillis(200))).isTrue();
        }
    }
}
