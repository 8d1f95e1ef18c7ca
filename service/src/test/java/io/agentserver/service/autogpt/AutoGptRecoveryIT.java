package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code since} recovery extension of {@code /ws}: executor events from the capped Redis Stream history,
 * our own runs from the store, recovered events before live ones and none twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptRecoveryIT {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final String STREAM_PREFIX = "agent-server:autogpt-history:";

    private EmbeddedRedis redis;
    private TestServer server;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("redis.uri", redis.uri(),
                "autogpt.history.max-length", "10"));
    }

    @AfterAll
    void stop() {
        server.close();
        redis.close();
    }

    private WsTestClient connect(String user) {
        return WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(user)));
    }

    private static String subscribe(String exec, String since) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\""
                + (since == null ? "" : ",\"since\":\"" + since + "\"") + "}}";
    }

    private static String eventFrame(String user, String exec, String event) {
        return "{\"method\":\"node_execution_event\",\"data\":" + event + ",\"success\":null,\"channel\":\""
                + user + "|graph_exec#" + exec + "\",\"error\":null";
    }

    private String streamKey(String user, String exec) {
        return STREAM_PREFIX + "{" + user + "|graph_exec#" + exec + "}";
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    // ------------------------------------------------------------------ executor events

    @Test
    void executorEventsMissedWhileAwayComeBeforeLiveOnesWithoutDuplicates() {
        String user = UUID.randomUUID().toString();
        String exec = UUID.randomUUID().toString();
        String channel = executionChannel(user, "g", exec);
        List<String> events = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            events.add(nodeExecutionEvent(user, "g", exec, "ne-" + i, "step " + i));
        }
        String lastSeen;
        try (WsTestClient plain = connect(user); WsTestClient first = connect(user)) {
            plain.send(subscribe(exec, null));
            plain.nextText();
            first.send(subscribe(exec, "0"));
            JsonNode ack = first.next();
            assertThat(ack.path("success").asBoolean()).isTrue();
            assertThat(ack.path("data")).isEqualTo(Json.read(
                    "{\"since\":\"0\",\"recovered\":true,\"replayed\":0,\"cursor\":\"0\"}"));
            redis.publish(channel, envelope(events.get(0)));
            redis.publish(channel, envelope(events.get(1)));
            assertThat(plain.nextText()).as("a plain subscriber's frames are unchanged")
                    .isEqualTo(eventFrame(user, exec, events.get(0)) + "}");
            JsonNode one = first.next();
            assertThat(one.path("data")).isEqualTo(Json.read(events.get(0)));
            assertThat(first.nextText()).startsWith(eventFrame(user, exec, events.get(1)) + ",\"event_id\":\"");
            lastSeen = null;
            first.abort();
        }
        await("two events recorded", () -> redis.commands().xlen(streamKey(user, exec)) == 2);
        lastSeen = redis.commands().xrange(streamKey(user, exec), io.lettuce.core.Range.create("-", "+"))
                .get(1).getId();
        redis.publish(channel, envelope(events.get(2)));
        redis.publish(channel, envelope(events.get(3)));
        await("four events recorded", () -> redis.commands().xlen(streamKey(user, exec)) == 4);

        try (WsTestClient back = connect(user)) {
            back.send(subscribe(exec, lastSeen));
            JsonNode ack = back.next();
            assertThat(ack.path("method").asText()).isEqualTo("subscribe_graph_execution");
            assertThat(ack.path("channel").asText()).isEqualTo(user + "|graph_exec#" + exec);
            assertThat(ack.path("data").path("recovered").asBoolean()).isTrue();
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(2);
            JsonNode third = back.next();
            JsonNode fourth = back.next();
            assertThat(third.path("data")).isEqualTo(Json.read(events.get(2)));
            assertThat(fourth.path("data")).isEqualTo(Json.read(events.get(3)));
            assertThat(ack.path("data").path("cursor").asText()).isEqualTo(fourth.path("event_id").asText());
            redis.publish(channel, envelope(events.get(4)));
            JsonNode fifth = back.next();
            assertThat(fifth.path("data")).isEqualTo(Json.read(events.get(4)));
            assertThat(fifth.path("event_id").asText()).isGreaterThan(fourth.path("event_id").asText());
            assertThat(back.silentFor(QUIET)).as("nothing twice").isTrue();
        }
    }

    @Test
    void historyTrimmedPastTheCursorIsReportedAsNotRecovered() {
        String user = UUID.randomUUID().toString();
        String exec = UUID.randomUUID().toString();
        String channel = executionChannel(user, "g", exec);
        int published = 300;
        for (int i = 0; i < published; i++) {
            redis.publish(channel, envelope(nodeExecutionEvent(user, "g", exec, "ne-" + i, "x")));
        }
        await("every event counted", () -> "300".equals(redis.commands().hget(streamKey(user, exec) + ":meta", "added")));
        long kept = redis.commands().xlen(streamKey(user, exec));
        assertThat(kept).as("MAXLEN ~ 10 trimmed the stream").isLessThan(published);
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribe(exec, "1-0"));
            JsonNode ack = ws.next();
            assertThat(ack.path("success").asBoolean()).isTrue();
            assertThat(ack.path("data").path("recovered").asBoolean()).isFalse();
            assertThat(ack.path("data").path("replayed").asLong()).isEqualTo(kept);
            for (long i = 0; i < kept; i++) {
                assertThat(ws.next().path("method").asText()).isEqualTo("node_execution_event");
            }
            assertThat(ws.silentFor(QUIET)).isTrue();
        }
        String newestButOne = redis.commands().xrevrange(streamKey(user, exec), io.lettuce.core.Range.create("-", "+"),
                io.lettuce.core.Limit.from(2)).get(1).getId();
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribe(exec, newestButOne));
            JsonNode ack = ws.next();
            assertThat(ack.path("data").path("recovered").asBoolean()).as("the cursor is still in the window").isTrue();
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(1);
            assertThat(ws.next().path("data").path("node_exec_id").asText()).isEqualTo("ne-" + (published - 1));
        }
    }

    @Test
    void anExpiredOrUnknownHistoryIsNotRecoveredAndABadCursorIsRefused() {
        String user = UUID.randomUUID().toString();
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribe("never-seen", "1700000000000-0"));
            JsonNode ack = ws.next();
            assertThat(ack.path("success").asBoolean()).isTrue();
            assertThat(ack.path("data").path("recovered").asBoolean()).isFalse();
            assertThat(ack.path("data").path("replayed").asInt()).isZero();
            ws.send(subscribe("other", "yesterday"));
            assertThat(ws.nextText()).isEqualTo("{\"method\":\"error\",\"data\":null,\"success\":false,\"channel\":null,"
                    + "\"error\":\"Invalid message data. Refer to the API schema\"}");
            ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"x\",\"since\":{}}}");
            assertThat(ws.next().path("error").asText()).isEqualTo("Invalid message data. Refer to the API schema");
        }
    }

    @Test
    void everyReplicaGivesAnEventTheSameIdSoACursorWorksOnAnyReplica() {
        String user = UUID.randomUUID().toString();
        String exec = UUID.randomUUID().toString();
        String channel = executionChannel(user, "g", exec);
        try (TestServer replicaB = TestServer.start(TestDatabases.h2(), Map.of("redis.uri", redis.uri()))) {
            String cursor;
            try (WsTestClient onA = connect(user);
                 WsTestClient onB = WsTestClient.connect(replicaB.ws("/ws?token=" + TestTokens.forUser(user)))) {
                onA.send(subscribe(exec, "0"));
                onA.next();
                onB.send(subscribe(exec, "0"));
                onB.next();
                redis.publish(channel, envelope(nodeExecutionEvent(user, "g", exec, "ne-1", "one")));
                JsonNode seenOnA = onA.next();
                JsonNode seenOnB = onB.next();
                assertThat(seenOnA.path("event_id").asText()).isNotEmpty()
                        .isEqualTo(seenOnB.path("event_id").asText());
                cursor = seenOnA.path("event_id").asText();
                onA.abort();
            }
            redis.publish(channel, envelope(nodeExecutionEvent(user, "g", exec, "ne-2", "two")));
            redis.publish(channel, envelope(nodeExecutionEvent(user, "g", exec, "ne-3", "three")));
            await("three events recorded once", () -> "3".equals(
                    redis.commands().hget(streamKey(user, exec) + ":meta", "added")));
            try (WsTestClient back = WsTestClient.connect(replicaB.ws("/ws?token=" + TestTokens.forUser(user)))) {
                back.send(subscribe(exec, cursor));
                JsonNode ack = back.next();
                assertThat(ack.path("data").path("recovered").asBoolean()).isTrue();
                assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(2);
                assertThat(back.next().path("data").path("node_exec_id").asText()).isEqualTo("ne-2");
                assertThat(back.next().path("data").path("node_exec_id").asText()).isEqualTo("ne-3");
                assertThat(back.silentFor(QUIET)).isTrue();
            }
        }
    }

    // ------------------------------------------------------------------ our own runs

    @Test
    void aFinishedRunIsRecoveredFromTheStoreExactlyAsItWasPublished() {
        XAgentRuns.Guest guest = XAgentRuns.guest(server);
        String id = XAgentRuns.newInteraction(server, guest);
        List<JsonNode> live;
        try (WsTestClient watcher = XAgentRuns.watch(server, guest, id);
             WsTestClient base = XAgentRuns.startDemo(server, guest, id, 2, 2)) {
            live = XAgentRuns.ofMethod(XAgentRuns.untilNotification(watcher), "node_execution_event");
            base.untilClosed();
        }
        assertThat(live).hasSizeGreaterThan(5);
        try (WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(guest.userId())))) {
            ws.send(subscribe(id, "3"));
            JsonNode ack = ws.next();
            int expected = live.size() - 3;
            assertThat(ack.path("data").path("recovered").asBoolean()).isTrue();
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(expected + 1);
            assertThat(ack.path("data").path("cursor").asText()).isEqualTo(String.valueOf(live.size()));
            for (int i = 0; i < expected; i++) {
                JsonNode frame = ws.next();
                JsonNode original = live.get(3 + i);
                assertThat(frame.path("data")).isEqualTo(original.path("data"));
                assertThat(frame.path("event_id").asText()).isEqualTo(String.valueOf(4 + i));
            }
            JsonNode status = ws.next();
            assertThat(status.path("method").asText()).isEqualTo("graph_execution_event");
            assertThat(status.path("data").path("status").asText()).isEqualTo("COMPLETED");
            assertThat(ws.silentFor(QUIET)).isTrue();
        }
    }

    @Test
    void recoveringInTheMiddleOfARunGivesEveryStepOnceInOrder() {
        XAgentRuns.Guest guest = XAgentRuns.guest(server);
        String id = XAgentRuns.newInteraction(server, guest);
        try (WsTestClient watcher = XAgentRuns.watch(server, guest, id);
             WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + guest.userId()
                     + "&token=" + guest.token() + "&description=demo"))) {
            base.send("{\"type\":\"data\",\"agent\":\"XAgent\",\"mode\":\"auto\",\"args\":{\"goal\":\"slow\","
                    + "\"demo\":{\"subtasks\":3,\"inner\":3,\"delay_ms\":40}},\"file_list\":[]}");
            JsonNode seen;
            do {
                seen = watcher.next();
            } while (seen.path("data").path("seq").asInt(-1) < 2);
            try (WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(guest.userId())))) {
                ws.send(subscribe(id, "2"));
                assertThat(ws.next().path("data").path("recovered").asBoolean()).isTrue();
                List<Long> seqs = new ArrayList<>();
                JsonNode frame;
                do {
                    frame = ws.next();
                    if (frame.path("method").asText().equals("node_execution_event")) {
                        seqs.add(frame.path("data").path("seq").asLong());
                        assertThat(frame.path("event_id").asText()).isEqualTo(String.valueOf(seqs.getLast() + 1));
                    }
                } while (!"notification".equals(frame.path("method").asText()));
                long last = server.query("SELECT MAX(seq) FROM steps WHERE interaction_id = ?", id).get(0).get(0)
                        .transform(Long::parseLong);
                List<Long> expected = new ArrayList<>();
                for (long s = 2; s <= last; s++) {
                    expected.add(s);
                }
                assertThat(seqs).isEqualTo(expected);
            }
            base.untilClosed();
        }
    }
}
