package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.LossyBroker;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.agentserver.service.xagent.XAgentSession.demo;
import static io.agentserver.service.xagent.XAgentSession.reply;
import static io.agentserver.service.xagent.XAgentSession.startFrame;
import static io.agentserver.service.xagent.XAgentSession.statuses;
import static org.assertj.core.api.Assertions.assertThat;

/** Two replicas sharing PostgreSQL and Redis: a run on one is watched and answered through the other. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossReplicaXAgentIT {

    private RedisServer redis;
    private TestServer replicaA;
    private TestServer replicaB;
    private DatabaseSettings shared;
    private Map<String, String> config;

    @BeforeAll
    void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
        shared = TestDatabases.postgres();
        config = Map.of("redis.uri", "redis://127.0.0.1:" + port);
        replicaA = TestServer.start(shared, config);
        replicaB = TestServer.start(shared, config);
    }

    @AfterAll
    void stop() throws IOException {
        replicaA.close();
        replicaB.close();
        redis.stop();
    }

    @Test
    void aRunOnOneReplicaIsResumedAndAnsweredThroughTheOther() {
        XAgentSession onA = new XAgentSession(replicaA);
        XAgentSession onB = new XAgentSession(replicaB);
        XAgentSession.Account user = onA.register();
        String id = onA.newInteraction(user);
        WsTestClient first = onA.base(user, id);
        first.send(startFrame("cross the replicas", "auto", demo(2, 1, 5).put("ask_human", true)));
        first.next();
        List<JsonNode> seen = new ArrayList<>(XAgentSession.framesThrough(first, "ask_for_human_help"));
        JsonNode frame = seen.get(seen.size() - 1);
        first.abort();

        try (WsTestClient second = onB.open("base", user, id, "&last_node_id=" + frame.path("node_id").asText())) {
            assertThat(second.next().path("status").asText()).isEqualTo("connect");
            second.send(reply(frame.path("node_id").asText(), Json.object().put("goal", "answered on B")));
            List<JsonNode> rest = second.untilClosed();
            assertThat(rest.get(0).path("data").path("thoughts").asText()).contains("answered on B");
            seen.addAll(rest);
        }
        assertThat(statuses(seen)).containsExactly("running", "start", "ask_for_human_help", "inner",
                "subtask_submit", "refinement", "subtask", "inner", "subtask_submit", "refinement", "finished");
        assertThat(seen.stream().map(f -> f.path("node_id").asText()).distinct()).hasSize(seen.size());
    }

    @Test
    void stepsStoredWhileRedisWasDownStillReachTheOtherReplicasSocket() throws IOException {
        XAgentSession onA = new XAgentSession(replicaA);
        XAgentSession onB = new XAgentSession(replicaB);
        XAgentSession.Account user = onA.register();
        String id = onA.newInteraction(user);
        WsTestClient first = onA.base(user, id);
        first.send(startFrame("survive an outage", "auto", demo(2, 2, 150)));
        first.next();
        List<JsonNode> seen = new ArrayList<>(XAgentSession.framesThrough(first, "start"));
        first.abort();
        try (WsTestClient second = onB.open("base", user, id,
                "&last_node_id=" + seen.get(seen.size() - 1).path("node_id").asText())) {
            assertThat(second.next().path("status").asText()).isEqualTo("connect");
            redis.stop();
            try {
                // Every later step, the final one included, is stored while no notice can travel.
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!onA.statusOf(user, id).equals("finished") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                redis.start();
            }
            seen.addAll(second.untilClosed());
        }
        assertThat(statuses(seen)).containsExactly("running", "start",
                "inner", "inner", "subtask_submit", "refinement", "subtask",
                "inner", "inner", "subtask_submit", "refinement", "finished");
    }

    @Test
    void closingTheSocketOnOneReplicaStopsTheRunOwnedByTheOther() throws InterruptedException {
        XAgentSession onA = new XAgentSession(replicaA);
        XAgentSession onB = new XAgentSession(replicaB);
        XAgentSession.Account user = onA.register();
        String id = onA.newInteraction(user);
        WsTestClient first = onA.base(user, id);
        first.send(startFrame("stop me from afar", "auto", demo(5, 5, 200)));
        first.next();
        first.nextSkippingPongs();
        first.abort();
        DeliveryFaultsIT.await("replica A saw its socket go",
                () -> DeliveryFaultsIT.metric(replicaA, "agentserver_connections{protocol=\"xagent\"}") == 0);
        WsTestClient second = onB.base(user, id);
        second.next();
        second.close();
        long deadline = System.nanoTime() + 15_000_000_000L;
        String status = "";
        while (System.nanoTime() < deadline && !status.equals("closed")) {
            Thread.sleep(50);
            status = onB.statusOf(user, id);
        }
        assertThat(status).isEqualTo("closed");
    }

    /**
     * Who watches a run is kept in the store, not announced over the broker: with every control message of the
     * watching replica lost, its viewer still keeps the run going after the tab that started it vanished, and the
     * run ends by itself, not by a grace timer.
     */
    @Test
    void aViewerOnAnotherReplicaKeepsTheRunGoingEvenWhenEveryControlMessageIsLost() throws InterruptedException {
        Map<String, String> shortGrace = new HashMap<>(config);
        shortGrace.put("run.disconnect-grace", "PT1S");
        try (TestServer runner = TestServer.start(shared, shortGrace);
             TestServer watcher = TestServer.start(shared, shortGrace,
                     broker -> new LossyBroker(broker, (channel, message) -> channel.startsWith("agentserver:run:")))) {
            XAgentSession onRunner = new XAgentSession(runner);
            XAgentSession onWatcher = new XAgentSession(watcher);
            XAgentSession.Account user = onRunner.register();
            String id = onRunner.newInteraction(user);
            WsTestClient first = onRunner.base(user, id);
            first.send(startFrame("watched from afar", "auto", demo(3, 4, 250)));
            first.next();
            first.nextSkippingPongs();
            try (WsTestClient second = onWatcher.base(user, id)) {
                assertThat(second.next().path("status").asText()).isEqualTo("connect");
                assertThat(second.nextSkippingPongs().has("node_id")).as("the second tab watches").isTrue();
                first.abort();
                DeliveryFaultsIT.await("the runner saw the first tab go",
                        () -> DeliveryFaultsIT.metric(runner, "agentserver_connections{protocol=\"xagent\"}") == 0);
                List<JsonNode> rest = second.untilClosed();
                assertThat(rest.getLast().path("status").asText()).as("the run went on to its end").isEqualTo("finished");
            }
            assertThat(onRunner.statusOf(user, id)).isEqualTo("finished");
        }
    }

    /** A drain's 1001 is this side going away, not the client leaving: the run on the other replica goes on. */
    @Test
    void drainingTheReplicaAClientWatchesFromDoesNotStopTheRunOwnedByAnother() throws InterruptedException {
        TestServer replicaC = TestServer.start(shared, config);
        XAgentSession onA = new XAgentSession(replicaA);
        XAgentSession.Account user = onA.register();
        String id = onA.newInteraction(user);
        WsTestClient first = onA.base(user, id);
        first.send(startFrame("outlive a drain", "auto", demo(3, 2, 150)));
        first.next();
        first.nextSkippingPongs();
        first.abort();
        WsTestClient watcher = new XAgentSession(replicaC).base(user, id);
        assertThat(watcher.next().path("status").asText()).isEqualTo("connect");
        replicaC.close();
        assertThat(watcher.closeCode()).isEqualTo(1001);
        long deadline = System.nanoTime() + 20_000_000_000L;
        String status = "";
        while (System.nanoTime() < deadline && !status.equals("finished") && !status.equals("closed")) {
            Thread.sleep(50);
            status = onA.statusOf(user, id);
        }
        assertThat(status).isEqualTo("finished");
    }
}
