package io.agentserver.service.xagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What XAgent's web client does, step by step, against a test server. */
final class XAgentSession {

    static final List<String> STEP_KEYS =
            List.of("data", "status", "message", "success", "current", "node_id", "workspace_file_list");
    static final List<String> CONNECT_KEYS = List.of("data", "status", "message", "success");

    record Account(String userId, String token) {
    }

    private final TestServer server;

    XAgentSession(TestServer server) {
        this.server = server;
    }

    Account guest() {
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        assertThat(login.status()).isEqualTo(200);
        return new Account(login.data().path("user_id").asText(), login.data().path("token").asText());
    }

    Account register() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        HttpForms.Reply reply = HttpForms.post(server.http("/api/user/register"), Map.of("email", email,
                "name", "Tester", "corporation", "ACME", "position", "QA", "industry", "software"));
        assertThat(reply.status()).isEqualTo(200);
        return new Account(reply.data().path("user_id").asText(), reply.data().path("token").asText());
    }

    String newInteraction(Account account) {
        HttpForms.Reply reply = HttpForms.post(server.http("/api/conv/init_conv_env"),
                Map.of("user_id", account.userId(), "token", account.token()));
        assertThat(reply.status()).isEqualTo(200);
        return reply.data().path("id").asText();
    }

    HttpForms.Reply post(String path, Account account, Map<String, String> fields) {
        Map<String, String> all = new java.util.HashMap<>(fields);
        all.put("user_id", account.userId());
        all.put("token", account.token());
        return HttpForms.post(server.http(path), all);
    }

    WsTestClient open(String socket, Account account, String interactionId, String extraQuery) {
        return WsTestClient.connect(server.ws("/ws/" + socket + "/" + interactionId
                + "?user_id=" + enc(account.userId()) + "&token=" + enc(account.token()) + extraQuery));
    }

    WsTestClient base(Account account, String interactionId) {
        return open("base", account, interactionId, "&description=" + enc("a test run"));
    }

    /** The interaction's current status, as stored. */
    String statusOf(Account account, String interactionId) {
        List<List<String>> rows = server.query("SELECT status FROM interactions WHERE interaction_id = ? AND user_id = ?",
                interactionId, account.userId());
        if (rows.isEmpty()) {
            throw new AssertionError("no interaction " + interactionId + " of " + account.userId());
        }
        return rows.get(0).get(0);
    }

    JsonNode listed(Account account, String interactionId) {
        JsonNode listing = post("/api/conv/getUserInteractions", account,
                Map.of("page_size", "100", "page_num", "1")).data();
        for (JsonNode row : listing.path("rows")) {
            if (row.path("interaction_id").asText().equals(interactionId)) {
                return row;
            }
        }
        throw new AssertionError("interaction " + interactionId + " not listed in " + listing);
    }

    /** Reads step frames up to and including the first with {@code status}; returns them all. */
    static List<JsonNode> framesThrough(WsTestClient ws, String status) {
        List<JsonNode> frames = new java.util.ArrayList<>();
        JsonNode frame;
        do {
            frame = ws.nextSkippingPongs();
            frames.add(frame);
        } while (!frame.path("status").asText().equals(status));
        return frames;
    }

    static ObjectNode startFrame(String goal, String mode, ObjectNode demo) {
        ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", mode);
        ObjectNode args = frame.putObject("args").put("goal", goal);
        if (demo != null) {
            args.set("demo", demo);
        }
        frame.set("file_list", Json.array());
        return frame;
    }

    static ObjectNode demo(int subtasks, int inner, int delayMs) {
        return Json.object().put("subtasks", subtasks).put("inner", inner).put("delay_ms", delayMs);
    }

    static ObjectNode reply(String nodeId, ObjectNode args) {
        ObjectNode frame = Json.object().put("type", "data").put("agent", "XAgent").put("mode", "manual");
        frame.set("args", args);
        frame.put("node_id", nodeId);
        frame.set("file_list", Json.array());
        return frame;
    }

    static List<String> keys(JsonNode frame) {
        List<String> keys = new java.util.ArrayList<>();
        Iterator<String> names = frame.fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }

    static void assertStepFrame(JsonNode frame) {
        assertThat(keys(frame)).as("keys of %s", frame).isEqualTo(STEP_KEYS);
        assertThat(frame.path("success").asBoolean()).isTrue();
        assertThat(frame.path("node_id").asText()).matches("[0-9a-f]{32}");
    }

    static List<String> statuses(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("status").asText()).toList();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
