package io.agentserver.service.hub;

import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections per user (both protocols together) and messages per second per socket. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionLimitsIT {

    private static final String HEARTBEAT = "{\"method\":\"heartbeat\",\"data\":\"ping\",\"success\":true}";

    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of("hub.max-connections-per-user", "2",
                "hub.max-messages-per-second", "5", "hub.message-burst", "5"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aUsersSocketsOverTheLimitAreRefusedWith1008AcrossBothProtocols() {
        Account user = register();
        String token = TestTokens.forUser(user.userId());
        WsTestClient xagent = xagent(user, newInteraction(user));
        assertThat(xagent.next().path("success").asBoolean()).isTrue();
        WsTestClient autogpt = WsTestClient.connect(server.ws("/ws?token=" + token));
        autogpt.send(HEARTBEAT);
        assertThat(autogpt.nextText()).contains("pong");

        try (WsTestClient third = WsTestClient.connect(server.ws("/ws?token=" + token))) {
            assertThat(third.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(third.closeReason()).isEqualTo("too many connections");
        }
        try (WsTestClient fourth = xagent(user, newInteraction(user))) {
            assertThat(fourth.next().path("message").asText())
                    .isEqualTo("too many connections, please close another one!");
            assertThat(fourth.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        }
        try (WsTestClient otherUser = WsTestClient.connect(server.ws("/ws?token="
                + TestTokens.forUser(UUID.randomUUID().toString())))) {
            otherUser.send(HEARTBEAT);
            assertThat(otherUser.nextText()).as("another user is not limited").contains("pong");
        }
        assertThat(metric("agentserver_connection_limits_exceeded_total{limit=\"connections_per_user\",protocol=\"autogpt\"}"))
                .isEqualTo(1);
        assertThat(metric("agentserver_connection_limits_exceeded_total{limit=\"connections_per_user\",protocol=\"xagent\"}"))
                .isEqualTo(1);

        autogpt.close();
        assertThat(autogpt.closeCode()).isEqualTo(1000);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean admitted = false;
        while (!admitted && System.nanoTime() < deadline) {
            try (WsTestClient again = WsTestClient.connect(server.ws("/ws?token=" + token))) {
                try {
                    again.send(HEARTBEAT);
                } catch (CompletionException e) {
                    continue;
                }
                admitted = !again.silentFor(Duration.ofMillis(500));
            }
        }
        assertThat(admitted).as("the place a closed socket freed is taken again").isTrue();
        xagent.close();
    }

    @Test
    void aSocketSendingFasterThanItsRateIsClosedWith1008AndOneWithinItIsNot() {
        String token = TestTokens.forUser(UUID.randomUUID().toString());
        try (WsTestClient polite = WsTestClient.connect(server.ws("/ws?token=" + token));
             WsTestClient flooding = WsTestClient.connect(server.ws("/ws?token=" + token))) {
            for (int i = 0; i < 5; i++) {
                polite.send(HEARTBEAT);
                assertThat(polite.nextText()).contains("pong");
            }
            for (int i = 0; i < 50 && !flooding.isClosed(); i++) {
                try {
                    flooding.send(HEARTBEAT);
                } catch (CompletionException e) {
                    break;
                }
            }
            assertThat(flooding.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(flooding.closeReason()).isEqualTo("too many messages");
            assertThat(polite.isClosed()).isFalse();
        }
        Account user = register();
        try (WsTestClient xagent = xagent(user, newInteraction(user))) {
            xagent.next();
            for (int i = 0; i < 50 && !xagent.isClosed(); i++) {
                try {
                    xagent.send("{\"type\":\"ping\"}");
                } catch (CompletionException e) {
                    break;
                }
            }
            assertThat(xagent.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(xagent.closeReason()).isEqualTo("too many messages");
        }
        assertThat(metric("agentserver_connection_limits_exceeded_total{limit=\"message_rate\",protocol=\"autogpt\"}"))
                .isEqualTo(1);
        assertThat(metric("agentserver_connection_limits_exceeded_total{limit=\"message_rate\",protocol=\"xagent\"}"))
                .isEqualTo(1);
    }

    private record Account(String userId, String token) {
    }

    private Account register() {
        HttpForms.Reply reply = HttpForms.post(server.http("/api/user/register"), Map.of("email",
                "limits-" + UUID.randomUUID() + "@example.com", "name", "L", "corporation", "C", "position", "P",
                "industry", "I"));
        return new Account(reply.data().path("user_id").asText(), reply.data().path("token").asText());
    }

    private String newInteraction(Account account) {
        return HttpForms.post(server.http("/api/conv/init_conv_env"),
                Map.of("user_id", account.userId(), "token", account.token())).data().path("id").asText();
    }

    private WsTestClient xagent(Account account, String id) {
        return WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id="
                + URLEncoder.encode(account.userId(), StandardCharsets.UTF_8)
                + "&token=" + URLEncoder.encode(account.token(), StandardCharsets.UTF_8)));
    }

    private double metric(String series) {
        String text = HttpForms.get(server.http("/metrics")).body().asText();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
