package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/** A client that stops reading never delays the others; one event fans out to many sockets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoGptBackpressureIT {

    /**
     * A replica holds one {@code execution_event/*} pattern, shared by its history recorder and its {@code /ws}
     * routing: Redis counts one receiver per replica, however many executions it watches.
     */
    private static final long RECEIVERS_PER_REPLICA = 1;

    private static final int EVENTS = 400;
    private static final int EVENT_BYTES = 64 * 1024;
    private static final Duration PROMPT = Duration.ofSeconds(2);
    /** 64 KiB every 2 ms: 32 MiB/s. */
    private static final Duration PACE = Duration.ofMillis(2);

    private EmbeddedRedis redis;
    private TestServer server;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("redis.uri", redis.uri(),
                "autogpt.writer-capacity", "32", "autogpt.slow-consumer-grace", "PT0.5S",
                "hub.max-connections-per-user", "200"));
    }

    @AfterAll
    void stop() {
        server.close();
        redis.close();
    }

    @Test
    @Order(1)
    void aClientThatStopsReadingIsClosedAndCountedWhileAReadingOneKeepsUp() throws Exception {
        String user = UUID.randomUUID().toString();
        String exec = "exec-" + UUID.randomUUID();
        String token = TestTokens.forUser(user);
        String subscribe = "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}";
        try (WsTestClient fast = WsTestClient.connect(server.ws("/ws?token=" + token));
             WsTestClient slow = WsTestClient.connectWithoutReading(server.ws("/ws?token=" + token))) {
            fast.send(subscribe);
            fast.nextText();
            slow.send(subscribe);
            assertThat(slow.nextText()).contains("\"success\":true");
            assertThat(gauge("agentserver_connections{protocol=\"autogpt\"}")).isEqualTo(2);

            long[] published = new long[EVENTS];
            long[] latencies = new long[EVENTS];
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                Pattern index = Pattern.compile("\"node_exec_id\":\"ne-(\\d+)\"");
                for (int i = 0; i < EVENTS; i++) {
                    String frame = fast.nextText();
                    long now = System.nanoTime();
                    Matcher m = index.matcher(frame);
                    assertThat(m.find()).isTrue();
                    int n = Integer.parseInt(m.group(1));
                    assertThat(n).isEqualTo(i);
                    latencies[n] = now - published[n];
                }
            });
            String filler = "x".repeat(EVENT_BYTES);
            for (int i = 0; i < EVENTS; i++) {
                published[i] = System.nanoTime();
                redis.publish(executionChannel(user, "g", exec),
                        envelope(nodeExecutionEvent(user, "g", exec, "ne-" + i, filler)));
                LockSupport.parkNanos(PACE.toNanos()); // a reading client keeps up with a steady stream, not with any burst
            }
            reader.get(60, java.util.concurrent.TimeUnit.SECONDS);

            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            System.out.printf("reading subscriber beside a stalled one: %d events of %d KiB, latency p50=%.1f ms"
                            + " p99=%.1f ms max=%.1f ms%n", EVENTS, EVENT_BYTES / 1024, sorted[EVENTS / 2] / 1e6,
                    sorted[EVENTS * 99 / 100] / 1e6, sorted[EVENTS - 1] / 1e6);
            assertThat(Duration.ofNanos(sorted[EVENTS - 1])).isLessThan(PROMPT);

            awaitGauge("agentserver_slow_consumer_closes_total{protocol=\"autogpt\"}", 1);
            awaitGauge("agentserver_connections{protocol=\"autogpt\"}", 1);
            assertThat(gauge("autogpt_websocket_connections_total")).isEqualTo(1);
            // The stalled client never reads again, so it never sees the 1013 close frame nor the dropped TCP
            // connection; the server side (counted, deregistered, unsubscribed) is what is asserted.
        }
    }

    @Test
    @Order(2)
    void oneEventReachesAHundredSubscribersOfTheSameExecutionPromptly() {
        String user = UUID.randomUUID().toString();
        String exec = "exec-" + UUID.randomUUID();
        String token = TestTokens.forUser(user);
        List<WsTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + token));
                ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}");
                ws.nextText();
                clients.add(ws);
            }
            long[] rounds = new long[10];
            for (int round = 0; round < rounds.length; round++) {
                long start = System.nanoTime();
                assertThat(redis.publish(executionChannel(user, "g", exec),
                        envelope(nodeExecutionEvent(user, "g", exec, "ne-" + round, "hi")))).isEqualTo(RECEIVERS_PER_REPLICA);
                for (WsTestClient ws : clients) {
                    JsonNode frame = ws.next();
                    assertThat(frame.path("data").path("node_exec_id").asText()).isEqualTo("ne-" + round);
                }
                rounds[round] = System.nanoTime() - start;
            }
            long[] sorted = rounds.clone();
            Arrays.sort(sorted);
            System.out.printf("fan-out 1 event -> 100 sockets: all received after median=%.1f ms max=%.1f ms%n",
                    sorted[rounds.length / 2] / 1e6, sorted[rounds.length - 1] / 1e6);
            assertThat(Duration.ofNanos(sorted[rounds.length / 2])).isLessThan(PROMPT);
        } finally {
            clients.forEach(WsTestClient::close);
        }
    }

    private double gauge(String series) {
        String metrics = HttpForms.get(server.http("/metrics")).body().asText();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private void awaitGauge(String series, double expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gauge(series) != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(gauge(series)).as(series).isEqualTo(expected);
    }
}
