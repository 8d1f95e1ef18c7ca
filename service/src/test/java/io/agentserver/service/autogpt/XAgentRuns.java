package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.TestTokens;
import io.agentserver.service.testing.WsTestClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts XAgent demo runs the way XAgent's web client does, and reads what {@code /ws} shows of them. */
final class XAgentRuns {

    record Guest(String userId, String token) {
    }

    private XAgentRuns() {
    }

    static Guest guest(TestServer server) {
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        assertThat(login.status()).isEqualTo(200);
        return new Guest(login.data().path("user_id").asText(), login.data().path("token").asText());
    }

    static String newInteraction(TestServer server, Guest guest) {
        HttpForms.Reply reply = HttpForms.post(server.http("/api/conv/init_conv_env"),
                Map.of("user_id", guest.userId(), "token", guest.token()));
        assertThat(reply.status()).isEqualTo(200);
        return reply.data().path("id").asText();
    }

    /** Opens {@code /ws/base/id} on {@code server} and starts a demo run of {@code subtasks × inner} steps. */
    static WsTestClient startDemo(TestServer server, Guest guest, String interactionId, int subtasks, int inner) {
        return startDemo(server, guest, interactionId, subtasks, inner, 5);
    }

    /** As above, with {@code delayMillis} between the demo's steps. */
    static WsTestClient startDemo(TestServer server, Guest guest, String interactionId, int subtasks, int inner,
                                  int delayMillis) {
        WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + interactionId + "?user_id="
                + enc(guest.userId()) + "&token=" + enc(guest.token()) + "&description=demo"));
        base.send("{\"type\":\"data\",\"agent\":\"XAgent\",\"mode\":\"auto\",\"args\":{\"goal\":\"a haiku\","
                + "\"demo\":{\"subtasks\":" + subtasks + ",\"inner\":" + inner + ",\"delay_ms\":" + delayMillis
                + "}},\"file_list\":[]}");
        return base;
    }

    /** An AutoGPT {@code /ws} socket of the guest, subscribed to the interaction as an execution. */
    static WsTestClient watch(TestServer server, Guest guest, String interactionId) {
        WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(guest.userId())));
        ws.send("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\"" + interactionId + "\"}}");
        assertThat(ws.next().path("success").asBoolean()).isTrue();
        return ws;
    }

    /** Every frame until the run's notification arrived. */
    static List<JsonNode> untilNotification(WsTestClient ws) {
        List<JsonNode> frames = new ArrayList<>();
        while (true) {
            JsonNode frame = ws.next();
            frames.add(frame);
            if ("notification".equals(frame.path("method").asText())) {
                return frames;
            }
        }
    }

    static List<JsonNode> ofMethod(List<JsonNode> frames, String method) {
        return frames.stream().filter(f -> method.equals(f.path("method").asText())).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
