package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.Main;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.agentserver.service.xagent.XAgentSession.demo;
import static io.agentserver.service.xagent.XAgentSession.startFrame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing is unbounded in size: the largest goal a client may send, run by the demo agent and replayed, in a server
 * process with a 256 MB heap. (The demo agent once copied a goal into every subtask and step, about five times
 * each, and a replay loaded the whole log: a run of a 1 MB goal made a 0.7 GB log and one replay exhausted the heap.)
 */
class LargeRunIT {

    private static final int MAX_GOAL_BYTES = 1_000_000;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private Process server;
    private Path data;

    @AfterEach
    void stopServer() throws InterruptedException, IOException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (data != null) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void theLargestGoalRunsAndReplaysInAServerWithA256MegabyteHeap() throws Exception {
        int port = freePort();
        data = Files.createTempDirectory("large-run");
        server = startServer(port, data);
        URI http = URI.create("http://127.0.0.1:" + port);
        awaitLive(http);

        String id = HttpForms.post(http.resolve("/api/conv/init_conv_env"), Map.of("user_id", "guest", "token", "xagent"))
                .data().path("id").asText();
        String query = "?user_id=guest&token=xagent";
        URI ws = URI.create("ws://127.0.0.1:" + port);

        List<JsonNode> live = new ArrayList<>();
        try (WsTestClient base = WsTestClient.connect(ws.resolve("/ws/base/" + id + query))) {
            assertThat(base.next().path("status").asText()).isEqualTo("connect");
            base.send(startFrame("x".repeat(MAX_GOAL_BYTES + 1), "auto", demo(1, 1, 0)));
            assertThat(base.next().path("message").asText()).as("one byte over the limit: refused in band")
                    .contains("at most " + MAX_GOAL_BYTES);
            base.send(startFrame("y".repeat(MAX_GOAL_BYTES), "auto", demo(10, 10, 0)));
            live.addAll(base.untilClosed());
            assertThat(base.closeCode()).isEqualTo(1000);
        }
        assertThat(live.getLast().path("status").asText()).as("the run finished").isEqualTo("finished");
        assertThat(live.size()).as("the longest demo run").isGreaterThan(120);

        for (int replay = 0; replay < 3; replay++) {
            try (WsTestClient client = WsTestClient.connect(ws.resolve("/ws/replay/" + id + query))) {
                assertThat(client.next().path("status").asText()).isEqualTo("connect");
                client.send("{\"type\":\"replay\"}");
                List<JsonNode> replayed = client.untilClosed();
                assertThat(replayed.size()).as("replay " + replay + ": every step").isEqualTo(live.size());
                assertThat(replayed.equals(live)).as("replay " + replay + ": each as it was sent live").isTrue();
            }
        }
        assertThat(HttpForms.post(http.resolve("/api/conv/exportRecording"),
                Map.of("user_id", "guest", "token", "xagent", "interaction_id", id)).status()).isEqualTo(200);
        assertThat(server.isAlive()).as("the server with its 256 MB heap lived through it all").isTrue();
        assertThat(HttpForms.get(http.resolve("/health/live")).status()).isEqualTo(200);
    }

    private static Process startServer(int port, Path data) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Dserver.port=" + port, "-Dserver.host=127.0.0.1",
                "-Ddb.connection.url=jdbc:h2:file:" + data.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE",
                "-Dxagent.recordings-dir=" + data.resolve("recordings"),
                "-Dxagent.max-goal-bytes=" + MAX_GOAL_BYTES,
                "-Dauth.jwt.secret=large-run-test-secret-of-at-least-32-bytes",
                "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("server.log").toFile())
                .start();
    }

    private void awaitLive(URI http) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            assertThat(server.isAlive()).as("the server process runs").isTrue();
            try {
                if (HttpForms.get(http.resolve("/health/live")).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("the server started within " + STARTUP).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
