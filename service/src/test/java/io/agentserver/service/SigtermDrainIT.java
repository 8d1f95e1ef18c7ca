package io.agentserver.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.hub.CloseCodes;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.ServiceProcess;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real shutdown path: the service in its own process, stopped by SIGTERM as Kubernetes does, while sockets
 * of both protocols are open (a live run, a paced share playback, two AutoGPT subscribers).
 */
class SigtermDrainIT {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void sigtermTellsEverySocketOfBothProtocols1001AndTheProcessExitsWithinItsDrainTimeout() throws Exception {
        int port = ServiceProcess.freePort();
        Process process = ServiceProcess.start("sigterm", port, Map.of(
                "DB_CONNECTION_URL", "jdbc:h2:mem:sigterm-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "SHUTDOWN_DRAIN_DASH_TIMEOUT", "PT" + DRAIN_TIMEOUT.toSeconds() + "S"));
        try {
            String base = "127.0.0.1:" + port;
            awaitReady(URI.create("http://" + base + "/health"), process);
            JsonNode guest = HttpForms.post(URI.create("http://" + base + "/api/user/login"),
                    Map.of("email", "Guest", "token", "xagent")).data();
            String query = "?user_id=" + enc(guest.path("user_id").asText()) + "&token=" + enc(guest.path("token").asText());

            String shared = newInteraction(base, guest);
            try (WsTestClient run = WsTestClient.connect(URI.create("ws://" + base + "/ws/base/" + shared + query))) {
                run.send(start("a short run to share", 1, 1, 1));
                run.next();
                run.untilClosed();
            }
            assertThat(HttpForms.post(URI.create("http://" + base + "/api/conv/shareInteraction"), Map.of(
                    "user_id", guest.path("user_id").asText(), "token", guest.path("token").asText(),
                    "interaction_id", shared)).status()).isEqualTo(200);
            WsTestClient playback = WsTestClient.connect(URI.create("ws://" + base + "/ws/share/" + shared + query));
            playback.next();
            playback.send("{\"type\":\"shared\"}");
            assertThat(playback.nextSkippingPongs().path("status").asText()).isEqualTo("running");

            WsTestClient live = WsTestClient.connect(URI.create("ws://" + base + "/ws/base/"
                    + newInteraction(base, guest) + query));
            live.send(start("keep going", 10, 10, 300));
            live.next();
            assertThat(live.nextSkippingPongs().path("status").asText()).isEqualTo("running");

            String token = TestTokens.forUser(UUID.randomUUID().toString());
            WsTestClient subscribed = WsTestClient.connect(URI.create("ws://" + base + "/ws?token=" + token));
            subscribed.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"e-1\"}}");
            assertThat(subscribed.nextText()).contains("\"success\":true");
            WsTestClient quiet = WsTestClient.connect(URI.create("ws://" + base + "/ws?token=" + token));
            quiet.send("{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}");
            assertThat(quiet.nextText()).contains("pong");

            long signalled = System.nanoTime();
            process.destroy();
            for (WsTestClient socket : List.of(playback, live, subscribed, quiet)) {
                assertThat(socket.closeCode()).as("close code")
                        .isEqualTo(CloseCodes.GOING_AWAY);
            }
            assertThat(process.waitFor(DRAIN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                    .as("exited").isTrue();
            Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
            System.out.printf("SIGTERM with 4 open sockets (2 XAgent, 2 AutoGPT): process exited after %d ms%n",
                    exit.toMillis());
            assertThat(exit).isLessThan(DRAIN_TIMEOUT);
        } finally {
            process.destroyForcibly();
        }
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
        throw new AssertionError("the service did not become ready; alive=" + process.isAlive());
    }

    private static String newInteraction(String base, JsonNode user) {
        return HttpForms.post(URI.create("http://" + base + "/api/conv/init_conv_env"), Map.of(
                "user_id", user.path("user_id").asText(), "token", user.path("token").asText())).data().path("id").asText();
    }

    private static String start(String goal, int subtasks, int inner, int delayMs) {
        return "{\"type\":\"data\",\"agent\":\"XAgent\",\"mode\":\"auto\",\"args\":{\"goal\":\"" + goal + "\","
                + "\"demo\":{\"subtasks\":" + subtasks + ",\"inner\":" + inner + ",\"delay_ms\":" + delayMs + "}},"
                + "\"file_list\":[]}";
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
