package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.LossyBroker;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.agentserver.service.xagent.XAgentSession.demo;
import static io.agentserver.service.xagent.XAgentSession.startFrame;
import static io.agentserver.service.xagent.XAgentSession.statuses;
import static org.assertj.core.api.Assertions.assertThat;

/** XAgent delivery off the happy path: drops, lost publishes, bad input, slow clients, paced playback. */
class DeliveryFaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * A reconnect without {@code last_node_id} resumes after the last step the client provably received (a ping it
     * answered): it may repeat what was in flight, never skip a step.
     */
    @Test
    void anAbruptDropMidStreamThenAReconnectWithoutLastNodeIdGetsTheRestOfTheLogFromNoLaterThanTheDrop() {
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of("run.disconnect-grace", "PT30S"))) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            WsTestClient first = session.base(user, id);
            first.send(startFrame("a fast stream of wide frames " + "w".repeat(20_000), "auto", demo(10, 10, 1)));
            assertThat(first.next().path("status").asText()).isEqualTo("connect");
            for (int i = 0; i < 5; i++) {
                first.nextSkippingPongs();
            }
            first.abort();
            await("the run finished", () -> "finished".equals(session.statusOf(user, id)));
            await("the dropped socket ended", () -> metric(server, "agentserver_connections{protocol=\"xagent\"}") == 0);
            int written = (int) metric(server, "agentserver_frames_out_total{protocol=\"xagent\"}") - 1;

            List<JsonNode> resumed;
            try (WsTestClient again = session.base(user, id)) {
                assertThat(again.next().path("success").asBoolean()).isTrue();
                resumed = again.untilClosed();
                assertThat(again.closeCode()).isEqualTo(1000);
            }
            List<JsonNode> log = replay(session, user, id);
            assertThat(written).as("steps written before the drop").isBetween(5, log.size() - 1);
            assertThat(resumed).as("a step or more to resume").isNotEmpty();
            int from = seqs(resumed, log).getFirst();
            assertThat(from).as("the resumed stream starts no later than the first step not written (%d)", written)
                    .isBetween(0, written);
            assertThat(resumed).as("then the whole rest of the log, in order, each step once")
                    .isEqualTo(log.subList(from, log.size()));
        }
    }

    @Test
    void aFinalStepWhosePublishWasLostStillArrivesAndTheSocketCloses1000() {
        AtomicReference<LossyBroker> broker = new AtomicReference<>();
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of("xagent.store-recheck", "PT1S"), b -> {
            broker.set(new LossyBroker(b, (channel, message) ->
                    channel.startsWith("agentserver:interaction:") && message.contains("\"status\":\"finished\"")));
            return broker.get();
        })) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            long worst = 0;
            for (int run = 0; run < 5; run++) {
                String id = session.newInteraction(user);
                try (WsTestClient ws = session.base(user, id)) {
                    ws.send(startFrame("lose my ending", "auto", demo(1, 1, 1)));
                    ws.next();
                    List<JsonNode> frames = XAgentSession.framesThrough(ws, "finished");
                    Instant arrived = Instant.now();
                    assertThat(statuses(frames)).endsWith("subtask_submit", "refinement", "finished");
                    assertThat(ws.untilClosed()).isEmpty();
                    assertThat(ws.closeCode()).isEqualTo(1000);
                    Instant lostAt = broker.get().lost().stream()
                            .filter(l -> l.channel().endsWith(id)).map(LossyBroker.Lost::at).findFirst().orElseThrow();
                    worst = Math.max(worst, Duration.between(lostAt, arrived).toMillis());
                }
            }
            System.out.printf("lost publish of a final step: worst delay %d ms over 5 runs (recheck 1 s)%n", worst);
            assertThat(Duration.ofMillis(worst)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anAgentNameLongerThanItsColumnGetsAnInBandErrorAndTheSocketStaysUsable() {
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of())) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            try (WsTestClient ws = session.base(user, id)) {
                ws.next();
                ws.send(startFrame("too long a name", "auto", demo(1, 1, 1)).put("agent", "a".repeat(300)));
                JsonNode error = ws.nextSkippingPongs();
                assertThat(error.path("status").asText()).isEqualTo("error");
                assertThat(error.path("success").asBoolean()).isFalse();
                assertThat(error.path("message").asText()).contains("\"agent\" may have at most 255 characters");
                ws.send(startFrame("now a good one", "auto", demo(1, 1, 1)));
                assertThat(statuses(ws.untilClosed())).endsWith("finished");
                assertThat(ws.closeCode()).isEqualTo(1000);
            }
        }
    }

    @Test
    void sharePlaybackKeepsSendingPongsBetweenPacedSteps() {
        Map<String, String> config = new HashMap<>();
        config.put("xagent.pong-interval", "PT0.1S");
        config.put("xagent.share-pace-min", "PT0.3S");
        config.put("xagent.share-pace-max", "PT0.3S");
        try (TestServer server = TestServer.start(TestDatabases.h2(), config)) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account owner = session.register();
            XAgentSession.Account viewer = session.register();
            String id = session.newInteraction(owner);
            try (WsTestClient ws = session.base(owner, id)) {
                ws.send(startFrame("share me", "auto", demo(1, 1, 1)));
                ws.next();
                ws.untilClosed();
            }
            assertThat(session.post("/api/conv/shareInteraction", owner, Map.of("interaction_id", id)).status())
                    .isEqualTo(200);
            try (WsTestClient share = session.open("share", viewer, id, "")) {
                share.next();
                share.send("{\"type\":\"shared\"}");
                int pongsBetweenSteps = 0;
                int steps = 0;
                while (true) {
                    JsonNode frame = share.next();
                    if ("pong".equals(frame.path("type").asText())) {
                        pongsBetweenSteps += steps > 0 ? 1 : 0;
                        continue;
                    }
                    steps++;
                    if (frame.path("status").asText().equals("finished")) {
                        break;
                    }
                }
                assertThat(steps).isEqualTo(6);
                assertThat(pongsBetweenSteps).as("pongs written while playback paused between steps")
                        .isGreaterThanOrEqualTo(5);
            }
        }
    }

    /**
     * Steps are read from the log only as fast as the socket drains, so a client that stops reading is never
     * flooded: it stops answering pings too, and is dropped after the pong deadline; its run goes on.
     */
    @Test
    void anXAgentClientThatStopsReadingIsDroppedWhenItStopsAnsweringPingsAndItsRunGoesOn() {
        Map<String, String> config = Map.of("xagent.writer-max-bytes", "65536", "xagent.ping-interval", "PT0.5S",
                "hub.close-grace", "PT0.5S", "run.disconnect-grace", "PT60S");
        try (TestServer server = TestServer.start(TestDatabases.h2(), config)) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            WsTestClient frozen = WsTestClient.connectWithoutReading(server.ws("/ws/base/" + id + "?user_id="
                    + XAgentSession.enc(user.userId()) + "&token=" + XAgentSession.enc(user.token())));
            frozen.send(startFrame("outrun me", "auto", demo(4, 5, 100)));
            await("the unresponsive client was counted",
                    () -> metric(server, "agentserver_unresponsive_drops_total{protocol=\"xagent\"}") == 1);
            await("its connection was dropped", () -> metric(server, "agentserver_connections{protocol=\"xagent\"}") == 0);
            assertThat(metric(server, "agentserver_slow_consumer_closes_total{protocol=\"xagent\"}"))
                    .as("never overflowed: the log waits for room").isZero();
            await("its run went on to the end", () -> "finished".equals(session.statusOf(user, id)));
        }
    }

    /** A client that pauses reading, then resumes before the pong deadline, gets every step: none is dropped. */
    @Test
    void aClientThatPausesReadingGetsEveryStepOnceWhenItResumes() {
        Map<String, String> config = Map.of("xagent.writer-max-bytes", "65536", "xagent.ping-interval", "PT30S",
                "run.disconnect-grace", "PT60S");
        try (TestServer server = TestServer.start(TestDatabases.h2(), config)) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            PausedClient client = PausedClient.connect(server.ws("/ws/base/" + id + "?user_id="
                    + XAgentSession.enc(user.userId()) + "&token=" + XAgentSession.enc(user.token())));
            client.socket.sendText(Json.write(startFrame("pause me " + "o".repeat(60_000), "auto",
                    demo(10, 10, 0))), true).join();
            await("the run finished while its client was paused", () -> "finished".equals(session.statusOf(user, id)));
            client.resume();
            assertThat(client.closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join())
                    .as("the whole log, then the server's close").isEqualTo(1000);
            List<JsonNode> log = replay(session, user, id);
            assertThat(client.frames.stream().filter(f -> f.has("node_id")).map(f -> f.path("node_id").asText()))
                    .as("every step once, in order")
                    .containsExactlyElementsOf(log.stream().filter(f -> f.has("node_id"))
                            .map(f -> f.path("node_id").asText()).toList());
            assertThat(metric(server, "agentserver_slow_consumer_closes_total{protocol=\"xagent\"}")).isZero();
        }
    }

    /** A client that reads one frame, then nothing until {@link #resume()}; it answers the server's close. */
    private static final class PausedClient implements WebSocket.Listener {
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean paused = true;
        private WebSocket socket;

        static PausedClient connect(java.net.URI uri) {
            PausedClient client = new PausedClient();
            client.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, client).join();
            return client;
        }

        void resume() {
            paused = false;
            socket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(Json.read(partial.toString()));
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    /** The positions in the log of the given frames. */
    private static List<Integer> seqs(List<JsonNode> frames, List<JsonNode> log) {
        List<String> nodeIds = log.stream().map(f -> f.path("node_id").asText()).toList();
        return frames.stream().map(f -> nodeIds.indexOf(f.path("node_id").asText())).toList();
    }

    private static List<JsonNode> replay(XAgentSession session, XAgentSession.Account user, String id) {
        try (WsTestClient replay = session.open("replay", user, id, "")) {
            replay.next();
            replay.send("{\"type\":\"replay\"}");
            return new ArrayList<>(replay.untilClosed());
        }
    }

    static double metric(TestServer server, String series) {
        String text = HttpForms.get(server.http("/metrics")).body().asText();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
