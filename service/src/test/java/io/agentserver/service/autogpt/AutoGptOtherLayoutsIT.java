package io.agentserver.service.autogpt;

import io.agentserver.service.testing.AutoGptPlatformDatabase;
import io.agentserver.service.testing.RedisCluster;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.graphExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two schemes on the layout the other one is made for: the sharded scheme on one Redis 7 (SPUBLISH/SSUBSCRIBE
 * exist there), and the classic scheme on a Redis Cluster (a classic PUBLISH is copied to every node).
 */
@Timeout(120)
class AutoGptOtherLayoutsIT {

    @Test
    void theShardedSchemeWorksOnOneRedis7() {
        AutoGptPlatformDatabase autogpt = AutoGptPlatformDatabase.create();
        try (RedisCluster.Standalone redis = RedisCluster.standalone()) {
            Map<String, String> config = new HashMap<>(autogpt.serverConfig());
            config.put("redis.uri", redis.uri());
            config.put("autogpt.bus", "sharded");
            try (TestServer server = TestServer.start(TestDatabases.h2(), config)) {
                String user = UUID.randomUUID().toString();
                String exec = autogpt.execution(user, "g");
                try (WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(user)))) {
                    ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}");
                    assertThat(ws.next().path("success").asBoolean()).isTrue();
                    assertThat(redis.commands().pubsubShardChannels("execution_event/*"))
                            .containsExactly("execution_event/{" + user + "/g}/exec/" + exec);
                    String message = envelope(graphExecutionEvent(user, "g", exec, "RUNNING"));

                    assertThat(redis.commands().publish(executionChannel(user, "g", exec), message))
                            .as("a classic PUBLISH reaches no sharded subscriber").isZero();
                    redis.commands().spublish("execution_event/{" + user + "/g}/exec/" + exec, message);

                    assertThat(ws.nextText()).isEqualTo("{\"method\":\"graph_execution_event\",\"data\":"
                            + graphExecutionEvent(user, "g", exec, "RUNNING") + ",\"success\":null,\"channel\":\""
                            + user + "|graph_exec#" + exec + "\",\"error\":null}");
                    assertThat(ws.silentFor(Duration.ofMillis(300))).isTrue();
                }
            }
        }
    }

    @Test
    void theClassicSchemeWorksOnARedisClusterAcrossReplicas() {
        RedisCluster cluster = RedisCluster.shared();
        Map<String, String> config = Map.of("redis.mode", "cluster", "redis.uri", cluster.seeds());
        var db = TestDatabases.h2();
        try (TestServer replicaA = TestServer.start(db, config); TestServer replicaB = TestServer.start(db, config)) {
            String user = UUID.randomUUID().toString();
            String exec = "exec-" + UUID.randomUUID();
            try (WsTestClient onA = WsTestClient.connect(replicaA.ws("/ws?token=" + TestTokens.forUser(user)));
                 WsTestClient onB = WsTestClient.connect(replicaB.ws("/ws?token=" + TestTokens.forUser(user)))) {
                onA.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}");
                onB.send("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"g\"}}");
                onA.nextText();
                onB.nextText();

                cluster.publish(executionChannel(user, "g", exec),
                        envelope(graphExecutionEvent(user, "g", exec, "COMPLETED")));

                assertThat(onA.next().path("channel").asText()).isEqualTo(user + "|graph_exec#" + exec);
                assertThat(onB.next().path("channel").asText()).isEqualTo(user + "|graph#g|executions");
            }
        }
    }
}
