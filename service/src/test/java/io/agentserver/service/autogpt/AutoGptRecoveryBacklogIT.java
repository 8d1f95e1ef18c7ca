package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.RawWebSocket;
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
 * A {@code since} recovery longer than the socket's outbound queue ({@code autogpt.writer-max-bytes}): the recovery
 * is the client catching up, not a slow consumer, so it is read page by page as the socket drains: every frame
 * arrives and the socket stays open. And however often a client that does not read asks for a replay again, no
 * more than one replay's worth is ever queued for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptRecoveryBacklogIT {

    private static final int WRITER_MAX_BYTES = 4096;
    private static final String STREAM_PREFIX = "agent-server:autogpt-history:";

    private EmbeddedRedis redis;
    private TestServer server;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("redis.uri", redis.uri(),
                "autogpt.writer-max-bytes", String.valueOf(WRITER_MAX_BYTES)));
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
        assertThat(server.query("SELECT SUM(LENGTH(data)) FROM steps WHERE interaction_id = ?", id).getFirst()
                .getFirst()).as("more than the queue holds").satisfies(bytes ->
                assertThat(Long.parseLong(bytes)).isGreaterThan(WRITER_MAX_BYTES));
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
        int published = 40; // about 600 bytes each: several times the queue
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

    /**
     * A client that keeps asking for the whole run again ({@code unsubscribe}, then {@code since "0"}) while it does
     * not read: each new replay ends the one before, and replays are read from the store only as the socket drains,
     * so what reaches it is about one replay, however often it asked (it was 90 whole replays when each was queued
     * as one unit).
     */
    @Test
    void resubscribingWithSinceOverAndOverWhileNotReadingQueuesFarFewerThanOneReplayPerSubscribe() {
        try (TestServer defaults = TestServer.start(TestDatabases.h2(), Map.of())) {
            resubscribeOverAndOver(defaults);
        }
    }

    private static void resubscribeOverAndOver(TestServer server) {
        XAgentRuns.Guest guest = XAgentRuns.guest(server);
        String id = XAgentRuns.newInteraction(server, guest);
        try (WsTestClient base = XAgentRuns.startDemo(server, guest, id, 4, 5)) {
            base.untilClosed();
        }
        int steps = Integer.parseInt(server.query("SELECT COUNT(*) FROM steps WHERE interaction_id = ?", id)
                .getFirst().getFirst());
        int cycles = 90; // within the socket's message burst
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port(), "/ws?token=" + TestTokens.forUser(guest.userId()))) {
            for (int i = 0; i < cycles; i++) {
                ws.text(subscribe(id, "0"));
                ws.text("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"" + id + "\"}}");
            }
            ws.text(subscribe(id, "0"));
            int acks = 0;
            int nodeEvents = 0;
            int nodeEventsAfterLastAck = 0;
            while (true) {
                RawWebSocket.Frame frame = ws.read();
                assertThat(frame).as("the last replay arrives whole").isNotNull();
                assertThat(frame.opcode()).as("no close").isNotEqualTo(RawWebSocket.CLOSE);
                if (frame.opcode() != RawWebSocket.TEXT) {
                    continue;
                }
                JsonNode message = Json.read(frame.text());
                String method = message.path("method").asText();
                if (method.equals("subscribe_graph_execution")) {
                    acks++;
                    nodeEventsAfterLastAck = 0;
                } else if (method.equals("node_execution_event")) {
                    nodeEvents++;
                    nodeEventsAfterLastAck++;
                } else if (method.equals("graph_execution_event") && acks == cycles + 1) {
                    break;
                }
            }
            assertThat(acks).as("every subscribe acknowledged").isEqualTo(cycles + 1);
            assertThat(nodeEventsAfterLastAck).as("the last replay whole").isEqualTo(steps);
            // A replay streams as the socket drains, so one cancelled by the next unsubscribe may have sent part of
            // the log already (three whole logs' worth was seen on a loaded machine); before, every subscribe queued a
            // whole replay: (cycles + 1) × steps events.
            assertThat(nodeEvents).as("far fewer than one replay per subscribe").isLessThan((cycles + 1) * steps / 10);
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
