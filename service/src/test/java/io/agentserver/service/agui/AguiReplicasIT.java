package io.agentserver.service.agui;

import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.ServiceProcess;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas over PostgreSQL and Redis, one of them a process of its own: a stream cut mid-run on the replica that
 * runs the run is rejoined on the other, that replica is killed (SIGKILL) in the middle of the stream, and the stream
 * is rejoined on the first again. What the client got, pieced together by Last-Event-ID, is exactly the full replay
 * after the end: nothing lost, nothing repeated, every event with its original id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AguiReplicasIT {

    private EmbeddedRedis redis;
    private DatabaseSettings shared;
    private TestServer replicaB;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        shared = TestDatabases.postgres();
        replicaB = TestServer.start(shared, Map.of("redis.uri", redis.uri()));
    }

    @AfterAll
    void stop() {
        replicaB.close();
        redis.close();
    }

    @Test
    void aStreamRejoinedAcrossReplicasAndAfterTheServingReplicaIsKilledLosesAndRepeatsNothing() throws Exception {
        String user = "replicas-" + UUID.randomUUID();
        String token = TestTokens.forUser(user);
        AguiClient onB = new AguiClient(replicaB, token);
        String run = UUID.randomUUID().toString();
        List<AguiClient.Event> seen = new ArrayList<>();

        try (AguiClient.Stream first = onB.post("demo", AguiClient.input(UUID.randomUUID().toString(), run,
                "survive a replica", AguiClient.demoProps(3, 3, 120)))) {
            for (int i = 0; i < 6; i++) {
                seen.add(first.next());
            }
        } // cut on B, mid-run; the run goes on on B

        int port = ServiceProcess.freePort();
        Process replicaA = startReplica(port);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitReady(base.resolve("/health"), replicaA);
            AguiClient onA = onB.at(base);
            try (AguiClient.Stream second = onA.events("demo", run, String.valueOf(seen.getLast().id()))) {
                assertThat(second.status).isEqualTo(200);
                for (int i = 0; i < 6; i++) {
                    seen.add(second.next());
                }
                replicaA.destroyForcibly(); // SIGKILL: the serving replica dies mid-stream
                assertThat(replicaA.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                try {
                    AguiClient.Event more;
                    while ((more = second.next()) != null) {
                        seen.add(more); // whatever reached the socket before the kill counts as received
                    }
                } catch (UncheckedIOException reset) {
                    // the connection was reset
                }
            }
        } finally {
            replicaA.destroyForcibly();
        }

        try (AguiClient.Stream third = onB.events("demo", run, String.valueOf(seen.getLast().id()))) {
            seen.addAll(third.rest());
        }
        AguiChecks.wellFormedRun(seen);
        assertThat(seen.getLast().data().path("outcome").path("type").asText()).isEqualTo("success");
        try (AguiClient.Stream replay = onB.events("demo", run, null)) {
            assertThat(seen).isEqualTo(replay.rest());
        }
    }

    private Process startReplica(int port) throws Exception {
        return ServiceProcess.start("agui-replica", port, Map.of(
                "DB_CONNECTION_URL", shared.url(),
                "DB_CONNECTION_USERNAME", shared.username(),
                "DB_CONNECTION_PASSWORD", shared.password(),
                "REDIS_URI", redis.uri()));
    }

    private static void awaitReady(URI health, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HttpForms.get(health).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("replica A did not become ready; alive=" + process.isAlive());
    }
}
