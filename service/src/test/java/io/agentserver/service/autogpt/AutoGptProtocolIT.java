package io.agentserver.service.autogpt;

import io.agentserver.service.testing.EmbeddedRedis;
import io.agentserver.service.testing.RawWebSocket;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.agentserver.service.autogpt.ExecutorEvents.envelope;
import static io.agentserver.service.autogpt.ExecutorEvents.executionChannel;
import static io.agentserver.service.autogpt.ExecutorEvents.graphExecutionEvent;
import static io.agentserver.service.autogpt.ExecutorEvents.nodeExecutionEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AutoGPT's {@code /ws} over real sockets, with events published on a real Redis by a raw client in the
 * executor's exact format. Ports the cases of AutoGPT's {@code test_ws_api.py} and
 * {@code test_con_manager.py} to the wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoGptProtocolIT {

    /**
     * A replica holds one {@code execution_event/*} pattern, shared by its history recorder and its {@code /ws}
     * routing: Redis counts one receiver per replica, however many executions it watches.
     */
    private static final long RECEIVERS_PER_REPLICA = 1;

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private EmbeddedRedis redis;
    private TestServer server;

    @BeforeAll
    void start() {
        redis = EmbeddedRedis.start();
        server = TestServer.start(TestDatabases.h2(), Map.of("redis.uri", redis.uri()));
    }

    @AfterAll
    void stop() {
        server.close();
        redis.close();
    }

    private WsTestClient connect(String user) {
        return WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(user)));
    }

    private static String user() {
        return UUID.randomUUID().toString();
    }

    private static String subscribeExec(String exec) {
        return "{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}";
    }

    private static String subscribeGraph(String graph) {
        return "{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_id\":\"" + graph + "\"}}";
    }

    // ------------------------------------------------------------------ acks, heartbeat, errors

    @Test
    void heartbeatIsAnsweredWithAThreeKeyPong() {
        try (WsTestClient ws = connect(user())) {
            ws.send("{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}");
            assertThat(ws.nextText()).isEqualTo("{\"method\":\"heartbeat\",\"data\":\"pong\",\"success\":true}");
            ws.send("{\"method\":\"heartbeat\",\"data\":{\"anything\":1}}");
            assertThat(ws.nextText()).isEqualTo("{\"method\":\"heartbeat\",\"data\":\"pong\",\"success\":true}");
        }
    }

    @Test
    void subscribeAcksAreByteExactAndCarryTheUsersChannel() {
        String user = user();
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribeExec("test-graph-exec-1"));
            assertThat(ws.nextText()).isEqualTo("{\"method\":\"subscribe_graph_execution\",\"data\":null,"
                    + "\"success\":true,\"channel\":\"" + user + "|graph_exec#test-graph-exec-1\",\"error\":null}");
            ws.send(subscribeGraph("g-1"));
            assertThat(ws.nextText()).isEqualTo("{\"method\":\"subscribe_graph_executions\",\"data\":null,"
                    + "\"success\":true,\"channel\":\"" + user + "|graph#g-1|executions\",\"error\":null}");
        }
    }

    @Test
    void aFrameAsPydanticDumpsItWithUnknownKeysIsAccepted() {
        String user = user();
        try (WsTestClient ws = connect(user)) {
            ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"e\",\"extra\":1},"
                    + "\"success\":null,\"channel\":null,\"error\":null,\"unknown\":[1]}");
            assertThat(ws.nextText()).contains("\"success\":true").contains("\"channel\":\"" + user + "|graph_exec#e\"");
        }
    }

    @Test
    void unsubscribeAcksTheChannelOrNullWhenThereWasNoSuchSubscription() {
        String user = user();
        try (WsTestClient ws = connect(user)) {
            ws.send("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"never\"}}");
            assertThat(ws.nextText()).isEqualTo(
                    "{\"method\":\"unsubscribe\",\"data\":null,\"success\":true,\"channel\":null,\"error\":null}");
            ws.send(subscribeExec("test-graph-exec-1"));
            ws.nextText();
            ws.send("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"test-graph-exec-1\"}}");
            assertThat(ws.nextText()).isEqualTo("{\"method\":\"unsubscribe\",\"data\":null,\"success\":true,"
                    + "\"channel\":\"" + user + "|graph_exec#test-graph-exec-1\",\"error\":null}");
        }
    }

    @Test
    void everyInvalidFrameGetsAutoGptsExactErrorText() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        String missing = "Subscription data missing";
        String format = "Invalid message format. Review the schema and retry";
        String data = "Invalid message data. Refer to the API schema";
        String notProcessed = "Message type is not processed by the server";
        cases.put("{\"method\":\"subscribe_graph_execution\"}", missing);
        cases.put("{\"method\":\"subscribe_graph_execution\",\"data\":null}", missing);
        cases.put("{\"method\":\"subscribe_graph_executions\",\"data\":{}}", missing);
        cases.put("{\"method\":\"unsubscribe\",\"data\":[]}", missing);
        cases.put("{\"method\":\"unsubscribe\",\"data\":\"\"}", missing);
        cases.put("not json", format);
        cases.put("{\"data\":{}}", format);
        cases.put("{\"method\":\"nope\"}", format);
        cases.put("{\"method\":\"subscribe_graph_execution\",\"data\":7}", format);
        cases.put("{\"method\":\"subscribe_graph_execution\",\"data\":true}", format);
        cases.put("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_id\":\"g\"}}", data);
        cases.put("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":5}}", data);
        cases.put("{\"method\":\"subscribe_graph_executions\",\"data\":{\"graph_exec_id\":\"e\"}}", data);
        cases.put("{\"method\":\"graph_execution_event\"}", notProcessed);
        cases.put("{\"method\":\"node_execution_event\",\"data\":{}}", notProcessed);
        cases.put("{\"method\":\"notification\"}", notProcessed);
        try (WsTestClient ws = connect(user())) {
            cases.forEach((frame, text) -> {
                ws.send(frame);
                assertThat(ws.nextText()).as(frame).isEqualTo("{\"method\":\"error\",\"data\":null,\"success\":false,"
                        + "\"channel\":null,\"error\":\"" + text + "\"}");
            });
        }
    }

    /**
     * Each frame is far under Helidon's 1 MiB frame limit: only our 64 KiB message limit can answer 1009. (That
     * a refused message's tail never runs is shown where a command leaves a trace: the XAgent contract test.)
     */
    @Test
    void aFragmentedMessageOver64KiBClosesWith1009AndNothingAfterIt() {
        String user = user();
        String exec = "tail-" + UUID.randomUUID();
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port(), "/ws?token=" + TestTokens.forUser(user))) {
            ws.fragmentedText(" ".repeat(40 * 1024), " ".repeat(40 * 1024), subscribeExec(exec));
            RawWebSocket.Frame frame = ws.read();
            assertThat(frame.opcode()).as("no ack for the tail, only the close").isEqualTo(RawWebSocket.CLOSE);
            assertThat(frame.closeCode()).isEqualTo(1009);
        }
        assertThat(onlyTheControlIsRouted(executionChannel(user, "g", exec),
                envelope(graphExecutionEvent(user, "g", exec, "RUNNING"))))
                .as("nobody subscribed to the tail's execution").isTrue();
    }

    /** 40,000 two-byte characters: under 64 Ki chars, over 64 KiB on the wire. */
    @Test
    void theMessageLimitCountsUtf8BytesNotChars() {
        try (WsTestClient ws = connect(user())) {
            ws.send("{\"method\":\"heartbeat\",\"data\":\"" + "\u00e9".repeat(40_000) + "\"}");
            assertThat(ws.closeCode()).isEqualTo(1009);
            assertThat(ws.pending()).as("no pong").isZero();
        }
        try (WsTestClient ws = connect(user())) {
            ws.send("{\"method\":\"heartbeat\",\"data\":\"" + "\u00e9".repeat(30_000) + "\"}");
            assertThat(ws.nextText()).contains("\"data\":\"pong\"");
        }
    }

    @Test
    void aClientErrorFrameIsLoggedAndAnsweredWithNothing() {
        try (WsTestClient ws = connect(user())) {
            ws.send("{\"method\":\"error\",\"data\":{\"oops\":1}}");
            ws.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
            assertThat(ws.nextText()).contains("\"data\":\"pong\"");
            assertThat(ws.silentFor(QUIET)).isTrue();
        }
    }

    // ------------------------------------------------------------------ authentication

    @Test
    void noTokenClosesWith4001AndItsReason() {
        assertRefused("/ws", 4001, "Missing authentication token");
        assertRefused("/ws?token=", 4001, "Missing authentication token");
    }

    /** Found by the fuzz test: an invalid percent escape in the query string made the upgrade answer HTTP 500. */
    @Test
    void aTokenThatIsNotValidPercentEncodingIsAnInvalidTokenNotAServerError() {
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port(), "/ws?token=%zz%")) {
            RawWebSocket.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(4003);
        }
    }

    @Test
    void aValidTokenWithoutSubjectClosesWith4002() {
        assertRefused("/ws?token=" + TestTokens.signed(TestTokens.valid(null).build(), TestTokens.SECRET),
                4002, "Invalid token");
    }

    @Test
    void expiredForeignUnsignedOrMalformedTokensCloseWith4003() {
        String user = user();
        List<String> tokens = List.of(
                TestTokens.signed(TestTokens.valid(user).expirationTime(new Date(System.currentTimeMillis() - 5_000
                                - io.agentserver.service.auth.AuthSettings.DEFAULT_LEEWAY.toMillis()))
                        .build(), TestTokens.SECRET),
                TestTokens.signed(TestTokens.valid(user).audience("someone-else").build(), TestTokens.SECRET),
                TestTokens.signed(TestTokens.valid(user).build(), "another-secret-that-is-long-enough-for-hs256!"),
                TestTokens.unsigned(TestTokens.valid(user).build()),
                "not.a.jwt");
        tokens.forEach(token -> assertRefused("/ws?token=" + token, 4003, "Invalid token"));
        assertThat(metrics()).contains("agentserver_handshakes_refused_total{protocol=\"autogpt\",reason=\"invalid_token\"}");
    }

    private void assertRefused(String pathAndQuery, int code, String reason) {
        try (WsTestClient ws = WsTestClient.connect(server.ws(pathAndQuery))) {
            assertThat(ws.closeCode()).as(pathAndQuery).isEqualTo(code);
            assertThat(ws.closeReason()).isEqualTo(reason);
            assertThat(ws.pending()).isZero();
        }
    }

    // ------------------------------------------------------------------ events from the executor

    @Test
    void executionEventsReachExecutionAndGraphSubscribersWithDataAsPublished() {
        String user = user();
        String exec = "exec-" + UUID.randomUUID();
        try (WsTestClient byExec = connect(user); WsTestClient byGraph = connect(user)) {
            byExec.send(subscribeExec(exec));
            byExec.nextText();
            byGraph.send(subscribeGraph("g-7"));
            byGraph.nextText();

            String graphEvent = graphExecutionEvent(user, "g-7", exec, "RUNNING");
            String nodeEvent = nodeExecutionEvent(user, "g-7", exec, "ne-1", "hello");
            // one replica-wide pattern feeds both keys (and the history recorder)
            assertThat(redis.publish(executionChannel(user, "g-7", exec), envelope(graphEvent))).isEqualTo(RECEIVERS_PER_REPLICA);
            redis.publish(executionChannel(user, "g-7", exec), envelope(nodeEvent));

            String execChannel = user + "|graph_exec#" + exec;
            String graphChannel = user + "|graph#g-7|executions";
            assertThat(byExec.nextText()).isEqualTo("{\"method\":\"graph_execution_event\",\"data\":" + graphEvent
                    + ",\"success\":null,\"channel\":\"" + execChannel + "\",\"error\":null}");
            assertThat(byExec.nextText()).isEqualTo("{\"method\":\"node_execution_event\",\"data\":" + nodeEvent
                    + ",\"success\":null,\"channel\":\"" + execChannel + "\",\"error\":null}");
            assertThat(byGraph.nextText()).isEqualTo("{\"method\":\"graph_execution_event\",\"data\":" + graphEvent
                    + ",\"success\":null,\"channel\":\"" + graphChannel + "\",\"error\":null}");
            assertThat(byGraph.nextText()).startsWith("{\"method\":\"node_execution_event\",\"data\":" + nodeEvent);
        }
    }

    @Test
    void aUserNeverReceivesAnotherUsersEventsEvenWithTheirExecutionId() {
        String alice = user();
        String bob = user();
        String exec = "exec-" + UUID.randomUUID();
        try (WsTestClient aliceWs = connect(alice); WsTestClient bobWs = connect(bob)) {
            aliceWs.send(subscribeExec(exec));
            aliceWs.nextText();
            bobWs.send(subscribeExec(exec));
            assertThat(bobWs.nextText()).contains("\"channel\":\"" + bob + "|graph_exec#" + exec + "\"");
            bobWs.send(subscribeGraph("g-a"));
            bobWs.nextText();

            redis.publish(executionChannel(alice, "g-a", exec), envelope(graphExecutionEvent(alice, "g-a", exec, "QUEUED")));
            // a forged message: Bob's channel, Alice's event
            redis.publish(executionChannel(bob, "g-a", exec), envelope(graphExecutionEvent(alice, "g-a", exec, "QUEUED")));
            redis.publish("notification_event/" + bob, ExecutorEvents.notification(alice, "forged"));

            assertThat(aliceWs.nextText()).contains("\"status\":\"QUEUED\"");
            assertThat(bobWs.silentFor(QUIET)).isTrue();
            assertThat(aliceWs.silentFor(QUIET)).isTrue();

            // positive control: Bob's subscriptions do deliver Bob's own events, so his silence above is isolation
            redis.publish(executionChannel(bob, "g-a", exec), envelope(graphExecutionEvent(bob, "g-a", exec, "RUNNING")));
            redis.publish("notification_event/" + bob, ExecutorEvents.notification(bob, "genuine"));
            List<String> bobGot = List.of(bobWs.nextText(), bobWs.nextText(), bobWs.nextText());
            assertThat(bobGot).anySatisfy(f -> assertThat(f)
                    .contains("\"channel\":\"" + bob + "|graph_exec#" + exec + "\"").contains("\"status\":\"RUNNING\""));
            assertThat(bobGot).anySatisfy(f -> assertThat(f).contains("\"channel\":\"" + bob + "|graph#g-a|executions\""));
            assertThat(bobGot).anySatisfy(f -> assertThat(f).contains("\"event\":\"genuine\""));
            assertThat(aliceWs.silentFor(QUIET)).isTrue();
        }
    }

    @Test
    void notificationsGoToEverySocketOfTheUserOnly() {
        String user = user();
        String other = user();
        try (WsTestClient first = connect(user); WsTestClient second = connect(user); WsTestClient stranger = connect(other)) {
            assertThat(redis.publish("notification_event/" + user, ExecutorEvents.notification(user, "credits_low")))
                    .isEqualTo(1);
            String expected = "{\"method\":\"notification\",\"data\":{\"type\":\"info\",\"event\":\"credits_low\","
                    + "\"x_future\":1},\"success\":null,\"channel\":null,\"error\":null}";
            assertThat(first.nextText()).isEqualTo(expected);
            assertThat(second.nextText()).isEqualTo(expected);
            assertThat(stranger.silentFor(QUIET)).isTrue();
        }
    }

    @Test
    void afterUnsubscribeNoMoreEventsArrive() {
        String user = user();
        String exec = "exec-" + UUID.randomUUID();
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribeExec(exec));
            ws.nextText();
            ws.send("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}");
            ws.nextText();
            redis.publish(executionChannel(user, "g", exec), envelope(graphExecutionEvent(user, "g", exec, "RUNNING")));
            assertThat(ws.silentFor(QUIET)).isTrue();
            assertThat(onlyTheControlIsRouted(executionChannel(user, "g", exec),
                    envelope(graphExecutionEvent(user, "g", exec, "COMPLETED"))))
                    .as("the replica keeps no key for the execution").isTrue();
        }
    }

    @Test
    void subscribingTwiceIsIdempotentAndDeliversEachEventOnce() {
        String user = user();
        String exec = "exec-" + UUID.randomUUID();
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribeExec(exec));
            String ack = ws.nextText();
            ws.send(subscribeExec(exec));
            assertThat(ws.nextText()).isEqualTo(ack);
            redis.publish(executionChannel(user, "g", exec), envelope(graphExecutionEvent(user, "g", exec, "RUNNING")));
            assertThat(ws.nextText()).contains("graph_execution_event");
            assertThat(ws.silentFor(QUIET)).isTrue();
            ws.send("{\"method\":\"unsubscribe\",\"data\":{\"graph_exec_id\":\"" + exec + "\"}}");
            assertThat(ws.nextText()).contains("\"channel\":\"" + user + "|graph_exec#" + exec + "\"");
            assertThat(redis.commands().pubsubNumpat()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void unusableBusMessagesAreDroppedWithoutHarmingTheSocket() {
        String user = user();
        String exec = "exec-" + UUID.randomUUID();
        String channel = executionChannel(user, "g", exec);
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribeExec(exec));
            ws.nextText();
            redis.publish(channel, "{\"payload\":{\"event_type\":\"error_comms_update\",\"error\":\"too big\"}}");
            redis.publish(channel, "not json at all");
            redis.publish(channel, "{\"payload\":[1,2]}");
            redis.publish(channel, "{\"payload\":{\"event_type\":\"graph_execution_update\",\"user_id\":\"" + user + "\"}}");
            redis.publish(channel, envelope(graphExecutionEvent(user, "g", exec, "COMPLETED")));
            assertThat(ws.nextText()).contains("\"status\":\"COMPLETED\"");
            assertThat(ws.silentFor(QUIET)).isTrue();
        }
        assertThat(metrics()).contains("agentserver_bus_messages_dropped_total{reason=\"autogpt_unusable\"}");
    }

    @Test
    void aClosedSocketLeavesItsKeysAndItsUsersNotifications() {
        String user = user();
        String exec = "exec-" + UUID.randomUUID();
        try (WsTestClient ws = connect(user)) {
            ws.send(subscribeExec(exec));
            ws.nextText();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean released;
        do {
            released = onlyTheControlIsRouted(executionChannel(user, "g", exec),
                    envelope(graphExecutionEvent(user, "g", exec, "RUNNING")))
                    && onlyTheControlIsRouted("notification_event/" + user, ExecutorEvents.notification(user, "x"));
        } while (!released && System.nanoTime() < deadline);
        assertThat(released).as("after the close nothing of the user's is routed on this replica").isTrue();
    }

    /**
     * Publishes {@code message} on {@code channel}, then an event for a fresh control socket's execution, and waits
     * for the control's frame: the replica reads both from one Redis connection in order, so by then the first was
     * handled. True when only the control's message was routed to a local key (and decoded).
     */
    private boolean onlyTheControlIsRouted(String channel, String message) {
        String controlUser = user();
        String controlExec = "control-" + UUID.randomUUID();
        try (WsTestClient control = connect(controlUser)) {
            control.send(subscribeExec(controlExec));
            control.nextText();
            double before = routedMessages();
            redis.publish(channel, message);
            redis.publish(executionChannel(controlUser, "g", controlExec),
                    envelope(graphExecutionEvent(controlUser, "g", controlExec, "RUNNING")));
            assertThat(control.next().path("data").path("id").asText()).isEqualTo(controlExec);
            return routedMessages() == before + 1;
        }
    }

    private double routedMessages() {
        Matcher value = Pattern.compile("(?m)^agentserver_bus_messages_received_total\\{source=\"autogpt\"} (\\S+)$")
                .matcher(metrics());
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    // ------------------------------------------------------------------ HTTP

    @Test
    void rootAndHealthAnswerHealthy() {
        for (String path : List.of("/", "/health")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }

    @Test
    void metricsCountAutoGptConnections() {
        try (WsTestClient ws = connect(user())) {
            ws.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
            ws.nextText();
            assertThat(metrics())
                    .containsPattern("(?m)^autogpt_websocket_connections_total [1-9]")
                    .containsPattern("(?m)^agentserver_connections\\{protocol=\"autogpt\"} [1-9]")
                    .contains("agentserver_frames_in_total{protocol=\"autogpt\"}")
                    .contains("agentserver_frames_out_total{protocol=\"autogpt\"}");
        }
    }

    String metrics() {
        return get("/metrics").body();
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(server.http(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
