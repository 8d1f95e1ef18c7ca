package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.LossyBroker;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import io.agentserver.service.store.DatabaseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.graphExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/** Two replicas sharing one database and one real Redis; Redis restarts under a live subscriber. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoGptReplicasIT {

    /**
     * A replica holds one {@code execution_event/*} pattern, shared by its history recorder and its {@code /ws}
     * routing: Redis counts one receiver per replica, however many executions it watches.
     */
    private static final long RECEIVERS_PER_REPLICA = 1;

    private EmbeddedRedis redis;
    private TestServer replicaA;
    private TestServer replicaB;
    private DatabaseSettings db;
    private Map<String, String> config;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        db = TestDatabases.h2();
        config = Map.of("redis.uri", redis.uri(), "redis.reconnect-max-delay", "PT0.5S");
        replicaA = TestServer.start(db, config);
        replicaB = TestServer.start(db, config);
    }

    @AfterAll
    void stop() {
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Test
    void anXAgentRunOnReplicaBIsSeenLiveThroughSlashWsOnReplicaA() {
        XAgentRuns.Guest guest = XAgentRuns.guest(replicaB);
        String id = XAgentRuns.newInteraction(replicaB, guest);
        try (WsTestClient watcher = XAgentRuns.watch(replicaA, guest, id);
             WsTestClient base = XAgentRuns.startDemo(replicaB, guest, id, 2, 2)) {
            List<JsonNode> frames = XAgentRuns.untilNotification(watcher);
            List<JsonNode> steps = base.untilClosed().stream().filter(f -> f.has("node_id")).toList();

            List<JsonNode> nodes = XAgentRuns.ofMethod(frames, "node_execution_event");
            assertThat(nodes).extracting(f -> f.path("data").path("node_exec_id").asText())
                    .containsExactlyElementsOf(steps.stream().map(s -> s.path("node_id").asText()).toList());
            assertThat(nodes).extracting(f -> f.path("data").path("seq").asLong()).isSorted();
            assertThat(nodes).allSatisfy(f -> {
                assertThat(f.path("channel").asText()).isEqualTo(guest.userId() + "|graph_exec#" + id);
                assertThat(f.path("data").path("graph_exec_id").asText()).isEqualTo(id);
                assertThat(f.path("data").path("user_id").asText()).isEqualTo(guest.userId());
            });
            assertThat(nodes.get(1).path("data").path("output_data").path("data").get(0))
                    .isEqualTo(steps.get(1).path("data"));

            List<String> statuses = XAgentRuns.ofMethod(frames, "graph_execution_event").stream()
                    .map(f -> f.path("data").path("status").asText()).toList();
            assertThat(statuses).containsSubsequence("RUNNING", "COMPLETED").endsWith("COMPLETED");
            JsonNode notification = frames.get(frames.size() - 1);
            assertThat(notification.path("channel").isNull()).isTrue();
            assertThat(notification.path("data").path("event").asText()).isEqualTo("run_finished");
            assertThat(notification.path("data").path("interaction_id").asText()).isEqualTo(id);
        }
        String metrics = HttpForms.get(replicaA.http("/metrics")).body().asText();
        assertThat(metrics).contains("agentserver_step_latency_seconds_count{protocol=\"autogpt\"}");
        metrics.lines().filter(l -> l.startsWith("agentserver_step_latency_seconds") && l.contains("autogpt"))
                .forEach(l -> System.out.println("replica A " + l));
    }

    /**
     * A subscribe ack promises every later event: a client that starts a run on another replica once it has the ack
     * sees the run from its first status on, even when Redis confirms the watching replica's subscription slowly.
     */
    @Test
    void everyEventAfterTheSubscribeAckArrivesThoughRedisConfirmsTheSubscriptionSlowly() {
        try (TestServer slowA = TestServer.start(db, config, broker -> new LossyBroker(broker, (c, m) -> false)
                .slowingSubscriptions(channel -> channel.startsWith("agentserver:interaction:"),
                        Duration.ofMillis(1500)))) {
            XAgentRuns.Guest guest = XAgentRuns.guest(replicaB);
            String id = XAgentRuns.newInteraction(replicaB, guest);
            try (WsTestClient watcher = XAgentRuns.watch(slowA, guest, id);
                 WsTestClient base = XAgentRuns.startDemo(replicaB, guest, id, 1, 2, 1)) {
                List<JsonNode> frames = XAgentRuns.untilNotification(watcher);
                List<String> steps = base.untilClosed().stream().filter(f -> f.has("node_id"))
                        .map(f -> f.path("node_id").asText()).toList();

                assertThat(XAgentRuns.ofMethod(frames, "node_execution_event"))
                        .extracting(f -> f.path("data").path("node_exec_id").asText())
                        .containsExactlyElementsOf(steps);
                assertThat(XAgentRuns.ofMethod(frames, "graph_execution_event"))
                        .extracting(f -> f.path("data").path("status").asText())
                        .containsExactly("RUNNING", "COMPLETED");
            }
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the other tests assume a settled bus
    void aSubscriberKeepsReceivingAfterRedisRestarts() {
        String user = UUID.randomUUID().toString();
        String exec = "exec-" + UUID.randomUUID();
        try (WsTestClient ws = WsTestClient.connect(replicaA.ws("/ws?token=" + TestTokens.forUser(user)))) {
            ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}");
            ws.nextText();
            redis.restart();
            String message = envelope(graphExecutionEvent(user, "g", exec, "RUNNING"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (redis.publish(executionChannel(user, "g", exec), message) < 2 * RECEIVERS_PER_REPLICA
                    && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertThat(ws.next().path("data").path("status").asText()).isEqualTo("RUNNING");
        }
    }

    @Test
    void eventsPublishedThroughReplicaBsRunsAndTheExecutorBothReachReplicaA() {
        String user = UUID.randomUUID().toString();
        String exec = "exec-" + UUID.randomUUID();
        try (WsTestClient onA = WsTestClient.connect(replicaA.ws("/ws?token=" + TestTokens.forUser(user)));
             WsTestClient onB = WsTestClient.connect(replicaB.ws("/ws?token=" + TestTokens.forUser(user)))) {
            onA.send("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"g\"}}");
            onA.nextText();
            onB.send("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"g\"}}");
            onB.nextText();
            assertThat(redis.publish(executionChannel(user, "g", exec), envelope(graphExecutionEvent(user, "g", exec,
                    "QUEUED")))).isEqualTo(2 * RECEIVERS_PER_REPLICA);
            assertThat(onA.next().path("channel").asText()).isEqualTo(user + "|graph#g|executions");
            assertThat(onB.next().path("channel").asText()).isEqualTo(user + "|graph#g|executions");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
