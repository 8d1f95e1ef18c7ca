package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor-event history of the {@code since} recovery on a Redis that requires a password: it connects
 * with {@code redis.password} as the broker does, so a replica starts and recovers from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptHistoryCredentialsIT {

    private static final String PASSWORD = "b64/pass+word==";

    private RedisServer redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> publisher;
    private TestServer server;

    @BeforeAll
    void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").setting("requirepass \"" + PASSWORD + "\"").build();
        redis.start();
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withPassword(PASSWORD.toCharArray()).build());
        publisher = client.connect();
        server = TestServer.start(TestDatabases.h2(),
                Map.of("redis.uri", "redis://127.0.0.1:" + port, "redis.password", PASSWORD));
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        publisher.close();
        client.shutdown();
        redis.stop();
    }

    @Test
    void executorEventsPublishedWhileAwayAreRecoveredFromAPasswordProtectedRedis() {
        String user = UUID.randomUUID().toString();
        String exec = UUID.randomUUID().toString();
        String event = nodeExecutionEvent(user, "g", exec, "ne-1", "step 1");
        try (WsTestClient live = connect(user)) {
            live.send(subscribe(exec));
            live.next();
            publisher.sync().publish(executionChannel(user, "g", exec), envelope(event));
            assertThat(live.next().path("data")).isEqualTo(Json.read(event));
        }
        long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
        JsonNode ack;
        try (WsTestClient back = connect(user)) {
            while (true) {
                back.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec
                        + "\",\"since\":\"0\"}}");
                ack = back.next();
                if (ack.path("data").path("replayed").asInt() > 0 || System.nanoTime() > deadline) {
                    break;
                }
                back.send("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}");
                back.next();
            }
            assertThat(ack.path("data").path("recovered").asBoolean()).isTrue();
            assertThat(ack.path("data").path("replayed").asInt()).as("events read back from the history").isEqualTo(1);
            JsonNode replayed = back.next();
            assertThat(replayed.path("data")).isEqualTo(Json.read(event));
            assertThat(replayed.path("event_id").asText()).isEqualTo(ack.path("data").path("cursor").asText());
        }
    }

    private WsTestClient connect(String user) {
        return WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(user)));
    }

    private static String subscribe(String exec) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}";
    }
}
