package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.RawWebSocket;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.agentserver.service.xagent.XAgentSession.assertStepFrame;
import static io.agentserver.service.xagent.XAgentSession.demo;
import static io.agentserver.service.xagent.XAgentSession.reply;
import static io.agentserver.service.xagent.XAgentSession.startFrame;
import static io.agentserver.service.xagent.XAgentSession.statuses;
import static org.assertj.core.api.Assertions.assertThat;

/** XAgent's wire protocol over real sockets; run against each database by a subclass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class XAgentProtocolContract {

    protected TestServer server;
    protected XAgentSession session;

    protected abstract DatabaseSettings database();

    @BeforeAll
    void startServer() {
        server = TestServer.start(database(), Map.of("run.disconnect-grace", "PT3S"));
        session = new XAgentSession(server);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    /** The sequence XAgent's web client runs: login, init_conv_env, socket, start frame before connect. */
    @Test
    void aGuestRunStreamsEveryStepAndTheServerClosesAfterFinished() {
        XAgentSession.Account guest = session.guest();
        String id = session.newInteraction(guest);
        try (WsTestClient ws = session.base(guest, id)) {
            ws.send(startFrame("write a haiku about sockets", "auto", demo(2, 2, 5)));
            JsonNode connect = ws.next();
            assertThat(XAgentSession.keys(connect)).isEqualTo(XAgentSession.CONNECT_KEYS);
            assertThat(connect.path("status").asText()).isEqualTo("connect");
            assertThat(connect.path("message").asText()).isEqualTo("connect success");
            assertThat(connect.path("success").asBoolean()).isTrue();
            assertThat(XAgentSession.keys(connect.path("data"))).containsExactly("interaction_id", "user_id",
                    "create_time", "update_time", "description", "agent", "mode", "file_list", "recorder_root_dir",
                    "status", "message", "current_step", "is_deleted", "call_method");
            assertThat(connect.path("data").path("interaction_id").asText()).isEqualTo(id);
            assertThat(connect.path("data").path("description").asText()).isEqualTo("a test run");

            List<JsonNode> frames = ws.untilClosed();
            assertThat(ws.closeCode()).isEqualTo(1000);
            frames.forEach(XAgentSession::assertStepFrame);
            assertThat(statuses(frames)).containsExactly("running", "start",
                    "inner", "inner", "subtask_submit", "refinement", "subtask",
                    "inner", "inner", "subtask_submit", "refinement", "finished");
            assertThat(frames.get(0).path("data").isNull()).isTrue();
            assertThat(frames.get(0).path("current").asText()).isEmpty();
            JsonNode plan = frames.get(1).path("data");
            assertThat(plan.path("subtasks")).hasSize(2);
            plan.path("subtasks").forEach(s -> {
                assertThat(s.path("task_id").asText()).matches("1\\.\\d");
                assertThat(s.path("inner").isArray()).isTrue();
                assertThat(s.path("exceute_status").asText()).isEqualTo("TODO");
                assertThat(s.has("prior_plan_criticsim")).isTrue();
            });
            JsonNode inner = frames.get(2);
            assertThat(inner.path("current").asText()).isEqualTo("1.1");
            assertThat(inner.path("data").path("using_tools").path("tool_name").isTextual()).isTrue();
            assertThat(inner.path("data").path("using_tools").path("tool_status_code").asText())
                    .isEqualTo("TOOL_CALL_SUCCESS");
            assertThat(inner.path("workspace_file_list").toString()).isEqualTo("[{\"name\":\"report.md\",\"suffix\":\"py\"}]"
                    .replace("py", "md"));
            assertThat(frames.get(6).path("current").asText()).isEqualTo("1.2");
            assertThat(frames.get(frames.size() - 1).path("data").toString()).isEqualTo("[]");
            assertThat(frames.stream().map(f -> f.path("node_id").asText()).distinct()).hasSize(frames.size());
        }
        JsonNode listed = session.post("/api/conv/getUserInteractions", guest, Map.of("page_size", "10", "page_num", "1"))
                .data();
        JsonNode row = findRow(listed, id);
        assertThat(row.path("status").asText()).isEqualTo("finished");
        assertThat(row.path("parameters").get(0).path("goal").asText()).isEqualTo("write a haiku about sockets");
        HttpForms.Reply file = session.post("/api/workspace/file", guest,
                Map.of("interaction_id", id, "file_name", "report.md"));
        assertThat(file.data().asText()).startsWith("# write a haiku about sockets");
    }

    @Test
    void refusalsCarryXAgentsExactReasonsAndClose1000() {
        XAgentSession.Account guest = session.guest();
        String id = session.newInteraction(guest);
        assertRefused(session.open("base", new XAgentSession.Account("nobody", "x"), id, ""), "connect",
                "user is not exist!");
        assertRefused(session.open("base", new XAgentSession.Account(guest.userId(), "wrong"), id, ""), "connect",
                "user is not available!");
        assertRefused(session.open("base", guest, "0123456789abcdef0123456789abcdef", ""), "connect",
                "init interaction failed, please restart!");
        assertRefused(session.open("recorder", guest, id, "&recorder_dir=missing.json"), "failed",
                "recording not found: missing.json");
    }

    @Test
    void onlyOneRunningInteractionPerUserWhenTheCheckIsOn() {
        try (TestServer strict = TestServer.start(database(), Map.of("xagent.check-running", "true"))) {
            XAgentSession strictSession = new XAgentSession(strict);
            XAgentSession.Account user = strictSession.register();
            String first = strictSession.newInteraction(user);
            try (WsTestClient running = strictSession.base(user, first)) {
                running.send(startFrame("long", "auto", demo(1, 1, 2000)));
                running.next();
                assertThat(running.next().path("status").asText()).isEqualTo("running");
                String second = strictSession.newInteraction(user);
                assertRefused(strictSession.base(user, second), "connect",
                        "You have a running interaction, please wait for it to finish!");
            }
        }
    }

    @Test
    void aStrangerCannotOpenSomeoneElsesInteraction() {
        XAgentSession.Account owner = session.register();
        XAgentSession.Account stranger = session.register();
        String id = session.newInteraction(owner);
        assertRefused(session.base(stranger, id), "connect", "this interaction belongs to another user!");
        assertRefused(session.open("replay", stranger, id, ""), "connect", "this interaction belongs to another user!");
        assertThat(session.post("/api/conv/deleteInteraction", stranger, Map.of("interaction_id", id)).status())
                .isEqualTo(403);
    }

    @Test
    void manualModeWaitsForTheHumanAndUsesTheEditedGoal() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (WsTestClient ws = session.base(user, id)) {
            ws.send(startFrame("plan a trip", "manual", demo(2, 2, 1)));
            ws.next();
            assertThat(ws.nextSkippingPongs().path("status").asText()).isEqualTo("running");
            JsonNode start = ws.nextSkippingPongs();
            assertThat(start.path("status").asText()).isEqualTo("start");
            assertThat(ws.silentFor(Duration.ofMillis(300))).as("waits for the human").isTrue();

            ws.send(reply(start.path("node_id").asText(), Json.object().put("goal", "visit the edited museum")));
            JsonNode firstInner = ws.nextSkippingPongs();
            assertThat(firstInner.path("status").asText()).isEqualTo("inner");
            assertThat(firstInner.path("data").path("thoughts").asText()).contains("visit the edited museum");
            assertThat(ws.silentFor(Duration.ofMillis(300))).as("waits before the second inner step").isTrue();

            ws.send(reply(firstInner.path("node_id").asText(), Json.object()
                    .put("thoughts", "take the train").put("reasoning", "cheaper").put("plan", "go")
                    .put("criticism", "none")));
            JsonNode secondInner = ws.nextSkippingPongs();
            assertThat(secondInner.path("data").path("thoughts").asText()).contains("take the train");
            assertThat(secondInner.path("data").path("reasoning").asText()).isEqualTo("cheaper");
            assertThat(ws.nextSkippingPongs().path("status").asText()).isEqualTo("subtask_submit");
            assertThat(ws.nextSkippingPongs().path("status").asText()).isEqualTo("refinement");
            JsonNode remaining = ws.nextSkippingPongs();
            assertThat(remaining.path("status").asText()).isEqualTo("subtask");
            assertThat(remaining.path("current").asText()).isEqualTo("1.2");
            assertThat(remaining.path("data").get(0).path("inner").isArray()).isTrue();

            ws.send(reply(remaining.path("node_id").asText(), Json.object().put("goal", "write the postcard")));
            JsonNode next = ws.nextSkippingPongs();
            assertThat(next.path("current").asText()).isEqualTo("1.2");
            assertThat(next.path("data").path("thoughts").asText()).contains("write the postcard");
            ws.send(reply(next.path("node_id").asText(), Json.object().put("thoughts", "ok")));
            List<JsonNode> rest = ws.untilClosed();
            assertThat(statuses(rest)).endsWith("finished");
        }
    }

    @Test
    void askForHumanHelpCarriesTheQuestionAndTheAnswerShowsNext() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (WsTestClient ws = session.base(user, id)) {
            ws.send(startFrame("choose a colour", "auto", demo(1, 2, 1).put("ask_human", true)));
            ws.next();
            List<JsonNode> frames = XAgentSession.framesThrough(ws, "ask_for_human_help");
            JsonNode ask = frames.get(frames.size() - 1);
            assertStepFrame(ask);
            assertThat(ask.path("current").asText()).isEqualTo(ask.path("node_id").asText());
            assertThat(ask.path("data").asText()).contains("what should the result focus on");
            awaitStatus(user, id, "ask_for_human_help"); // the frame may overtake the status update

            ws.send(reply(ask.path("node_id").asText(), Json.object().put("goal", "focus on teal")));
            JsonNode after = ws.nextSkippingPongs();
            assertThat(after.path("data").path("thoughts").asText()).contains("focus on teal");
            assertThat(statuses(ws.untilClosed())).endsWith("finished");
        }
    }

    @Test
    void aFailingRunEndsWithAFailedFrameCarryingTheMessage() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (WsTestClient ws = session.base(user, id)) {
            ws.send(startFrame("fail on purpose", "auto", demo(2, 2, 1).put("fail", "the tool exploded")));
            ws.next();
            List<JsonNode> frames = ws.untilClosed();
            assertThat(ws.closeCode()).isEqualTo(1000);
            JsonNode failed = frames.get(frames.size() - 1);
            assertStepFrame(failed);
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("message").asText()).isEqualTo("the tool exploded");
            assertThat(failed.path("data").asText()).isEqualTo("the tool exploded");
        }
        assertThat(session.statusOf(user, id)).isEqualTo("failed");
    }

    @Test
    void replaySendsExactlyTheFramesOfTheLiveRun() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        List<JsonNode> live = runToEnd(user, id, demo(2, 1, 1));
        try (WsTestClient replay = session.open("replay", user, id, "")) {
            assertThat(replay.next().path("status").asText()).isEqualTo("connect");
            replay.send("{\"type\":\"replay\"}");
            assertThat(replay.untilClosed()).isEqualTo(live);
            assertThat(replay.closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void shareWorksOnlyAfterTheOwnerSharedTheRun() {
        XAgentSession.Account owner = session.register();
        XAgentSession.Account viewer = session.register();
        String id = session.newInteraction(owner);
        List<JsonNode> live = runToEnd(owner, id, demo(1, 1, 1));
        assertRefused(session.open("share", viewer, id, ""), "connect", "this interaction is not shared!");

        HttpForms.Reply shared = session.post("/api/conv/shareInteraction", owner, Map.of("interaction_id", id));
        assertThat(shared.status()).isEqualTo(200);
        assertThat(findRow(session.post("/api/conv/getSharedInteractions", viewer,
                Map.of("page_size", "100", "page_num", "1")).data(), id).path("parameters")).isNotEmpty();

        try (WsTestClient share = session.open("share", viewer, id, "")) {
            assertThat(share.next().path("status").asText()).isEqualTo("connect");
            share.send("{\"type\":\"shared\"}");
            assertThat(share.untilClosed()).isEqualTo(live);
        }
    }

    @Test
    void aCleanCloseStopsTheRunAndMarksItClosed() throws InterruptedException {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        WsTestClient ws = session.base(user, id);
        ws.send(startFrame("slow", "auto", demo(3, 3, 200)));
        ws.next();
        ws.nextSkippingPongs();
        ws.close();
        awaitStatus(user, id, "closed");
        long steps = stepCount(user, id);
        Thread.sleep(600);
        assertThat(stepCount(user, id)).as("no steps after the stop").isEqualTo(steps);
    }

    @Test
    void aVanishedClientThatReturnsGetsEveryMissedStepOnce() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        List<JsonNode> seen = new ArrayList<>();
        WsTestClient first = session.base(user, id);
        first.send(startFrame("resume me", "auto", demo(2, 2, 60)));
        first.next();
        for (int i = 0; i < 3; i++) {
            seen.add(first.nextSkippingPongs());
        }
        first.abort();
        String last = seen.get(seen.size() - 1).path("node_id").asText();
        try (WsTestClient again = session.open("base", user, id, "&last_node_id=" + last)) {
            JsonNode connect = again.next();
            assertThat(connect.path("success").asBoolean()).isTrue();
            seen.addAll(again.untilClosed());
        }
        seen.forEach(XAgentSession::assertStepFrame);
        assertThat(statuses(seen)).containsExactly("running", "start",
                "inner", "inner", "subtask_submit", "refinement", "subtask",
                "inner", "inner", "subtask_submit", "refinement", "finished");
        assertThat(seen.stream().map(f -> f.path("node_id").asText()).distinct()).hasSize(seen.size());
    }

    @Test
    void aClientThatVanishedWhileTheRunWaitedResumesFromTheServersCursor() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        WsTestClient first = session.base(user, id);
        first.send(startFrame("pause me", "auto", demo(1, 1, 1).put("ask_human", true)));
        first.next();
        List<JsonNode> seen = new ArrayList<>(XAgentSession.framesThrough(first, "ask_for_human_help"));
        JsonNode frame = seen.get(seen.size() - 1);
        awaitAcknowledged(id, frame.path("node_id").asText());
        first.abort();
        try (WsTestClient again = session.base(user, id)) {
            again.next();
            assertThat(again.silentFor(Duration.ofMillis(300))).as("nothing sent twice").isTrue();
            again.send(reply(frame.path("node_id").asText(), Json.object().put("goal", "carry on")));
            seen.addAll(again.untilClosed());
        }
        assertThat(statuses(seen)).containsExactly("running", "start", "ask_for_human_help", "inner",
                "subtask_submit", "refinement", "finished");
    }

    /**
     * Waits until the server knows (from an answered ping, recorded in the store) that the client received the step
     * {@code nodeId}: a reconnect then resumes after it, and sends nothing twice.
     */
    private void awaitAcknowledged(String interactionId, String nodeId) {
        long seq = Long.parseLong(server.query("SELECT seq FROM steps WHERE node_id = ?", nodeId).getFirst().getFirst());
        long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
        while (true) {
            String acked = server.query("SELECT MAX(acked_seq) FROM run_viewers WHERE interaction_id = ?",
                    interactionId).getFirst().getFirst();
            if (acked != null && Long.parseLong(acked) >= seq) {
                return;
            }
            assertThat(System.nanoTime()).as("the client's receipt of step " + seq + " was recorded")
                    .isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aVanishedClientThatNeverReturnsHasItsRunClosedAfterTheGrace() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        WsTestClient ws = session.base(user, id);
        ws.send(startFrame("abandon me", "auto", demo(5, 5, 300)));
        ws.next();
        ws.nextSkippingPongs();
        ws.abort();
        assertThat(session.statusOf(user, id)).isEqualTo("running");
        awaitStatus(user, id, "closed");
    }

    @Test
    void concurrentRunsOfSeveralUsersStayApart() throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<List<JsonNode>>> runs = new ArrayList<>();
        List<String> goals = List.of("alpha goal", "beta goal", "gamma goal", "delta goal");
        for (String goal : goals) {
            Callable<List<JsonNode>> run = () -> {
                XAgentSession.Account user = session.register();
                String id = session.newInteraction(user);
                try (WsTestClient ws = session.base(user, id)) {
                    ws.send(startFrame(goal, "auto", demo(2, 2, 5)));
                    ws.next();
                    return ws.untilClosed();
                }
            };
            runs.add(pool.submit(run));
        }
        for (int i = 0; i < goals.size(); i++) {
            List<JsonNode> frames = runs.get(i).get();
            assertThat(statuses(frames)).hasSize(12).endsWith("finished");
            String own = goals.get(i);
            frames.stream().filter(f -> f.path("status").asText().equals("inner"))
                    .forEach(f -> assertThat(f.path("data").path("thoughts").asText()).contains(own));
        }
        pool.close();
    }

    @Test
    void badInputGetsAnInBandErrorAndTheSocketStaysOpen() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (WsTestClient ws = session.base(user, id)) {
            ws.next();
            assertError(ws.send("not json").next(), "message is not a JSON object");
            assertError(ws.send("{\"args\":{}}").next(), "message has no \"type\"");
            assertError(ws.send("{\"type\":\"data\",\"args\":{}}").next(), "\"args.goal\" is required to start a run");
            ws.send(startFrame("first run", "auto", demo(1, 1, 400)));
            assertThat(ws.nextSkippingPongs().path("status").asText()).isEqualTo("running");
            List<JsonNode> steps = new ArrayList<>();
            assertError(nextError(ws.send(startFrame("second run", "auto", null)), steps),
                    "a run is already active on this interaction");
            while (steps.isEmpty()) {
                steps.add(ws.nextSkippingPongs());
            }
            String startNode = steps.get(0).path("node_id").asText();
            assertError(nextError(ws.send(reply(startNode, Json.object().put("goal", "x"))), steps),
                    "step " + startNode + " is not waiting for a reply");
            steps.addAll(ws.untilClosed());
            assertThat(statuses(steps)).endsWith("finished");
        }
    }

    @Test
    void aRefusedHumanReplyIsNotStored() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (WsTestClient ws = session.base(user, id)) {
            ws.send(startFrame("only this goal", "auto", demo(1, 1, 200)));
            List<JsonNode> steps = new ArrayList<>();
            while (steps.size() < 2) {
                JsonNode frame = ws.nextSkippingPongs();
                if (frame.has("node_id")) {
                    steps.add(frame);
                }
            }
            String answered = steps.get(1).path("node_id").asText();
            assertError(nextError(ws.send(reply(answered, Json.object().put("goal", "refused reply"))), steps),
                    "step " + answered + " is not waiting for a reply");
            assertError(nextError(ws.send(reply("0123456789abcdef0123456789abcdef",
                    Json.object().put("goal", "unknown step"))), steps), "node_id 0123456789abcdef0123456789abcdef"
                    + " is not a step of this interaction");
            ws.untilClosed();
        }
        assertThat(server.query("SELECT args FROM interaction_parameters WHERE interaction_id = ?", id))
                .extracting(row -> Json.read(row.get(0)).path("goal").asText()).containsExactly("only this goal");
    }

    /** Each frame is under Helidon's 1 MiB frame limit, so only our assembler can answer 1009. */
    @Test
    void aFragmentedMessageOverOneMebibyteClosesWith1009() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (WsTestClient ws = session.base(user, id)) {
            ws.next();
            ws.sendFragments("{\"type\":\"data\",\"args\":{\"goal\":\"" + "x".repeat(600 * 1024),
                    "x".repeat(600 * 1024) + "\"}}");
            assertThat(ws.closeCode()).isEqualTo(1009);
        }
    }

    /** Leading whitespace is valid JSON: if the refused message's tail ran, it would start a run. */
    @Test
    void theTailOfARefusedFragmentedMessageDoesNotRunAsACommand() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port(), "/ws/base/" + id + "?user_id=" + user.userId()
                + "&token=" + user.token())) {
            assertThat(ws.nextText()).contains("\"status\":\"connect\"");
            ws.fragmentedText(" ".repeat(700 * 1024), " ".repeat(700 * 1024),
                    Json.write(startFrame("the tail", "auto", demo(1, 1, 1))));
            assertThat(ws.untilClosed()).isEqualTo(1009);
        }
        assertThat(server.query("SELECT args FROM interaction_parameters WHERE interaction_id = ?", id)).isEmpty();
        assertThat(server.query("SELECT seq FROM steps WHERE interaction_id = ?", id)).isEmpty();
    }

    /** A two-byte character counts twice: 600 Ki of them are 1.2 MiB on the wire. */
    @Test
    void theMessageLimitCountsUtf8Bytes() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (WsTestClient ws = session.base(user, id)) {
            ws.next();
            ws.sendFragments("{\"type\":\"data\",\"args\":{\"goal\":\"" + "\u00e9".repeat(300 * 1024),
                    "\u00e9".repeat(300 * 1024) + "\"}}");
            assertThat(ws.closeCode()).isEqualTo(1009);
        }
        assertThat(server.query("SELECT args FROM interaction_parameters WHERE interaction_id = ?", id)).isEmpty();
    }

    /** XAgent's server lists only finished interactions: an unused one from init_conv_env would never load. */
    @Test
    void userInteractionsListOnlyFinishedOnes() {
        XAgentSession.Account user = session.register();
        String unused = session.newInteraction(user);
        String done = session.newInteraction(user);
        assertThat(done).isEqualTo(unused); // init_conv_env hands the unused one out again
        try (WsTestClient ws = session.base(user, done)) {
            ws.send(startFrame("listed", "auto", demo(1, 1, 1)));
            ws.untilClosed();
        }
        String fresh = session.newInteraction(user);
        JsonNode listing = session.post("/api/conv/getUserInteractions", user,
                Map.of("page_size", "10", "page_num", "1")).data();
        assertThat(listing.path("total").asLong()).isEqualTo(1);
        assertThat(listing.path("rows")).extracting(row -> row.path("interaction_id").asText()).containsExactly(done);
        assertThat(fresh).isNotEqualTo(done);
    }

    /** XAgentWeb writes the goal's first characters into description= unencoded; parse_qs keeps a raw %. */
    @Test
    void aRawPercentInTheDescriptionQueryIsKeptAsTyped() {
        XAgentSession.Account user = session.register();
        String id = session.newInteraction(user);
        try (RawWebSocket ws = RawWebSocket.upgrade(server.port(), "/ws/base/" + id + "?user_id=" + user.userId()
                + "&token=" + user.token() + "&description=grow%20sales%20by%2010%")) {
            JsonNode connect = Json.read(ws.nextText());
            assertThat(connect.path("data").path("description").asText()).isEqualTo("grow sales by 10%");
        }
        HttpForms.Reply updated = HttpForms.postRaw(server.http("/api/conv/updateInteractionDescription"),
                "user_id=" + user.userId() + "&token=" + user.token() + "&interaction_id=" + id
                        + "&description=100%+done%zz");
        assertThat(updated.data().path("description").asText()).isEqualTo("100% done%zz");
    }

    @Test
    void httpRoutesAnswerBadInputWithTheEnvelopeAndA4xx() {
        XAgentSession.Account user = session.register();
        HttpForms.Reply missing = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", user.userId()));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body().path("success").asBoolean()).isFalse();
        assertThat(missing.body().path("message").asText()).isEqualTo("user is not available!");

        HttpForms.Reply noField = session.post("/conv/shareInteraction", user, Map.of());
        assertThat(noField.status()).isEqualTo(400);
        assertThat(noField.body().path("message").asText()).isEqualTo("field \"interaction_id\" is required");
        assertThat(XAgentSession.keys(noField.body())).containsExactly("data", "success", "message");

        HttpForms.Reply badPage = session.post("/api/conv/getUserInteractions", user,
                Map.of("page_size", "many", "page_num", "1"));
        assertThat(badPage.status()).isEqualTo(400);
        HttpForms.Reply unknown = session.post("/api/conv/deleteInteraction", user,
                Map.of("interaction_id", "0123456789abcdef0123456789abcdef"));
        assertThat(unknown.status()).isEqualTo(404);
        HttpForms.Reply notFinished = session.post("/api/conv/shareInteraction", user,
                Map.of("interaction_id", session.newInteraction(user)));
        assertThat(notFinished.status()).isEqualTo(400);
        assertThat(notFinished.body().path("message").asText()).isEqualTo("interaction is not finish!");
    }

    @Test
    void anExportedRunPlaysBackThroughTheRecorderAsANewInteraction() {
        XAgentSession.Account user = session.register();
        String original = session.newInteraction(user);
        List<JsonNode> live = runToEnd(user, original, demo(1, 2, 1));
        HttpForms.Reply exported = session.post("/api/conv/exportRecording", user, Map.of("interaction_id", original));
        assertThat(exported.status()).isEqualTo(200);
        String recording = exported.data().path("recorder_dir").asText();

        String copy = io.agentserver.service.agent.NodeIds.next();
        try (WsTestClient ws = session.open("recorder", user, copy, "&recorder_dir=" + recording)) {
            JsonNode connect = ws.next();
            assertThat(connect.path("success").asBoolean()).isTrue();
            assertThat(connect.path("data").path("status").asText()).isEqualTo("waiting");
            ws.send("{\"type\":\"recorder\"}");
            List<JsonNode> replayed = ws.untilClosed();
            assertThat(statuses(replayed)).isEqualTo(statuses(live));
            assertThat(replayed.get(2).path("workspace_file_list")).isEqualTo(live.get(2).path("workspace_file_list"));
            assertThat(replayed.get(2).path("node_id")).isNotEqualTo(live.get(2).path("node_id"));
            assertThat(replayed.get(2).path("data").path("node_id")).isEqualTo(replayed.get(2).path("node_id"));
        }
        assertThat(session.statusOf(user, copy)).isEqualTo("finished");
    }

    @Test
    void aRecordingPlaysOnlyForItsOwnerUntilItsRunIsShared() throws Exception {
        XAgentSession.Account owner = session.register();
        XAgentSession.Account stranger = session.register();
        String original = session.newInteraction(owner);
        runToEnd(owner, original, demo(1, 1, 1));
        String recording = session.post("/api/conv/exportRecording", owner, Map.of("interaction_id", original))
                .data().path("recorder_dir").asText();
        HttpForms.Reply foreignExport = session.post("/api/conv/exportRecording", stranger,
                Map.of("interaction_id", original));
        assertThat(foreignExport.status()).isEqualTo(403);

        String theirs = io.agentserver.service.agent.NodeIds.next();
        assertRefused(session.open("recorder", stranger, theirs, "&recorder_dir=" + recording), "failed",
                "recording not found: " + recording);
        assertThat(server.query("SELECT interaction_id FROM interactions WHERE interaction_id = ?", theirs)).isEmpty();
        // an export from before recordings named their owner: the interaction it names decides
        java.nio.file.Path file = server.recordings().resolve(recording);
        JsonNode legacy = Json.read(java.nio.file.Files.readString(file));
        ((com.fasterxml.jackson.databind.node.ObjectNode) legacy).remove("user_id");
        java.nio.file.Files.writeString(server.recordings().resolve("legacy-" + recording), Json.write(legacy));
        assertRefused(session.open("recorder", stranger, io.agentserver.service.agent.NodeIds.next(),
                "&recorder_dir=legacy-" + recording), "failed", "recording not found: legacy-" + recording);

        try (WsTestClient ws = session.open("recorder", owner, io.agentserver.service.agent.NodeIds.next(),
                "&recorder_dir=" + recording)) {
            assertThat(ws.next().path("success").asBoolean()).as("positive control: the owner plays it").isTrue();
        }
        assertThat(session.post("/api/conv/shareInteraction", owner, Map.of("interaction_id", original)).status())
                .isEqualTo(200);
        try (WsTestClient ws = session.open("recorder", stranger, theirs, "&recorder_dir=" + recording)) {
            assertThat(ws.next().path("success").asBoolean()).as("shared explicitly").isTrue();
        }
        assertRefused(session.open("replay", stranger, original, ""), "connect", "this interaction belongs to another user!");
    }

    private List<JsonNode> runToEnd(XAgentSession.Account user, String id, com.fasterxml.jackson.databind.node.ObjectNode demo) {
        try (WsTestClient ws = session.base(user, id)) {
            ws.send(startFrame("recorded goal", "auto", demo));
            ws.next();
            return ws.untilClosed();
        }
    }

    private long stepCount(XAgentSession.Account user, String id) {
        try (WsTestClient replay = session.open("replay", user, id, "")) {
            replay.next();
            replay.send("{\"type\":\"replay\"}");
            return replay.untilClosed().size();
        }
    }

    private void awaitStatus(XAgentSession.Account user, String id, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = session.statusOf(user, id);
            if (seen.equals(status)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("interaction " + id + " stayed " + seen + ", expected " + status);
    }

    private static JsonNode findRow(JsonNode listing, String id) {
        for (JsonNode row : listing.path("rows")) {
            if (row.path("interaction_id").asText().equals(id)) {
                return row;
            }
        }
        throw new AssertionError("interaction " + id + " not listed in " + listing);
    }

    private static void assertRefused(WsTestClient ws, String status, String reason) {
        JsonNode frame = ws.next();
        assertThat(XAgentSession.keys(frame)).isEqualTo(XAgentSession.CONNECT_KEYS);
        assertThat(frame.path("data").isNull()).isTrue();
        assertThat(frame.path("status").asText()).isEqualTo(status);
        assertThat(frame.path("message").asText()).isEqualTo(reason);
        assertThat(frame.path("success").asBoolean()).isFalse();
        assertThat(ws.closeCode()).isEqualTo(1000);
    }

    /** The next error frame; step frames that arrive first (the run goes on) are kept in {@code steps}. */
    private static JsonNode nextError(WsTestClient ws, List<JsonNode> steps) {
        while (true) {
            JsonNode frame = ws.nextSkippingPongs();
            if (frame.path("status").asText().equals("error")) {
                return frame;
            }
            steps.add(frame);
        }
    }

    private static void assertError(JsonNode frame, String message) {
        assertThat(XAgentSession.keys(frame)).isEqualTo(XAgentSession.CONNECT_KEYS);
        assertThat(frame.path("status").asText()).isEqualTo("error");
        assertThat(frame.path("message").asText()).isEqualTo(message);
        assertThat(frame.path("success").asBoolean()).isFalse();
        assertThat(frame.path("data").isNull()).isTrue();
    }
}
