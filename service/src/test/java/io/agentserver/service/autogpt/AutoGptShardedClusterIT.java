package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.bus.BrokerSettings;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.bus.RedisEventBroker;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.AutoGptPlatformDatabase;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.RedisCluster;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.graphExecutionEvent;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AutoGPT as it runs today: two replicas in {@code AUTOGPT_BUS=sharded} on a real 6-node Redis Cluster
 * ({@code REDIS_MODE=cluster}), the graph of each execution looked up in AutoGPT's PostgreSQL, and an executor that
 * publishes exactly as AutoGPT's does: {@code SPUBLISH} of each event, wrapped in {@code {"payload": …}}, to
 * {@code execution_event/{U/G}/exec/E} and then {@code execution_event/{U/G}/all}, through a cluster client that
 * follows redirects. Clients are unchanged AutoGPT clients: the frames they get are compared byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class AutoGptShardedClusterIT {

    private static final Duration QUIET = Duration.ofMillis(400);

    private RedisCluster cluster;
    private AutoGptPlatformDatabase autogpt;
    private TestServer replicaA;
    private TestServer replicaB;

    @BeforeAll
    void start() {
        cluster = RedisCluster.shared();
        autogpt = AutoGptPlatformDatabase.create();
        DatabaseSettings ours = TestDatabases.h2();
        Map<String, String> config = new HashMap<>(autogpt.serverConfig());
        config.put("redis.mode", "cluster");
        config.put("redis.uri", cluster.seeds());
        config.put("redis.reconnect-max-delay", "PT0.5S");
        config.put("autogpt.bus", "sharded");
        replicaA = TestServer.start(ours, config);
        replicaB = TestServer.start(ours, config);
    }

    @AfterAll
    void stop() {
        if (replicaA != null) {
            replicaA.close();
        }
        if (replicaB != null) {
            replicaB.close();
        }
    }

    // ------------------------------------------------------------------ the scenario

    @Test
    void everyExecutorEventReachesItsExecutionAndGraphSubscribersByteForByteOncePerChannel() {
        String user = UUID.randomUUID().toString();
        String graph = "graph-" + UUID.randomUUID();
        String exec = autogpt.execution(user, graph);
        try (WsTestClient execOnA = connect(replicaA, user);
             WsTestClient graphOnB = connect(replicaB, user);
             WsTestClient bothOnA = connect(replicaA, user)) {
            assertThat(execOnA.send(subscribeExecution(exec)).nextText())
                    .isEqualTo(ack("subscribe_graph_execution", user + "|graph_exec#" + exec));
            assertThat(graphOnB.send(subscribeGraph(graph)).nextText())
                    .isEqualTo(ack("subscribe_graph_executions", user + "|graph#" + graph + "|executions"));
            bothOnA.send(subscribeExecution(exec)).nextText();
            bothOnA.send(subscribeGraph(graph)).nextText();

            List<String> events = List.of(
                    graphExecutionEvent(user, graph, exec, "RUNNING"),
                    nodeExecutionEvent(user, graph, exec, "node-exec-1", "ünïcødé ✓ " + "x".repeat(200)),
                    graphExecutionEvent(user, graph, exec, "COMPLETED"));
            events.forEach(event -> executor(user, graph, exec, event));

            List<String> onExecution = events.stream().map(e -> frame(e, user + "|graph_exec#" + exec)).toList();
            List<String> onGraph = events.stream()
                    .map(e -> frame(e, user + "|graph#" + graph + "|executions")).toList();
            assertThat(texts(execOnA, 3)).containsExactlyElementsOf(onExecution);
            assertThat(texts(graphOnB, 3)).containsExactlyElementsOf(onGraph);
            List<String> both = texts(bothOnA, 6);
            assertThat(both).as("one copy per channel key, as AutoGPT's own server sends")
                    .containsExactlyInAnyOrderElementsOf(concat(onExecution, onGraph));
            assertThat(both.stream().filter(onExecution::contains).toList()).containsExactlyElementsOf(onExecution);
            assertThat(execOnA.silentFor(QUIET) && graphOnB.silentFor(QUIET) && bothOnA.silentFor(QUIET))
                    .as("nothing twice").isTrue();
        }
    }

    @Test
    void notificationsReachEverySocketOfTheirUserOnEveryReplicaAndNobodyElse() {
        String user = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        try (WsTestClient onA = connect(replicaA, user);
             WsTestClient onB = connect(replicaB, user);
             WsTestClient stranger = connect(replicaA, other)) {
            // a socket's notification channel is subscribed when it opens: wait until Redis confirmed it
            awaitShardSubscribers("notification_event/" + user, 2);
            awaitShardSubscribers("notification_event/" + other, 1);
            cluster.spublish("notification_event/" + user, ExecutorEvents.notification(user, "credits_low"));

            String expected = "{\"method\":\"notification\",\"data\":{\"type\":\"info\",\"event\":\"credits_low\","
                    + "\"x_future\":1},\"success\":null,\"channel\":null,\"error\":null}";
            assertThat(onA.nextText()).isEqualTo(expected);
            assertThat(onB.nextText()).isEqualTo(expected);
            assertThat(stranger.silentFor(QUIET)).isTrue();
        }
    }

    @Test
    void anotherUsersUnknownOrDeletedExecutionIsRefusedWithAnErrorFrameAndNothingIsSubscribed() {
        String owner = UUID.randomUUID().toString();
        String intruder = UUID.randomUUID().toString();
        String graph = "graph-" + UUID.randomUUID();
        String exec = autogpt.execution(owner, graph);
        String deleted = autogpt.execution(owner, graph);
        autogpt.delete(deleted);
        String unknown = UUID.randomUUID().toString();
        try (WsTestClient ws = connect(replicaA, intruder);
             WsTestClient ownersSocket = connect(replicaA, owner)) {
            assertThat(ws.send(subscribeExecution(exec)).nextText()).isEqualTo(refused(exec));
            assertThat(ws.send(subscribeExecution(unknown)).nextText()).isEqualTo(refused(unknown));
            assertThat(ownersSocket.send(subscribeExecution(deleted)).nextText()).isEqualTo(refused(deleted));
            // the intruder's own graph channel is {intruder/graph}: the owner's events never reach it
            ws.send(subscribeGraph(graph)).nextText();

            executor(owner, graph, exec, graphExecutionEvent(owner, graph, exec, "RUNNING"));

            assertThat(ws.silentFor(QUIET)).isTrue();
            assertThat(cluster.shardSubscribers(RedisChannels.defaults().shardedExecutionChannel(owner, graph, exec))
                    .values()).containsOnly(0L);
        }
    }

    @Test
    void eachReplicaHoldsOneSubscriptionPerDistinctChannelAndReleasesItAfterTheLastSocketLeaves() {
        String user = UUID.randomUUID().toString();
        String graph = "graph-" + UUID.randomUUID();
        String exec = autogpt.execution(user, graph);
        String channel = RedisChannels.defaults().shardedExecutionChannel(user, graph, exec);
        List<WsTestClient> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsTestClient onA = connect(replicaA, user);
                WsTestClient onB = connect(replicaB, user);
                onA.send(subscribeExecution(exec)).nextText();
                onB.send(subscribeExecution(exec)).nextText();
                sockets.add(onA);
                sockets.add(onB);
            }
            RedisCluster.Node master = cluster.masterOf(channel);
            assertThat(cluster.shardSubscribers(channel).get(master.port()))
                    .as("one subscription per replica on the slot's master, however many sockets").isEqualTo(2L);
        } finally {
            sockets.forEach(WsTestClient::close);
        }
        // the history recorder lingers on the channel after the last socket left (AUTOGPT_HISTORY_LINGER)
        assertThat(metric(replicaA, "agentserver_bus_subscriptions{kind=\"shard_channel\"}")).isPositive();
    }

    // ------------------------------------------------------------------ moves

    @Test
    void aFailoverOfTheShardThatOwnsTheWatchedChannelMidStreamLosesAndRepeatsNothing() throws Exception {
        String user = UUID.randomUUID().toString();
        String graph = "graph-" + UUID.randomUUID();
        String exec = autogpt.execution(user, graph);
        String channel = RedisChannels.defaults().shardedExecutionChannel(user, graph, exec);
        double resubscribedBefore = metric(replicaA, "agentserver_bus_resubscriptions_total");
        try (WsTestClient ws = connect(replicaA, user)) {
            ws.send(subscribeExecution(exec)).nextText();
            Collector frames = Collector.start(ws);
            Executor executor = Executor.start(this, user, graph, exec);
            executor.awaitPublished(100);
            cluster.failover(channel);
            int published = executor.publishMore(150);

            Set<String> received = frames.nodeExecIds(published);
            assertThat(received).as("every event published through the failover").hasSize(published);
            assertThat(frames.duplicates()).as("none twice").isZero();
        }
        assertThat(metric(replicaA, "agentserver_bus_resubscriptions_total")).isGreaterThan(resubscribedBefore);
    }

    @Test
    void aSlotMigrationOfTheWatchedChannelMidStreamMovesTheSubscriptionAndEverythingAfterTheMoveArrives()
            throws Exception {
        String user = UUID.randomUUID().toString();
        String graph = "graph-" + UUID.randomUUID();
        String exec = autogpt.execution(user, graph);
        String channel = RedisChannels.defaults().shardedExecutionChannel(user, graph, exec);
        double resubscribedBefore = metric(replicaA, "agentserver_bus_resubscriptions_total");
        try (WsTestClient ws = connect(replicaA, user)) {
            ws.send(subscribeExecution(exec)).nextText();
            Collector frames = Collector.start(ws);
            Executor executor = Executor.start(this, user, graph, exec);
            executor.awaitPublished(100);
            RedisCluster.Node newOwner = cluster.migrate(channel);
            await("replica A re-subscribed", () ->
                    metric(replicaA, "agentserver_bus_resubscriptions_total") > resubscribedBefore);
            int movedAt = executor.published();
            int published = executor.publishMore(150);

            Set<String> received = frames.nodeExecIds(published - movedAt, movedAt, published);
            for (int n = movedAt; n < published; n++) {
                assertThat(received).contains("node-" + n);
            }
            assertThat(frames.duplicates()).as("none twice").isZero();
            assertThat(cluster.shardSubscribers(channel).get(newOwner.port())).isPositive();
        }
    }

    // ------------------------------------------------------------------ our own runs, history

    /**
     * Our runs travel the sharded channels too: a {@code /ws} subscriber on another replica sees the run, and
     * AutoGPT's own sharded consumers see each event on both channel shapes. The run's graph is the agent its start
     * frame names, so the subscriber subscribes once the run started.
     */
    @Test
    void ourOwnRunsAreSeenThroughSlashWsAndByShardedConsumersOfBothChannelShapes() {
        XAgentRuns.Guest guest = XAgentRuns.guest(replicaB);
        String id = XAgentRuns.newInteraction(replicaB, guest);
        List<String> consumed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EventBroker autogptConsumer = new RedisEventBroker(BrokerSettings.cluster(cluster.seeds()))) {
            autogptConsumer.subscribeSharded(RedisChannels.defaults().shardedExecutionChannel(guest.userId(),
                    "XAgent", id), (channel, message) -> consumed.add("exec " + message));
            autogptConsumer.subscribeSharded(RedisChannels.defaults().shardedGraphChannel(guest.userId(), "XAgent"),
                    (channel, message) -> {
                        if (message.contains(id)) {
                            consumed.add("all " + message);
                        }
                    });
            try (WsTestClient base = XAgentRuns.startDemo(replicaB, guest, id, 3, 2, 150)) {
                await("the run started", () -> replicaB.query(
                        "SELECT agent FROM interactions WHERE interaction_id = ?", id).getFirst().getFirst() != null
                        && !consumed.isEmpty());
                try (WsTestClient watcher = XAgentRuns.watch(replicaA, guest, id)) {
                    List<JsonNode> frames = XAgentRuns.untilNotification(watcher);
                    List<String> steps = base.untilClosed().stream().filter(f -> f.has("node_id"))
                            .map(s -> s.path("node_id").asText()).toList();

                    List<String> seen = XAgentRuns.ofMethod(frames, "node_execution_event").stream()
                            .map(f -> f.path("data").path("node_exec_id").asText()).toList();
                    assertThat(seen).as("the steps after the subscription, in order, once").isNotEmpty()
                            .isEqualTo(steps.subList(steps.size() - seen.size(), steps.size()));
                    assertThat(XAgentRuns.ofMethod(frames, "graph_execution_event"))
                            .extracting(f -> f.path("data").path("status").asText()).endsWith("COMPLETED");
                }
            }
            await("AutoGPT's consumer saw the last event on both shapes", () ->
                    consumed.stream().anyMatch(m -> m.startsWith("exec ") && m.contains("COMPLETED"))
                            && consumed.stream().anyMatch(m -> m.startsWith("all ") && m.contains("COMPLETED")));
            List<String> onExec = consumed.stream().filter(m -> m.startsWith("exec ")).map(m -> m.substring(5)).toList();
            List<String> onAll = consumed.stream().filter(m -> m.startsWith("all ")).map(m -> m.substring(4)).toList();
            assertThat(onAll).as("the same messages on both shapes, each once").isEqualTo(onExec);
            assertThat(onExec).allSatisfy(m -> assertThat(m).startsWith("{\"payload\":{"));
        }
    }

    @Test
    void aClientThatComesBackToTheOtherReplicaRecoversWhatItMissedFromTheClusterHistoryOncePerEvent() {
        String user = UUID.randomUUID().toString();
        String graph = "graph-" + UUID.randomUUID();
        String exec = autogpt.execution(user, graph);
        String cursor;
        try (WsTestClient first = connect(replicaA, user); WsTestClient alsoWatching = connect(replicaB, user)) {
            JsonNode ack = first.send(subscribe(exec, "0")).next();
            assertThat(ack.path("data").path("recovered").asBoolean())
                    .as("sharded: events published while nobody watched were not recorded").isFalse();
            alsoWatching.send(subscribeExecution(exec)).nextText();
            for (int n = 0; n < 3; n++) {
                executor(user, graph, exec, nodeExecutionEvent(user, graph, exec, "node-" + n, "x"));
            }
            List<JsonNode> seen = List.of(first.next(), first.next(), first.next());
            cursor = seen.get(2).path("event_id").asText();
            assertThat(cursor).isNotEmpty();
            alsoWatching.nextText();
        }
        // both replicas' sockets left; replica A keeps recording for AUTOGPT_HISTORY_LINGER
        for (int n = 3; n < 5; n++) {
            executor(user, graph, exec, nodeExecutionEvent(user, graph, exec, "node-" + n, "x"));
        }
        String stream = "agent-server:autogpt-history:{" + user + "|graph_exec#" + exec + "}";
        await("the two events recorded", () -> cluster.commands().xlen(stream) == 5);
        try (WsTestClient back = connect(replicaB, user)) {
            JsonNode ack = back.send(subscribe(exec, cursor)).next();
            assertThat(ack.path("data").path("recovered").asBoolean()).isTrue();
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(2);
            assertThat(List.of(back.next(), back.next()))
                    .extracting(f -> f.path("data").path("node_exec_id").asText())
                    .containsExactly("node-3", "node-4");
        }
        assertThat(cluster.commands().xlen(stream)).as("both replicas recorded the first three: one entry each")
                .isEqualTo(5);
    }

    // ------------------------------------------------------------------ helpers

    /** Publishes an event as AutoGPT's executor does: the same message to the execution's and the graph's channel. */
    void executor(String user, String graph, String exec, String event) {
        String message = envelope(event);
        cluster.spublish(RedisChannels.defaults().shardedExecutionChannel(user, graph, exec), message);
        cluster.spublish(RedisChannels.defaults().shardedGraphChannel(user, graph), message);
    }

    private void awaitShardSubscribers(String channel, long replicas) {
        await(replicas + " subscriptions to " + channel, () -> {
            RedisCluster.Node master = cluster.masterOf(channel);
            return cluster.shardSubscribers(channel).get(master.port()) >= replicas;
        });
    }

    private static WsTestClient connect(TestServer server, String user) {
        return WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(user)));
    }

    private static String subscribeExecution(String exec) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}";
    }

    private static String subscribe(String exec, String since) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\",\"since\":\""
                + since + "\"}}";
    }

    private static String subscribeGraph(String graph) {
        return "{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"" + graph + "\"}}";
    }

    private static String ack(String method, String channel) {
        return "{\"method\":\"" + method + "\",\"data\":null,\"success\":true,\"channel\":\"" + channel
                + "\",\"error\":null}";
    }

    private static String refused(String exec) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":null,\"success\":false,\"channel\":null,"
                + "\"error\":\"Graph execution #" + exec + " not found\"}";
    }

    /** The frame AutoGPT's own server sends for an event, byte for byte. */
    private static String frame(String event, String channel) {
        String method = event.contains("\"graph_execution_update\"") ? "graph_execution_event" : "node_execution_event";
        return "{\"method\":\"" + method + "\",\"data\":" + event + ",\"success\":null,\"channel\":\"" + channel
                + "\",\"error\":null}";
    }

    private static List<String> texts(WsTestClient ws, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(ws.nextText());
        }
        return texts;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static double metric(TestServer server, String series) {
        String text = HttpForms.get(server.http("/metrics")).body().asText();
        return text.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
                .findFirst().orElse(0);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Reads a socket's frames on its own thread, counting node events by {@code node_exec_id}. */
    private static final class Collector {
        private final Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();

        static Collector start(WsTestClient ws) {
            Collector collector = new Collector();
            Thread.ofVirtual().start(() -> {
                while (!collector.stop.get()) {
                    try {
                        JsonNode frame = Json.read(ws.nextText());
                        if ("node_execution_event".equals(frame.path("method").asText())) {
                            collector.counts.merge(frame.path("data").path("node_exec_id").asText(), 1, Integer::sum);
                        }
                    } catch (AssertionError quiet) {
                        // no frame for a while: keep waiting until stopped
                    }
                }
            });
            return collector;
        }

        /** Waits until {@code count} distinct events arrived; returns their ids. */
        Set<String> nodeExecIds(int count) {
            await(count + " events", () -> counts.size() >= count);
            stop.set(true);
            return new HashSet<>(counts.keySet());
        }

        /** Waits until the events numbered {@code from} to {@code to} (exclusive) arrived. */
        Set<String> nodeExecIds(int count, int from, int to) {
            await(count + " events after the move", () -> {
                for (int n = from; n < to; n++) {
                    if (!counts.containsKey("node-" + n)) {
                        return false;
                    }
                }
                return true;
            });
            stop.set(true);
            return new HashSet<>(counts.keySet());
        }

        long duplicates() {
            return counts.values().stream().filter(c -> c > 1).count();
        }
    }

    /** An executor publishing node events node-0, node-1, … one after the other, retrying what Redis refused. */
    private static final class Executor {
        private final AutoGptShardedClusterIT test;
        private final String user;
        private final String graph;
        private final String exec;
        private final AtomicInteger published = new AtomicInteger();
        private final AtomicInteger target = new AtomicInteger(Integer.MAX_VALUE);
        private final Thread thread;

        private Executor(AutoGptShardedClusterIT test, String user, String graph, String exec) {
            this.test = test;
            this.user = user;
            this.graph = graph;
            this.exec = exec;
            this.thread = Thread.ofPlatform().daemon().name("executor").start(this::run);
        }

        static Executor start(AutoGptShardedClusterIT test, String user, String graph, String exec) {
            return new Executor(test, user, graph, exec);
        }

        int published() {
            return published.get();
        }

        void awaitPublished(int count) {
            await(count + " published", () -> published.get() >= count);
        }

        int publishMore(int more) throws InterruptedException {
            int total = published.get() + more;
            target.set(total);
            thread.join(Duration.ofSeconds(30).toMillis());
            assertThat(published.get()).isEqualTo(total);
            return total;
        }

        private void run() {
            while (published.get() < target.get()) {
                int n = published.get();
                try {
                    test.executor(user, graph, exec, nodeExecutionEvent(user, graph, exec, "node-" + n, "x"));
                    published.incrementAndGet();
                    TimeUnit.MILLISECONDS.sleep(3);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    try {
                        TimeUnit.MILLISECONDS.sleep(20);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }
}
