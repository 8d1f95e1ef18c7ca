package io.agentserver.service.auth;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket opened with a JWT is closed with 4004 "token expired" once the token's {@code exp} (plus the leeway)
 * has passed, on both protocols; a socket whose token is still valid, or an XAgent socket opened with a
 * user-directory token, stays open. An XAgent run whose socket was closed that way goes on (the client may come
 * back with a fresh token).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenExpiryIT {

    private static final Duration LEEWAY = Duration.ofSeconds(1);
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of("auth.jwt.leeway", LEEWAY.toString()));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aWsSocketIsClosedWith4004WhenItsTokenExpiresWhileOneWithAValidTokenStaysOpen() {
        Instant exp = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (WsTestClient expiring = WsTestClient.connect(server.ws("/ws?token=" + token("user-exp", exp)));
             WsTestClient valid = WsTestClient.connect(server.ws("/ws?token="
                     + token("user-exp", Instant.now().plusSeconds(3600))))) {
            expiring.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
            assertThat(expiring.next().path("method").asText()).isEqualTo("heartbeat");

            assertThat(expiring.closeCode()).isEqualTo(4004);
            assertThat(expiring.closeReason()).isEqualTo("token expired");
            assertThat(Instant.now()).as("not before exp plus the leeway").isAfterOrEqualTo(exp.plus(LEEWAY));

            valid.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
            assertThat(valid.next().path("method").asText()).isEqualTo("heartbeat");
            assertThat(valid.isClosed()).isFalse();
        }
    }

    @Test
    void anXAgentSocketOpenedWithAJwtIsClosedWith4004AndItsRunGoesOn() {
        String user = "jwt-user-" + System.nanoTime();
        Instant exp = Instant.now().plusSeconds(3);
        String jwt = token(user, exp);
        String id = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", user, "token", jwt))
                .data().path("id").asText();
        try (WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(user)
                + "&token=" + enc(jwt) + "&description=expiry"))) {
            assertThat(base.next().path("status").asText()).isEqualTo("connect");
            base.send("{\"type\":\"data\",\"agent\":\"demo\",\"mode\":\"auto\",\"args\":{\"goal\":\"slow\","
                    + "\"demo\":{\"subtasks\":3,\"inner\":3,\"delay_ms\":1000}},\"file_list\":[]}");
            List<JsonNode> frames = base.untilClosed();
            assertThat(base.closeCode()).isEqualTo(4004);
            assertThat(frames).extracting(f -> f.path("status").asText()).doesNotContain("finished");
        }
        List<List<String>> status = server.query("SELECT status FROM interactions WHERE interaction_id = ?", id);
        assertThat(status.get(0).get(0)).as("the run keeps its grace, it is not stopped").isEqualTo("running");
    }

    @Test
    void anXAgentSocketOpenedWithAUserTokenDoesNotExpire() {
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        String user = login.data().path("user_id").asText();
        String token = login.data().path("token").asText();
        String id = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", user, "token", token))
                .data().path("id").asText();
        try (WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id=" + enc(user)
                + "&token=" + enc(token) + "&description=no-expiry"))) {
            assertThat(base.next().path("status").asText()).isEqualTo("connect");
            base.send("{\"type\":\"data\",\"agent\":\"demo\",\"mode\":\"auto\",\"args\":{\"goal\":\"quick\","
                    + "\"demo\":{\"subtasks\":1,\"inner\":1,\"delay_ms\":10}},\"file_list\":[]}");
            List<JsonNode> frames = base.untilClosed();
            assertThat(base.closeCode()).isEqualTo(1000);
            assertThat(frames.getLast().path("status").asText()).isEqualTo("finished");
        }
    }

    private static String token(String subject, Instant exp) {
        return TestTokens.signed(TestTokens.valid(subject).expirationTime(Date.from(exp)).build(), TestTokens.SECRET);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
