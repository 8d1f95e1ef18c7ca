package io.agentserver.service.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.Database;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.store.UsageStore;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-user limits on two replicas sharing one PostgreSQL database: concurrent runs, runs per hour, tokens per run
 * and per day hold across replicas; concurrent starts cannot both take the last slot; the guest user runs only the
 * agents it is allowed. Runs use the {@code llm} agent against a model that answers with a three-subtask plan (or
 * the one a test puts in the goal) and then plain text, 120 tokens per request; in manual mode a run waits at its plan, so it stays active as long as a
 * test needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaIT {

    private static final int CONCURRENT = 2;
    private static final int PER_HOUR = 4;
    /** Each model request uses 120 tokens (the fake's usage). */
    private static final long TOKENS_PER_REQUEST = 120;

    private HttpServer model;
    private final AtomicInteger modelRequests = new AtomicInteger();
    private DatabaseSettings shared;
    private TestServer replicaA;
    private TestServer replicaB;

    @BeforeAll
    void start() throws IOException {
        model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        model.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        model.createContext("/v1/chat/completions", exchange -> {
            JsonNode request = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            modelRequests.incrementAndGet();
            byte[] body = Json.write(answer(request)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try (OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        model.start();
        shared = TestDatabases.postgres();
        Map<String, String> config = new HashMap<>(Map.of(
                "llm.base.url", "http://127.0.0.1:" + model.getAddress().getPort() + "/v1",
                "llm.model", "m",
                "llm.stream", "false",
                "quota.concurrent-runs", String.valueOf(CONCURRENT),
                "quota.runs-per-hour", String.valueOf(PER_HOUR),
                "quota.tokens-per-run", "400",
                "quota.tokens-per-day", "500"));
        replicaA = TestServer.start(shared, config);
        replicaB = TestServer.start(shared, config);
    }

    @AfterAll
    void stop() {
        if (replicaA != null) {
            replicaA.close();
        }
        if (replicaB != null) {
            replicaB.close();
        }
        model.stop(0);
    }

    @Test
    void concurrentRunsAreLimitedAcrossReplicasAndASlotFreesWhenARunEnds() {
        String user = newUser();
        String series = "agentserver_runs_refused_total{limit=\"concurrent_runs\"}";
        double refusedOnABefore = metric(replicaA, series);
        double refusedOnBBefore = metric(replicaB, series);
        try (Waiting first = waitingRun(replicaA, user); Waiting second = waitingRun(replicaB, user)) {
            String refusedOnA = refusedStart(replicaA, user);
            String refusedOnB = refusedStart(replicaB, user);
            assertThat(refusedOnA).isEqualTo("you already have 2 runs going, the most one user may have at once"
                    + " (QUOTA_CONCURRENT_DASH_RUNS); wait for one to end");
            assertThat(refusedOnB).isEqualTo(refusedOnA);
            first.close();
            awaitStatus(first.id, "closed");
            try (Waiting third = waitingRun(replicaB, user)) {
                assertThat(third.id).isNotBlank();
            }
        }
        assertThat(metric(replicaA, series) - refusedOnABefore).isEqualTo(1.0);
        assertThat(metric(replicaB, series) - refusedOnBBefore).isEqualTo(1.0);
    }

    @Test
    void runsPerHourAreLimitedAcrossReplicas() {
        String user = newUser();
        for (int i = 0; i < PER_HOUR; i++) {
            TestServer replica = i % 2 == 0 ? replicaA : replicaB;
            try (Waiting run = waitingRun(replica, user)) {
                assertThat(run.id).isNotBlank();
            }
        }
        assertThat(refusedStart(replicaB, user)).startsWith("you started 4 runs within the last hour")
                .contains("QUOTA_RUNS_DASH_PER_DASH_HOUR");
        assertThat(refusedStart(replicaA, user)).startsWith("you started 4 runs within the last hour");
    }

    @Test
    void startsAtTheSameMomentOnBothReplicasCannotTakeMoreThanTheFreeSlots() throws Exception {
        String user = newUser();
        int attempts = 6;
        List<String> ids = new ArrayList<>();
        List<WsTestClient> sockets = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            TestServer replica = i % 2 == 0 ? replicaA : replicaB;
            String id = newInteraction(replica, user);
            ids.add(id);
            WsTestClient base = connect(replica, user, id);
            assertThat(base.next().path("status").asText()).isEqualTo("connect");
            sockets.add(base);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> starters = new ArrayList<>();
        for (WsTestClient base : sockets) {
            starters.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                base.send(startFrame("manual"));
            }));
        }
        go.countDown();
        for (Thread t : starters) {
            t.join();
        }
        int started = 0;
        int refused = 0;
        for (WsTestClient base : sockets) {
            JsonNode first = firstAnswer(base);
            if (first.path("success").asBoolean(true) && first.has("node_id")) {
                started++;
            } else if ("error".equals(first.path("status").asText())) {
                assertThat(first.path("message").asText()).contains("QUOTA_CONCURRENT_DASH_RUNS");
                refused++;
            }
        }
        sockets.forEach(WsTestClient::close);
        assertThat(started).as("runs admitted out of " + attempts + " simultaneous starts").isEqualTo(CONCURRENT);
        assertThat(refused).isEqualTo(attempts - CONCURRENT);
    }

    @Test
    void theUsageStoreAdmitsExactlyTheFreeSlotsWhenManyAskAtOnce() throws Exception {
        try (Database database = Database.open(TestDatabases.postgres())) {
            UsageStore usage = database.usage();
            int askers = 8;
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger admitted = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < askers; i++) {
                String interaction = "i" + i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    usage.admitIf("racer", interaction, "llm", Instant.now(), Duration.ofHours(1), Duration.ofSeconds(30),
                            counts -> {
                                boolean ok = counts.runsInWindow() < 3;
                                if (ok) {
                                    admitted.incrementAndGet();
                                }
                                return ok;
                            });
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(admitted.get()).isEqualTo(3);
        }
    }

    @Test
    void theGuestRunsOnlyTheAgentsItIsAllowedAndSeesWhy() {
        HttpForms.Reply login = HttpForms.post(replicaA.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        String guest = login.data().path("user_id").asText();
        String guestToken = login.data().path("token").asText();
        String id = HttpForms.post(replicaA.http("/api/conv/init_conv_env"), Map.of("user_id", guest, "token", guestToken))
                .data().path("id").asText();
        try (WsTestClient base = WsTestClient.connect(replicaA.ws("/ws/base/" + id + "?user_id=" + enc(guest)
                + "&token=" + enc(guestToken) + "&description=guest"))) {
            assertThat(base.next().path("status").asText()).isEqualTo("connect");
            base.send(startFrame("auto").put("agent", "llm"));
            JsonNode refusal = firstAnswer(base);
            assertThat(refusal.path("status").asText()).isEqualTo("error");
            assertThat(refusal.path("message").asText()).isEqualTo("the guest user may run only demo; sign in with"
                    + " your own account to run llm");
        }
        String demo = HttpForms.post(replicaA.http("/api/conv/init_conv_env"), Map.of("user_id", guest, "token", guestToken))
                .data().path("id").asText();
        try (WsTestClient base = WsTestClient.connect(replicaA.ws("/ws/base/" + demo + "?user_id=" + enc(guest)
                + "&token=" + enc(guestToken) + "&description=guest"))) {
            assertThat(base.next().path("status").asText()).isEqualTo("connect");
            base.send("{\"type\":\"data\",\"agent\":\"demo\",\"mode\":\"auto\",\"args\":{\"goal\":\"g\","
                    + "\"demo\":{\"subtasks\":1,\"inner\":1,\"delay_ms\":1}},\"file_list\":[]}");
            List<JsonNode> frames = base.untilClosed();
            assertThat(frames.getLast().path("status").asText()).isEqualTo("finished");
        }
        assertThat(metric(replicaA, "agentserver_runs_refused_total{limit=\"guest_agent\"}")).isEqualTo(1.0);
    }

    @Test
    void aRunThatReachesItsTokenLimitFailsSayingSoAndWhatItSpent() {
        String user = newUser();
        List<JsonNode> frames = autoRun(replicaA, user, "{\"subtasks\":[{\"goal\":\"a\"},{\"goal\":\"b\"},"
                + "{\"goal\":\"c\"},{\"goal\":\"d\"},{\"goal\":\"e\"}]}");
        JsonNode last = frames.getLast();
        assertThat(last.path("status").asText()).isEqualTo("failed");
        assertThat(last.path("data").asText()).isEqualTo("the run reached its limit of 400 model tokens"
                + " (QUOTA_TOKENS_DASH_PER_DASH_RUN) (this run used 480 model tokens in 4 requests)");
        assertThat(metric(replicaA, "agentserver_tokens_spent_total{agent=\"llm\",kind=\"prompt\",user_class=\"user\"}"))
                .isGreaterThanOrEqualTo(400.0);
    }

    @Test
    void tokensPerDayAreCountedAcrossReplicas() {
        String user = newUser();
        // first run on A: the plan and one subtask = 2 requests = 240 tokens, finished
        List<JsonNode> onA = autoRun(replicaA, user, "{\"subtasks\":[{\"goal\":\"a\"}]}");
        assertThat(onA.getLast().path("status").asText()).isEqualTo("finished");
        // second run on B (plan + 3 subtasks): the day reaches 600 after its third request; the fourth is refused
        List<JsonNode> onB = autoRun(replicaB, user, null);
        assertThat(onB.getLast().path("status").asText()).isEqualTo("failed");
        assertThat(onB.getLast().path("data").asText()).isEqualTo("you have used your 500 model tokens for today"
                + " (QUOTA_TOKENS_DASH_PER_DASH_DAY); try again tomorrow (UTC) (this run used 360 model tokens in 3"
                + " requests)");
        assertThat(refusedStart(replicaA, user)).startsWith("you have used your 500 model tokens for today");
    }

    // --- the fake model ---------------------------------------------------------------------------------

    /**
     * The plan request ({@code make_plan} offered) gets a three-subtask plan as a tool call, or the plan a test put in
     * the goal ({@code plan:…}); every other request gets plain text (the subtask's result).
     */
    private static ObjectNode answer(JsonNode request) {
        boolean planning = request.path("tools").size() == 1;
        ObjectNode message = Json.object().put("role", "assistant");
        String goal = request.path("messages").get(1).path("content").asText();
        if (planning) {
            message.putNull("content");
            String plan = goal.contains("plan:") ? goal.substring(goal.indexOf("plan:") + 5)
                    : "{\"subtasks\":[{\"goal\":\"one\"},{\"goal\":\"two\"},{\"goal\":\"three\"}]}";
            ArrayNode calls = message.putArray("tool_calls");
            calls.addObject().put("id", "call_plan").put("type", "function").putObject("function")
                    .put("name", "make_plan").put("arguments", plan);
        } else {
            message.put("content", "done");
        }
        ObjectNode body = Json.object().put("id", "c").put("object", "chat.completion").put("created", 1L)
                .put("model", "m");
        body.putArray("choices").addObject().put("index", 0).put("finish_reason", planning ? "tool_calls" : "stop")
                .set("message", message);
        body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return body;
    }

    // --- helpers ------------------------------------------------------------------------------------------

    /** A run waiting for the human at its plan (manual mode): active until closed. */
    private final class Waiting implements AutoCloseable {
        final String id;
        final WsTestClient socket;

        Waiting(String id, WsTestClient socket) {
            this.id = id;
            this.socket = socket;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private Waiting waitingRun(TestServer replica, String user) {
        String id = newInteraction(replica, user);
        WsTestClient base = connect(replica, user, id);
        assertThat(base.next().path("status").asText()).isEqualTo("connect");
        base.send(startFrame("manual"));
        JsonNode first = firstAnswer(base);
        assertThat(first.path("status").asText()).as("started: " + first).isEqualTo("start");
        awaitStatus(id, "ask_for_human_help");
        return new Waiting(id, base);
    }

    private String refusedStart(TestServer replica, String user) {
        String id = newInteraction(replica, user);
        try (WsTestClient base = connect(replica, user, id)) {
            assertThat(base.next().path("status").asText()).isEqualTo("connect");
            base.send(startFrame("manual"));
            JsonNode answer = firstAnswer(base);
            assertThat(answer.path("status").asText()).as("refused: " + answer).isEqualTo("error");
            return answer.path("message").asText();
        }
    }

    private List<JsonNode> autoRun(TestServer replica, String user, String plan) {
        String id = newInteraction(replica, user);
        try (WsTestClient base = connect(replica, user, id)) {
            base.next();
            ObjectNode frame = startFrame("auto");
            if (plan != null) {
                ((ObjectNode) frame.path("args")).put("goal", "plan:" + plan);
            }
            base.send(frame);
            return base.untilClosed().stream().filter(f -> f.has("node_id")).toList();
        }
    }

    /** The first frame after a start: the first step (not the goal echo), or an error. */
    private static JsonNode firstAnswer(WsTestClient base) {
        while (true) {
            JsonNode frame = base.nextSkippingPongs();
            if (frame.has("node_id") && frame.path("status").asText().equals("running")) {
                continue;
            }
            return frame;
        }
    }

    private static ObjectNode startFrame(String mode) {
        ObjectNode frame = Json.object().put("type", "data").put("agent", "llm").put("mode", mode);
        frame.putObject("args").put("goal", "work");
        frame.set("file_list", Json.array());
        return frame;
    }

    private static String newUser() {
        return "user-" + System.nanoTime();
    }

    private static String token(String user) {
        return TestTokens.forUser(user);
    }

    private static String newInteraction(TestServer replica, String user) {
        return HttpForms.post(replica.http("/api/conv/init_conv_env"), Map.of("user_id", user, "token", token(user)))
                .data().path("id").asText();
    }

    private static WsTestClient connect(TestServer replica, String user, String id) {
        return WsTestClient.connect(replica.ws("/ws/base/" + id + "?user_id=" + enc(user) + "&token="
                + enc(token(user)) + "&description=quota"));
    }

    private void awaitStatus(String id, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = replicaA.query("SELECT status FROM interactions WHERE interaction_id = ?", id).get(0).get(0);
            if (status.equals(expected)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("interaction " + id + " is " + status + ", not " + expected);
    }

    private static double metric(TestServer replica, String series) {
        try {
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(replica.http("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                    .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim().split(" ")[0])).orElse(0.0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
