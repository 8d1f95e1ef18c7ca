package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.ServiceProcess;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas on one PostgreSQL and one Redis; replica A runs in a process of its own and is killed ({@code kill
 * -9}) in the middle of a task stream. The SDK client resumes on replica B with {@code Last-Event-ID} and loses
 * nothing: when the run went on elsewhere, and when it died with A (B's lease reaper ends it as failed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class A2aReplicasIT {

    private static final Duration LEASE = Duration.ofSeconds(3);

    private SdkA2aClient sdk;
    private EmbeddedRedis redis;
    private DatabaseSettings database;
    private TestServer replicaB;
    private Process replicaA;
    private int portA;
    private Path logA;
    private String token;

    @BeforeAll
    void start() {
        sdk = SdkA2aClient.start();
        redis = EmbeddedRedis.start();
        database = TestDatabases.postgres();
        replicaB = TestServer.start(database, Map.of("redis.uri", redis.uri(), "run.replica-id", "replica-b",
                "run.lease-duration", "PT" + LEASE.toSeconds() + "S", "run.reaper-interval", "PT1S"));
        token = TestTokens.forUser("rita-" + UUID.randomUUID());
    }

    @BeforeEach
    void startReplicaA() throws Exception {
        portA = ServiceProcess.freePort();
        logA = Files.createTempFile("replica-a", ".log");
        replicaA = ServiceProcess.start(portA, logA, Map.of(
                "DB_CONNECTION_URL", database.url(),
                "DB_CONNECTION_USERNAME", database.username(),
                "REDIS_URI", redis.uri(),
                "RUN_REPLICA_DASH_ID", "replica-a",
                "RUN_LEASE_DASH_DURATION", "PT" + LEASE.toSeconds() + "S"));
        awaitReady(URI.create("http://127.0.0.1:" + portA + "/health"));
    }

    @AfterEach
    void stopReplicaA() throws InterruptedException {
        if (replicaA != null && replicaA.isAlive()) {
            replicaA.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stop() {
        if (replicaB != null) {
            replicaB.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    @Test
    void theStreamsReplicaIsKilledWhileTheRunGoesOnElsewhereAndAResumeOnTheOtherLosesNothing() throws Exception {
        ObjectNode params = A2aServerIT.send("run on B, watched on A", A2aServerIT.demo(3, 2, 200));
        params.putObject("configuration").put("returnImmediately", true);
        String id = sdk.result(base(replicaB.port()), token, "sendMessage", params).path("task").path("id").asText();

        SdkA2aClient.Stream onA = sdk.stream(base(portA), token, "resubscribeTask", Json.object().put("id", id), "0.0");
        onA.awaitEvents(e -> e.size() >= 4, "a few events through replica A");
        replicaA.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        List<JsonNode> seen = updates(onA.awaitDone().path("events"));
        assertThat(states(seen)).as("A died before the end").doesNotContain("TASK_STATE_COMPLETED");

        List<JsonNode> rest = resumeOnB(id, seen);
        assertThat(A2aServerIT.states(rest)).last().isEqualTo("TASK_STATE_COMPLETED");
    }

    @Test
    void theRunsReplicaIsKilledAndAResumeOnTheOtherSeesEverythingUpToTheFailureItsReaperWrites() throws Exception {
        SdkA2aClient.Stream onA = sdk.stream(base(portA), token, "sendMessageStream",
                A2aServerIT.send("run and watched on A", A2aServerIT.demo(3, 2, 200)), null);
        List<JsonNode> first = onA.awaitEvents(e -> e.size() >= 4, "a few events through replica A");
        String id = first.get(0).path("task").path("id").asText();
        replicaA.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        List<JsonNode> all = new ArrayList<>();
        onA.awaitDone().path("events").forEach(all::add);
        List<JsonNode> seen = all.subList(1, all.size());

        List<JsonNode> rest = resumeOnB(id, seen);
        JsonNode last = rest.get(rest.size() - 1);
        assertThat(A2aServerIT.state(last)).isEqualTo("TASK_STATE_FAILED");
        assertThat(A2aServerIT.text(last)).contains("stopped");
        assertThat(replicaB.query("SELECT status FROM interactions WHERE interaction_id = ?", id))
                .containsExactly(List.of("failed"));
    }

    /**
     * Resumes on B after the last event seen through A; checks that seen and resumed together are every event of the
     * log once, in order (as a full replay on B shows them), and returns what the resume brought.
     */
    private List<JsonNode> resumeOnB(String id, List<JsonNode> seen) {
        String lastSeen = A2aServerIT.meta(seen.get(seen.size() - 1)).path("eventId").asText();
        SdkA2aClient.Stream resumed = sdk.stream(base(replicaB.port()), token, "resubscribeTask",
                Json.object().put("id", id), lastSeen);
        JsonNode done = resumed.awaitDone();
        assertThat(done.path("error").isNull()).as(done.path("error").toString()).isTrue();
        List<JsonNode> events = new ArrayList<>();
        done.path("events").forEach(events::add);
        assertThat(events.get(0).has("task")).as("the task first").isTrue();
        List<JsonNode> rest = events.subList(1, events.size());

        SdkA2aClient.Stream replay = sdk.stream(base(replicaB.port()), token, "resubscribeTask",
                Json.object().put("id", id), "0.0");
        List<JsonNode> full = updates(replay.awaitDone().path("events"));
        List<String> joined = new ArrayList<>(A2aServerIT.ids(seen));
        joined.addAll(A2aServerIT.ids(rest));
        List<String> expected = A2aServerIT.ids(full);
        if (!joined.isEmpty() && joined.get(0).equals("0.0")) {
            expected = new ArrayList<>(expected);
            expected.add(0, "0.0");
        }
        assertThat(joined).as("seen on A, then resumed on B: every event once, in order")
                .containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(joined)).hasSameSizeAs(joined);
        System.out.println("a2a resume across replicas: " + A2aServerIT.ids(seen).size() + " events through A, "
                + A2aServerIT.ids(rest).size() + " resumed on B after " + lastSeen);
        return rest;
    }

    private static List<JsonNode> updates(JsonNode events) {
        List<JsonNode> updates = new ArrayList<>();
        events.forEach(e -> {
            if (!e.has("task")) {
                updates.add(e);
            }
        });
        return updates;
    }

    private static List<String> states(List<JsonNode> events) {
        return A2aServerIT.states(events);
    }

    private static String base(int port) {
        return "http://127.0.0.1:" + port + "/a2a/demo/";
    }

    private void awaitReady(URI health) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && replicaA.isAlive()) {
            try {
                if (HttpForms.get(health).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("replica A did not become ready; see " + logA + ": " + Files.readString(logA));
    }
}
