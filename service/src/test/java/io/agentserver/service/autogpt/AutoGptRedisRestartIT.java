package io.agentserver.service.autogpt;

import io.agentserver.service.testing.StoredSteps;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.store.Step;
import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.lettuce.core.KillArgs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas over one PostgreSQL and one Redis: a run on replica A, watched through {@code /ws} on replica B,
 * while Redis restarts mid-run. B fills what it missed from the step log: every node event once, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptRedisRestartIT {

    private EmbeddedRedis redis;
    private DatabaseSettings db;
    private Database log;
    private TestServer replicaA;
    private TestServer replicaB;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        db = TestDatabases.postgres();
        Map<String, String> config = Map.of("redis.uri", redis.uri(), "redis.reconnect-max-delay", "PT0.5S");
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
    void aSlashWsSubscriberOnTheOtherReplicaGetsEveryNodeEventOnceInOrderAcrossARedisRestart() {
        watchARunOnBWhile(redis::restart, 100);
    }

    /** Only the pub/sub connections drop: every PUBLISH succeeds, but B is not listening for a moment. */
    @Test
    void aSlashWsSubscriberWhoseBrokerConnectionDroppedFillsTheGapFromTheLog() {
        watchARunOnBWhile(() -> {
            redis.commands().clientKill(KillArgs.Builder.typePubsub());
            sleep(300);
            redis.commands().clientKill(KillArgs.Builder.typePubsub());
        }, 50);
    }

    private void watchARunOnBWhile(Runnable fault, int stepDelayMillis) {
        XAgentRuns.Guest guest = XAgentRuns.guest(replicaA);
        String id = XAgentRuns.newInteraction(replicaA, guest);
        List<JsonNode> frames = new ArrayList<>();
        try (WsTestClient watcher = XAgentRuns.watch(replicaB, guest, id);
             WsTestClient base = XAgentRuns.startDemo(replicaA, guest, id, 3, 4, stepDelayMillis)) {
            while (XAgentRuns.ofMethod(frames, "node_execution_event").size() < 3) {
                frames.add(watcher.next());
            }
            fault.run();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!log.stores().interactions().find(id).orElseThrow().status().isFinal()
                    && System.nanoTime() < deadline) {
                sleep(50);
            }
            do {
                while (watcher.pending() > 0) {
                    frames.add(watcher.next());
                }
                sleep(3_000); // a quiet period: whatever was still coming has come
            } while (watcher.pending() > 0);
        }

        List<Step> stored = StoredSteps.all(log.stores(), id);
        List<JsonNode> nodes = XAgentRuns.ofMethod(frames, "node_execution_event");
        System.out.println("replica B delivered " + nodes.size() + " node events of " + stored.size() + " steps");
        assertThat(stored.size()).as("a run long enough to span the fault").isGreaterThanOrEqualTo(20);
        assertThat(nodes).extracting(f -> f.path("data").path("node_exec_id").asText())
                .containsExactlyElementsOf(stored.stream().map(Step::nodeId).toList());
        assertThat(nodes).extracting(f -> f.path("data").path("seq").asLong())
                .containsExactlyElementsOf(stored.stream().map(Step::seq).toList());
        List<String> statuses = XAgentRuns.ofMethod(frames, "graph_execution_event").stream()
                .map(f -> f.path("data").path("status").asText()).toList();
        assertThat(statuses).as("the run's status changes, the last one included").endsWith("COMPLETED")
                .doesNotHaveDuplicates();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
