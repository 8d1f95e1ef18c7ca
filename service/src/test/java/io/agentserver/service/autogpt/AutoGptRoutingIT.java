package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.store.DatabaseSettings;
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

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How replicas subscribe to AutoGPT's execution bus: one pattern per replica for all its sockets, routed in memory,
 * over real sockets on two replicas sharing one real Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptRoutingIT {

    private static final Duration QUIET = Duration.ofMillis(300);

    private EmbeddedRedis redis;
    private TestServer replicaA;
    private TestServer replicaB;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        DatabaseSettings db = TestDatabases.h2();
        Map<String, String> config = Map.of("redis.uri", redis.uri());
        replicaA = TestServer.start(db, config);
        replicaB = TestServer.start(db, config);
    }

    @AfterAll
    void stop() {
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    private static WsTestClient connect(TestServer replica, String user) {
        return WsTestClient.connect(replica.ws("/ws?token=" + TestTokens.forUser(user)));
    }

    private static String subscribeExec(String exec) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}";
    }

    @Test
    void redisHoldsOnePatternPerBusHoweverManyExecutionsAreWatched() {
        List<WsTestClient> sockets = new ArrayList<>();
        try {
            for (int u = 0; u < 10; u++) {
                String user = UUID.randomUUID().toString();
                for (TestServer replica : List.of(replicaA, replicaB)) {
                    WsTestClient ws = connect(replica, user);
                    sockets.add(ws);
                    for (int e = 0; e < 10; e++) {
                        ws.send(subscribeExec(UUID.randomUUID().toString()));
                        assertThat(ws.nextText()).contains("\"success\":true");
                    }
                    ws.send("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"g-" + u + "\"}}");
                    assertThat(ws.nextText()).contains("\"success\":true");
                }
            }
            // 200 executions and 20 graphs watched: Redis matches each PUBLISH against two patterns
            assertThat(redis.commands().pubsubNumpat()).as("PUBSUB NUMPAT").isEqualTo(2);
            assertThat(redis.publish(executionChannel("u", "g", "e"), "{}")).as("one receiver per replica")
                    .isEqualTo(2);
        } finally {
            sockets.forEach(WsTestClient::close);
        }
    }

    @Test
    void eachSocketSeesExactlyItsExecutionsEventsWhenManyExecutionsOfManyUsersFlowThroughTwoReplicas() {
        int users = 16;
        String sharedExecId = "exec-" + UUID.randomUUID(); // the same execution id for every user: isolation by user
        List<String> userIds = new ArrayList<>();
        List<WsTestClient> byExecution = new ArrayList<>();
        List<WsTestClient> byGraph = new ArrayList<>();
        try {
            for (int u = 0; u < users; u++) {
                String user = UUID.randomUUID().toString();
                userIds.add(user);
                WsTestClient ws = connect(u % 2 == 0 ? replicaA : replicaB, user);
                ws.send(subscribeExec(sharedExecId));
                ws.nextText();
                byExecution.add(ws);
                WsTestClient graphWs = connect(u % 2 == 0 ? replicaB : replicaA, user);
                graphWs.send("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"g-mine\"}}");
                graphWs.nextText();
                byGraph.add(graphWs);
            }
            int rounds = 5;
            for (int round = 0; round < rounds; round++) {
                for (String user : userIds) {
                    // the watched execution, another execution of the watched graph, and noise nobody watches
                    redis.publish(executionChannel(user, "g-mine", sharedExecId),
                            envelope(nodeExecutionEvent(user, "g-mine", sharedExecId, "mine-" + round, "x")));
                    redis.publish(executionChannel(user, "g-mine", "other"),
                            envelope(nodeExecutionEvent(user, "g-mine", "other", "graph-" + round, "x")));
                    redis.publish(executionChannel(user, "g-noise", "noise"),
                            envelope(nodeExecutionEvent(user, "g-noise", "noise", "noise-" + round, "x")));
                    String stranger = UUID.randomUUID().toString();
                    redis.publish(executionChannel(stranger, "g-mine", sharedExecId),
                            envelope(nodeExecutionEvent(stranger, "g-mine", sharedExecId, "stranger-" + round, "x")));
                }
            }
            for (int u = 0; u < users; u++) {
                String user = userIds.get(u);
                List<String> seen = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    JsonNode frame = byExecution.get(u).next();
                    assertThat(frame.path("channel").asText()).isEqualTo(user + "|graph_exec#" + sharedExecId);
                    assertThat(frame.path("data").path("user_id").asText()).isEqualTo(user);
                    seen.add(frame.path("data").path("node_exec_id").asText());
                }
                assertThat(seen).as("in publish order").containsExactly("mine-0", "mine-1", "mine-2", "mine-3", "mine-4");
                List<String> graphSeen = new ArrayList<>();
                for (int i = 0; i < 2 * rounds; i++) {
                    JsonNode frame = byGraph.get(u).next();
                    assertThat(frame.path("channel").asText()).isEqualTo(user + "|graph#g-mine|executions");
                    graphSeen.add(frame.path("data").path("node_exec_id").asText());
                }
                assertThat(graphSeen).as("both executions of the graph, in publish order").containsExactly(
                        "mine-0", "graph-0", "mine-1", "graph-1", "mine-2", "graph-2", "mine-3", "graph-3",
                        "mine-4", "graph-4");
            }
            for (int u = 0; u < users; u++) {
                assertThat(byExecution.get(u).silentFor(QUIET)).as("nothing else for socket " + u).isTrue();
                assertThat(byGraph.get(u).silentFor(Duration.ZERO)).as("nothing else for graph socket " + u).isTrue();
            }
        } finally {
            byExecution.forEach(WsTestClient::close);
            byGraph.forEach(WsTestClient::close);
        }
    }
}
