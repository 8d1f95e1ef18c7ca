package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.UUID;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code since} recovery longer than the socket's outbound queue ({@code autogpt.writer-capacity}): with the
 * defaults a full executor history (1,000 events) plus its ack is one frame more than the queue holds. The
 * recovery is the client catching up, not a slow consumer: every frame arrives and the socket stays open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptRecoveryBacklogIT {

    private static final int WRITER_CAPACITY = 8;
    private static final String STREAM_PREFIX = "agent-server:autogpt-history:";

    private EmbeddedRedis redis;
    private TestServer server;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("redis.uri", redis.uri(),
                "autogpt.writer-capacity", String.valueOf(WRITER_CAPACITY)));
    }

    @AfterAll
    void stop() {
        server.close();
        redis.close();
    }

    @Test
    void aRunWithMoreStepsThanTheQueueHoldsIsRecoveredWholeAndTheSocketStaysOpen() {
        XAgentRuns.Guest guest = XAgentRuns.guest(server);
        String id = XAgentRuns.newInteraction(server, guest);
        try (WsTestClient base = XAgentRuns.startDemo(server, guest, id, 2, 3)) {
            base.untilClosed();
        }
        int steps = Integer.parseInt(server.query("SELECT COUNT(*) FROM steps WHERE interaction_id = ?", id)
                .getFirst().getFirst());
        assertThat(steps).as("more than the queue holds").isGreaterThan(WRITER_CAPACITY);
        try (WsTestClient ws = connect(guest.userId())) {
            ws.send(subscribe(id, "0"));
            JsonNode ack = ws.next();
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(steps + 1);
            for (int seq = 0; seq < steps; seq++) {
                JsonNode node = ws.next();
                assertThat(node.path("method").asText()).isEqualTo("node_execution_event");
                assertThat(node.path("event_id").asText()).isEqualTo(String.valueOf(seq + 1));
            }
            assertThat(ws.next().path("data").path("status").asText()).isEqualTo("COMPLETED");
            assertStillOpen(ws);
        }
    }

    @Test
    void anExecutorHistoryLongerThanTheQueueIsRecoveredWholeAndTheSocketStaysOpen() {
        String user = UUID.randomUUID().toString();
        String exec = UUID.randomUUID().toString();
        int published = WRITER_CAPACITY * 5;
        for (int i = 0; i < published; i++) {
            redis.publish(executionChannel(user, "g", exec),
                    envelope(nodeExecutionEvent(user, "g", exec, "ne-" + i, "step " + i)));
        }
        long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
        while (redis.commands().xlen(STREAM_PREFIX + "{" + user + "|graph_exec#" + exec + "}") < published) {
            assertThat(System.nanoTime()).as("every event recorded").isLessThan(deadline);
            sleep(10);
        }
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribe(exec, "0"));
            JsonNode ack = ws.next();
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(published);
            for (int i = 0; i < published; i++) {
                assertThat(ws.next().path("data").path("node_exec_id").asText()).isEqualTo("ne-" + i);
            }
            assertStillOpen(ws);
        }
    }

    private static void assertStillOpen(WsTestClient ws) {
        ws.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
        assertThat(ws.next().path("method").asText()).as("the socket still answers").isEqualTo("heartbeat");
        assertThat(ws.isClosed()).isFalse();
    }

    private WsTestClient connect(String user) {
        return WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(user)));
    }

    private static String subscribe(String exec, String since) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\",\"since\":\""
                + since + "\"}}";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
