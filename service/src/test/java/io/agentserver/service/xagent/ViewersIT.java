package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.store.DatabaseSettings;
import io.agentserver.service.testing.ReadingClient;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.agentserver.service.xagent.DeliveryFaultsIT.await;
import static io.agentserver.service.xagent.DeliveryFaultsIT.metric;
import static io.agentserver.service.xagent.XAgentSession.demo;
import static io.agentserver.service.xagent.XAgentSession.startFrame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several viewers of one run: what each provably received, which one a reconnect resumes for, and who may stop the
 * run. The frozen tab is a process of its own, stopped with SIGSTOP and then killed: the server hears nothing from
 * it and must find out by itself.
 */
class ViewersIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PING_INTERVAL = Duration.ofMillis(500);

    @Test
    void aTabThatFreezesThenDiesIsDroppedInSecondsAndAReconnectWithoutLastNodeIdSkipsNoStepItHadNotRead()
            throws Exception {
        Map<String, String> config = Map.of("xagent.ping-interval", "PT0.5S", "run.disconnect-grace", "PT60S");
        try (TestServer server = TestServer.start(TestDatabases.h2(), config)) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            ChildClient frozen = ChildClient.start(server.ws("/ws/base/" + id + "?user_id="
                    + XAgentSession.enc(user.userId()) + "&token=" + XAgentSession.enc(user.token())),
                    Json.write(startFrame("freeze one tab", "auto", demo(4, 5, 150))));
            List<JsonNode> frozenRead = new ArrayList<>();
            while (steps(frozenRead).size() < 4) {
                frozenRead.add(frozen.next());
            }
            // A second tab that reads everything: the cursor a reconnect uses must not be its, the furthest.
            WsTestClient steady = session.base(user, id);
            assertThat(steady.next().path("status").asText()).isEqualTo("connect");
            assertThat(steady.nextSkippingPongs().has("node_id")).isTrue();

            frozen.signal("STOP");
            long frozenAt = System.nanoTime();
            await("the frozen tab was dropped for not answering pings",
                    () -> metric(server, "agentserver_unresponsive_drops_total{protocol=\"xagent\"}") == 1);
            Duration detection = Duration.ofNanos(System.nanoTime() - frozenAt);
            frozen.kill();
            frozenRead.addAll(frozen.rest());

            List<JsonNode> resumed;
            try (WsTestClient again = session.base(user, id)) {
                assertThat(again.next().path("status").asText()).isEqualTo("connect");
                resumed = steps(again.untilClosed());
                assertThat(again.closeCode()).isEqualTo(1000);
            }
            steady.untilClosed();
            List<JsonNode> log = replay(session, user, id);
            List<String> logIds = nodeIds(log);
            List<String> readIds = nodeIds(steps(frozenRead));
            int firstUnread = logIds.indexOf(readIds.getLast()) + 1;
            int resumedFrom = logIds.indexOf(nodeIds(resumed).getFirst());

            assertThat(detection).as("a frozen peer is found out within the pong deadline and a tick or two")
                    .isLessThan(PING_INTERVAL.multipliedBy(2).plusSeconds(3));
            assertThat(firstUnread).as("the frozen tab had not read the whole log").isLessThan(logIds.size());
            assertThat(resumedFrom).as("the reconnect resumes no later than the first step the frozen tab had not read "
                    + "(%d), though the other tab read further", firstUnread).isBetween(0, firstUnread);
            assertThat(nodeIds(resumed)).as("then the whole rest of the log, in order, each step once")
                    .isEqualTo(logIds.subList(resumedFrom, logIds.size()));
            assertThat(resumed.getLast().path("status").asText()).isEqualTo("finished");
        }
    }

    @Test
    void aCleanCloseFromOneTabLeavesTheRunToTheOtherAndTheLastOneToLeaveStopsIt() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.h2(), Map.of("run.disconnect-grace", "PT60S"))) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            WsTestClient first = session.base(user, id);
            first.send(startFrame("two tabs", "auto", demo(3, 4, 100)));
            first.next();
            first.nextSkippingPongs();
            WsTestClient second = session.base(user, id);
            assertThat(second.next().path("status").asText()).isEqualTo("connect");
            first.close();
            await("the first tab's end was handled",
                    () -> metric(server, "agentserver_connections{protocol=\"xagent\"}") == 1);
            List<JsonNode> rest = second.untilClosed();
            assertThat(rest.getLast().path("status").asText()).as("the run went on to its end for the other tab")
                    .isEqualTo("finished");
            assertThat(session.statusOf(user, id)).isEqualTo("finished");

            String other = session.newInteraction(user);
            WsTestClient one = session.base(user, other);
            one.send(startFrame("two tabs, both leave", "auto", demo(5, 5, 200)));
            one.next();
            one.nextSkippingPongs();
            WsTestClient two = session.base(user, other);
            two.next();
            one.close();
            await("the first tab's end was handled",
                    () -> metric(server, "agentserver_connections{protocol=\"xagent\"}") == 1);
            assertThat(session.statusOf(user, other)).isEqualTo("running");
            two.close();
            await("the last tab to leave stopped the run", () -> "closed".equals(session.statusOf(user, other)));
        }
    }

    /**
     * A tab is on record as a viewer before it is told it is connected, so a close in another tab that follows its
     * connect frame can never take it for gone. The tab's viewer row is held up here (a trigger waits on a lock the
     * test holds), which widens the moment between the two to as long as the test likes.
     */
    @Test
    void aTabIsOnRecordAsAViewerBeforeItIsToldItIsConnected() throws Exception {
        DatabaseSettings db = TestDatabases.postgres();
        try (TestServer server = TestServer.start(db, Map.of("run.disconnect-grace", "PT60S"));
             Connection admin = DriverManager.getConnection(db.url(), db.username(), db.password())) {
            XAgentSession session = new XAgentSession(server);
            XAgentSession.Account user = session.register();
            String id = session.newInteraction(user);
            WsTestClient first = session.base(user, id);
            first.send(startFrame("two tabs", "auto", demo(3, 4, 100)));
            first.next();
            first.nextSkippingPongs();

            try (Statement sql = admin.createStatement()) {
                sql.execute("CREATE FUNCTION hold_viewer_inserts() RETURNS trigger AS $$ BEGIN "
                        + "PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$ LANGUAGE plpgsql");
                sql.execute("CREATE TRIGGER hold_viewer_inserts BEFORE INSERT ON run_viewers "
                        + "FOR EACH ROW EXECUTE FUNCTION hold_viewer_inserts()");
                sql.execute("SELECT pg_advisory_lock(4242)");
            }
            WsTestClient second = session.base(user, id);
            await("the second tab's viewer row waits for the lock", () -> waitingForTheLock(admin));
            assertThat(second.silentFor(Duration.ofSeconds(2)))
                    .as("no connect frame while the tab is not on record as a viewer").isTrue();
            try (Statement sql = admin.createStatement()) {
                sql.execute("SELECT pg_advisory_unlock(4242)");
            }
            assertThat(second.next().path("status").asText()).isEqualTo("connect");
            assertThat(server.query("SELECT viewer_id FROM run_viewers WHERE interaction_id = ? AND dropped = FALSE",
                    id)).as("both tabs watch").hasSize(2);
            first.close();
            second.close();
        }
    }

    private static boolean waitingForTheLock(Connection admin) {
        try (Statement sql = admin.createStatement();
             ResultSet rows = sql.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rows.next();
            return rows.getInt(1) == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static List<JsonNode> steps(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.has("node_id")).toList();
    }

    private static List<String> nodeIds(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("node_id").asText()).toList();
    }

    private static List<JsonNode> replay(XAgentSession session, XAgentSession.Account user, String id) {
        try (WsTestClient replay = session.open("replay", user, id, "")) {
            replay.next();
            replay.send("{\"type\":\"replay\"}");
            return steps(replay.untilClosed());
        }
    }

    /** A {@link ReadingClient} in a child JVM; its stdout lines are the frames it read. */
    private static final class ChildClient {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private ChildClient(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process was killed
                }
            });
        }

        static ChildClient start(URI uri, String firstMessage) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ReadingClient.class.getName(), uri.toString(), firstMessage)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new ChildClient(process);
        }

        JsonNode next() throws InterruptedException {
            while (true) {
                String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(line).as("a frame from the child client").isNotNull();
                if (line.startsWith("{")) {
                    JsonNode frame = Json.read(line);
                    if (!"pong".equals(frame.path("type").asText())) {
                        return frame;
                    }
                }
            }
        }

        /** The frames it printed before it died. */
        List<JsonNode> rest() {
            List<JsonNode> frames = new ArrayList<>();
            List<String> left = new ArrayList<>();
            lines.drainTo(left);
            for (String line : left) {
                if (line.startsWith("{")) {
                    frames.add(Json.read(line));
                }
            }
            return frames;
        }

        void signal(String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
