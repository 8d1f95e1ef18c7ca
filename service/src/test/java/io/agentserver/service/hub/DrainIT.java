package io.agentserver.service.hub;

import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A stopping server tells every open socket of both protocols 1001 "going away", within its drain timeout. */
class DrainIT {

    @Test
    void everyOpenSocketOfBothProtocolsGets1001WhenTheServerStops() {
        TestServer server = TestServer.start(TestDatabases.h2(), Map.of("shutdown.drain-timeout", "PT10S"));
        Account runner = register(server);
        Account idle = register(server);
        WsTestClient live = xagent(server, runner, newInteraction(server, runner));
        live.send("{\"type\":\"data\",\"agent\":\"XAgent\",\"mode\":\"auto\",\"args\":{\"goal\":\"keep going\","
                + "\"demo\":{\"subtasks\":10,\"inner\":10,\"delay_ms\":300}},\"file_list\":[]}");
        assertThat(live.next().path("status").asText()).isEqualTo("connect");
        assertThat(live.nextSkippingPongs().path("status").asText()).isEqualTo("running");
        WsTestClient waiting = xagent(server, idle, newInteraction(server, idle));
        assertThat(waiting.next().path("status").asText()).isEqualTo("connect");
        String token = TestTokens.forUser(UUID.randomUUID().toString());
        WsTestClient subscribed = WsTestClient.connect(server.ws("/ws?token=" + token));
        subscribed.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"e-1\"}}");
        assertThat(subscribed.nextText()).contains("\"success\":true");
        WsTestClient quiet = WsTestClient.connect(server.ws("/ws?token=" + token));
        quiet.send("{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}");
        assertThat(quiet.nextText()).contains("pong");

        long started = System.nanoTime();
        server.close();
        Duration drain = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("drain of 4 sockets (2 XAgent, 2 AutoGPT): %d ms%n", drain.toMillis());

        for (WsTestClient socket : List.of(live, waiting, subscribed, quiet)) {
            assertThat(socket.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(socket.closeReason()).isEqualTo("server shutting down");
        }
        assertThat(drain).isLessThan(Duration.ofSeconds(10));
    }

    private record Account(String userId, String token) {
    }

    private static Account register(TestServer server) {
        HttpForms.Reply reply = HttpForms.post(server.http("/api/user/register"), Map.of("email",
                "drain-" + UUID.randomUUID() + "@example.com", "name", "D", "corporation", "C", "position", "P",
                "industry", "I"));
        return new Account(reply.data().path("user_id").asText(), reply.data().path("token").asText());
    }

    private static String newInteraction(TestServer server, Account account) {
        return HttpForms.post(server.http("/api/conv/init_conv_env"),
                Map.of("user_id", account.userId(), "token", account.token())).data().path("id").asText();
    }

    private static WsTestClient xagent(TestServer server, Account account, String id) {
        return WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(account.userId())
                + "&token=" + enc(account.token())));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
