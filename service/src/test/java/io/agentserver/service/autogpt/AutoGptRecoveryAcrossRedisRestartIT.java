package io.agentserver.service.autogpt;

import io.agentserver.service.testing.StoredSteps;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.store.Step;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where our own runs read from their step log meet the {@code since} recovery
 * ({@link SocketSubscriptions}): two replicas over one PostgreSQL and one Redis, a run on A, and on B a plain
 * subscriber, a recovering one ({@code since}) that joins mid-run, and one more plain one that drops abruptly,
 * all of one user on the same execution, while Redis restarts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptRecoveryAcrossRedisRestartIT {

    private static final int MAX_PER_USER = 3;

    private EmbeddedRedis redis;
    private Database log;
    private TestServer replicaA;
    private TestServer replicaB;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        DatabaseSettings db = TestDatabases.postgres();
        Map<String, String> config = Map.of("redis.uri", redis.uri(), "redis.reconnect-max-delay", "PT0.5S",
                "autogpt.subscriptions.max-per-user", String.valueOf(MAX_PER_USER));
        replicaA = TestServer.start(db, config);
        replicaB = TestServer.start(db, config);
        log = Database.open(db);
    }

    @AfterAll
    void stop() {
        replicaA.close();
        replicaB.close();
        log.close();
        redis.close();
    }

    @Test
    void aRecoveringAndAPlainSubscriberOfOneRunEachGetEveryEventOnceInOrderAcrossARedisRestart() {
        XAgentRuns.Guest guest = XAgentRuns.guest(replicaA);
        String id = XAgentRuns.newInteraction(replicaA, guest);
        List<String> plainFrames = new ArrayList<>();
        List<String> recoveringFrames = new ArrayList<>();
        JsonNode recoveryAck;
        try (WsTestClient plain = XAgentRuns.watch(replicaB, guest, id);
             WsTestClient dropped = XAgentRuns.watch(replicaB, guest, id);
             WsTestClient base = XAgentRuns.startDemo(replicaA, guest, id, 3, 4, 100)) {
            while (nodeEvents(plainFrames).size() < 3) {
                plainFrames.add(plain.nextText());
            }
            WsTestClient recovering = WsTestClient.connect(replicaB.ws("/ws?token=" + TestTokens.forUser(guest.userId())));
            recovering.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + id
                    + "\",\"since\":\"1\"}}");
            recoveryAck = recovering.next();
            dropped.abort();
            redis.restart();
            awaitFinal(id);
            drainUntilQuiet(plain, plainFrames);
            drainUntilQuiet(recovering, recoveringFrames);
            recovering.close();
        }

        List<Step> stored = StoredSteps.all(log.stores(), id);
        assertThat(stored.size()).as("a run long enough to span the fault").isGreaterThanOrEqualTo(20);
        List<Long> storedSeqs = stored.stream().map(Step::seq).toList();

        assertThat(recoveryAck.path("success").asBoolean()).isTrue();
        assertThat(recoveryAck.path("data").path("recovered").asBoolean()).isTrue();
        List<JsonNode> recovered = nodeEvents(recoveringFrames);
        assertThat(recovered).as("every node event from the cursor on, once, in order")
                .extracting(f -> f.path("data").path("seq").asLong())
                .containsExactlyElementsOf(storedSeqs.stream().filter(seq -> seq >= 1).toList());
        assertThat(recovered).as("each with its cursor")
                .allSatisfy(f -> assertThat(f.path("event_id").asText())
                        .isEqualTo(String.valueOf(f.path("data").path("seq").asLong() + 1)));
        assertThat(statuses(recoveringFrames)).endsWith("COMPLETED").doesNotHaveDuplicates();

        List<JsonNode> plainNodes = nodeEvents(plainFrames);
        assertThat(plainNodes).extracting(f -> f.path("data").path("seq").asLong())
                .containsExactlyElementsOf(storedSeqs);
        assertThat(plainFrames).as("a plain subscription sees AutoGPT's frames, without cursors")
                .noneMatch(text -> Json.read(text).has("event_id"));
        assertThat(statuses(plainFrames)).endsWith("COMPLETED").doesNotHaveDuplicates();
        List<String> recoveredWithoutCursor = recoveringFrames.stream()
                .filter(text -> text.contains("\"method\":\"node_execution_event\""))
                .map(text -> text.replaceFirst(",\"event_id\":\"\\d+\"", "")).toList();
        assertThat(plainFrames.stream().filter(text -> text.contains("\"method\":\"node_execution_event\""))
                .filter(text -> Json.read(text).path("data").path("seq").asLong() >= 1).toList())
                .as("the same bytes, but for the cursor").containsExactlyElementsOf(recoveredWithoutCursor);

        assertThat(subscribedToDistinctChannels(guest, MAX_PER_USER))
                .as("every socket's subscriptions were given back to the user's count, the dropped one's too")
                .isTrue();
    }

    /** The recovering socket is the first on B to watch the run: B's sequencer starts with it, mid-run. */
    @Test
    void aRecoveringSubscriberAloneOnItsReplicaGetsEachStatusOnceAcrossARedisRestart() {
        XAgentRuns.Guest guest = XAgentRuns.guest(replicaA);
        String id = XAgentRuns.newInteraction(replicaA, guest);
        List<String> frames = new ArrayList<>();
        try (WsTestClient base = XAgentRuns.startDemo(replicaA, guest, id, 3, 4, 100)) {
            long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
            while (log.stores().steps().nextSeq(id) < 3) {
                assertThat(System.nanoTime()).as("the run started").isLessThan(deadline);
                sleep(20);
            }
            try (WsTestClient recovering = WsTestClient.connect(
                    replicaB.ws("/ws?token=" + TestTokens.forUser(guest.userId())))) {
                recovering.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + id
                        + "\",\"since\":\"0\"}}");
                assertThat(recovering.next().path("data").path("recovered").asBoolean()).isTrue();
                redis.restart();
                awaitFinal(id);
                drainUntilQuiet(recovering, frames);
            }
        }
        List<Long> storedSeqs = StoredSteps.all(log.stores(), id).stream().map(Step::seq).toList();
        assertThat(nodeEvents(frames)).extracting(f -> f.path("data").path("seq").asLong())
                .containsExactlyElementsOf(storedSeqs);
        assertThat(statuses(frames)).as("the replayed status, then each change once")
                .startsWith("RUNNING").endsWith("COMPLETED").doesNotHaveDuplicates();
    }

    /** Waits until a new socket of the user can hold {@code count} channels: nothing of the closed ones is left. */
    private boolean subscribedToDistinctChannels(XAgentRuns.Guest guest, int count) {
        long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (WsTestClient ws = WsTestClient.connect(replicaB.ws("/ws?token=" + TestTokens.forUser(guest.userId())))) {
                boolean all = true;
                for (int i = 0; i < count && all; i++) {
                    ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"probe" + i + "\"}}");
                    all = ws.next().path("success").asBoolean();
                }
                if (all) {
                    return true;
                }
            }
            sleep(200);
        }
        return false;
    }

    private void awaitFinal(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!log.stores().interactions().find(id).orElseThrow().status().isFinal()) {
            assertThat(System.nanoTime()).as("the run ended in time").isLessThan(deadline);
            sleep(50);
        }
    }

    /** Everything still coming: reads until a quiet period passes with nothing new. */
    private static void drainUntilQuiet(WsTestClient ws, List<String> frames) {
        do {
            while (ws.pending() > 0) {
                frames.add(ws.nextText());
            }
            sleep(3_000);
        } while (ws.pending() > 0);
    }

    private static List<JsonNode> nodeEvents(List<String> frames) {
        return XAgentRuns.ofMethod(frames.stream().map(Json::read).toList(), "node_execution_event");
    }

    private static List<String> statuses(List<String> frames) {
        return XAgentRuns.ofMethod(frames.stream().map(Json::read).toList(), "graph_execution_event").stream()
                .map(f -> f.path("data").path("status").asText()).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
