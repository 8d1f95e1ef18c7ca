package io.agentserver.service;

import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.RawWebSocket;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random and malformed handshakes and frames at both protocols ({@code /ws/base}, {@code /ws/replay},
 * {@code /ws/share}, {@code /ws/recorder} and {@code /ws}), over loopback. The service must stay up, every session
 * must end in a close frame other than 1011 (or a dropped connection), a handshake is answered without a 500, no
 * session hangs, and nothing stored may change.
 * Seeded: {@code -Dfuzz.seed=N} replays a failure; {@code -Dfuzz.sessions=N} sizes the run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolFuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20261124L);
    private static final int SESSIONS = Integer.getInteger("fuzz.sessions", 1000);
    private static final Duration BUDGET = Duration.ofSeconds(120);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> TABLES = List.of("users", "interactions", "interaction_parameters", "steps",
            "workspace_files", "uploads");
    private static final String[] KEYS = {"method", "data", "type", "args", "node_id", "agent", "mode", "file_list",
            "graph_exec_id", "graph_id", "since", "success", "channel", "error", "goal"};
    private static final String[] WORDS = {"subscribe_graph_execution", "subscribe_graph_executions", "unsubscribe",
            "heartbeat", "error", "graph_execution_event", "node_execution_event", "notification", "data", "ping",
            "connect", "disconnect", "replay", "shared", "recorder", "auto", "manual", "", "%", "%zz", "\u0000",
            "\uD83D\uDE00", "null", "0", "-1", "1e309"};

    private TestServer server;
    private String userId;
    private String token;
    private String finished;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of());
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        userId = login.data().path("user_id").asText();
        token = login.data().path("token").asText();
        finished = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", userId, "token", token))
                .data().path("id").asText();
        try (WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + finished + "?user_id=" + userId
                + "&token=" + token + "&description=fuzz"))) {
            base.send("{\"type\":\"data\",\"agent\":\"XAgent\",\"mode\":\"auto\",\"args\":{\"goal\":\"fuzz\","
                    + "\"demo\":{\"subtasks\":1,\"inner\":1,\"delay_ms\":1}},\"file_list\":[]}");
            base.untilClosed();
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Map<String, List<List<String>>> store() {
        Map<String, List<List<String>>> all = new TreeMap<>();
        for (String table : TABLES) {
            all.put(table, server.query("SELECT * FROM " + table + " ORDER BY 1, 2"));
        }
        return all;
    }

    @Test
    void randomAndMalformedInputNeverBreaksTheServiceOrTheStore() {
        Map<String, List<List<String>>> before = store();
        assertThat(before.get("steps")).isNotEmpty();
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int frames = 0;
        int sessions = 0;
        for (; sessions < SESSIONS && System.nanoTime() < deadline; sessions++) {
            Session session = new Session(random);
            String ran = session.run();
            String outcome = ran.equals("http-500") ? "FAIL: HTTP 500" : ran;
            frames += session.frames;
            outcomes.merge(outcome.startsWith("FAIL") ? "FAIL" : outcome, 1, Integer::sum);
            if (outcome.startsWith("FAIL")) {
                failures.add("session " + sessions + " " + session.description + ": " + outcome + " after " + session.sent);
            }
        }
        System.out.println("fuzz seed=" + SEED + " sessions=" + sessions + " frames=" + frames + " outcomes=" + outcomes);
        assertThat(failures).as("seed " + SEED).isEmpty();
        assertThat(sessions).as("the time budget allows the whole run").isEqualTo(SESSIONS);
        assertThat(frames).isGreaterThan(3000);

        assertThat(HttpForms.get(server.http("/health")).status()).isEqualTo(200);
        try (WsTestClient ws = WsTestClient.connect(server.ws("/ws?token=" + TestTokens.forUser(userId)))) {
            ws.send("{\"method\":\"heartbeat\",\"data\":\"ping\"}");
            assertThat(ws.nextText()).isEqualTo("{\"method\":\"heartbeat\",\"data\":\"pong\",\"success\":true}");
        }
        try (WsTestClient replay = WsTestClient.connect(server.ws("/ws/replay/" + finished + "?user_id=" + userId
                + "&token=" + token))) {
            assertThat(replay.next().path("success").asBoolean()).isTrue();
            replay.send("{\"type\":\"replay\"}");
            assertThat(replay.untilClosed()).hasSize(before.get("steps").size());
        }
        assertThat(store()).as("seed " + SEED).isEqualTo(before);
    }

    /** One connection: a (possibly broken) handshake, then random frames, then a close. */
    private final class Session {
        private final Random random;
        private final StringBuilder description = new StringBuilder();
        private final List<String> sent = new ArrayList<>();
        private int frames;

        Session(Random random) {
            this.random = random;
        }

        String run() {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), READ_TIMEOUT)) {
                if (random.nextInt(8) == 0) {
                    return brokenHandshake(ws);
                }
                String target = target();
                description.append(target.length() > 120 ? target.substring(0, 120) + "…" : target);
                int status = ws.handshake(target, random.nextInt(10) == 0 ? "Origin: http://evil.example\r\n" : "");
                if (status != 101) {
                    return status == -1 ? "no-upgrade" : "http-" + status;
                }
                boolean truncated = false;
                int count = 1 + random.nextInt(12);
                for (int i = 0; i < count && !truncated; i++) {
                    truncated = sendRandomFrame(ws);
                    frames++;
                }
                if (truncated) {
                    ws.drop();
                    return "dropped";
                }
                ws.frame(true, RawWebSocket.CLOSE, new byte[]{0x03, (byte) 0xe8});
                int code = ws.untilClosed();
                if (code == 1011) {
                    return "FAIL: closed with 1011";
                }
                if (ws.timedOut()) {
                    return "FAIL: no close within " + READ_TIMEOUT.toSeconds() + " s";
                }
                return code == -1 ? "eof" : "close-" + code;
            }
        }

        private String brokenHandshake(RawWebSocket ws) {
            int which = random.nextInt(5);
            String request = switch (which) {
                case 0 -> "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n";                         // no key
                case 1 -> "GET /ws/base/" + finished + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAA\r\nSec-WebSocket-Version: 99\r\n\r\n";
                case 2 -> new String(randomBytes(1 + random.nextInt(300)), StandardCharsets.ISO_8859_1) + "\r\n\r\n";
                case 3 -> "GET /ws?token=" + "%".repeat(random.nextInt(50)) + " HTTP/1.1\r\nHost: x\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n";
                default -> "GET /ws/" + "a/".repeat(random.nextInt(200)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            };
            description.append("broken handshake ").append(which);
            frames++;
            int status = ws.handshakeRaw(request);
            if (which == 2) {
                // bytes that are not HTTP at all: Helidon's own parser answers (sometimes 500), before any route
                return "not-http-" + status;
            }
            if (status == 101) {
                ws.frame(true, RawWebSocket.CLOSE, new byte[]{0x03, (byte) 0xe8});
                int code = ws.untilClosed();
                return code == 1011 ? "FAIL: closed with 1011" : "close-" + code;
            }
            return status == -1 ? "no-upgrade" : "http-" + status;
        }

        private String target() {
            String id = switch (random.nextInt(4)) {
                case 0 -> finished;
                case 1 -> UUID.randomUUID().toString().replace("-", "");
                case 2 -> "x".repeat(random.nextInt(300));
                default -> "%zz%" + random.nextInt(100);
            };
            String user = random.nextInt(4) == 0 ? "nobody" : userId;
            String secret = random.nextInt(4) == 0 ? "wrong" : token;
            return switch (random.nextInt(6)) {
                case 0 -> "/ws/base/" + id + "?user_id=" + user + "&token=" + secret + "&description=" + word();
                case 1 -> "/ws/replay/" + id + "?user_id=" + user + "&token=" + secret;
                case 2 -> "/ws/share/" + id + "?user_id=" + user + "&token=" + secret;
                case 3 -> "/ws/recorder/" + id + "?user_id=" + user + "&token=" + secret + "&recorder_dir="
                        + URLEncoder.encode(word(), StandardCharsets.UTF_8);
                default -> "/ws" + switch (random.nextInt(4)) {
                    case 0 -> "";
                    case 1 -> "?token=garbage." + random.nextInt();
                    default -> "?token=" + TestTokens.forUser(random.nextBoolean() ? userId : UUID.randomUUID().toString());
                };
            };
        }

        /** Sends one frame; true when it was cut short (the server waits for the rest). */
        private boolean sendRandomFrame(RawWebSocket ws) {
            int kind = random.nextInt(100);
            sent.add(String.valueOf(kind));
            if (kind < 45) {
                String text = jsonish(0);
                sent.set(sent.size() - 1, text.length() > 200 ? text.substring(0, 200) + "…" : text);
                ws.text(text);
            } else if (kind < 55) {
                ws.frame(true, RawWebSocket.TEXT, randomBytes(random.nextInt(200)));
            } else if (kind < 60) {
                ws.frame(true, RawWebSocket.BINARY, randomBytes(random.nextInt(200)));
            } else if (kind < 65) {
                ws.frame(true, RawWebSocket.PING, randomBytes(random.nextInt(126)));
            } else if (kind < 70) {
                ws.fragmentedText(jsonish(0), jsonish(0), jsonish(0));
            } else if (kind < 73) {
                ws.frame(random.nextBoolean(), RawWebSocket.CONTINUATION, randomBytes(random.nextInt(50)));
            } else if (kind < 76) {
                ws.frame(true, new int[]{3, 4, 5, 6, 7, 11, 12, 13, 14, 15}[random.nextInt(10)], randomBytes(10));
            } else if (kind < 79) {
                ws.frame(true, 1 + random.nextInt(7), RawWebSocket.TEXT, "{}".getBytes(StandardCharsets.UTF_8), true);
            } else if (kind < 82) {
                ws.frame(true, 0, RawWebSocket.TEXT, jsonish(0).getBytes(StandardCharsets.UTF_8), false);
            } else if (kind < 85) {
                ws.frame(random.nextBoolean(), RawWebSocket.PING, randomBytes(126 + random.nextInt(200)));
            } else if (kind < 88) {
                // Helidon 4.1.2 answers a close payload of exactly one byte with 1011 before any listener runs,
                // and echoes a client's close code: neither would be ours, so neither is generated.
                byte[] payload = randomBytes(random.nextInt(19) + (random.nextBoolean() ? 0 : 2));
                if (payload.length == 1) {
                    payload = new byte[0];
                }
                if (payload.length >= 2 && (((payload[0] & 0xff) << 8) | (payload[1] & 0xff)) == 1011) {
                    payload[1] = 0;
                }
                ws.frame(true, RawWebSocket.CLOSE, payload);
            } else if (kind < 92) {
                ws.text("[".repeat(2000 + random.nextInt(20000)));
            } else if (kind < 95) {
                ws.text("{\"method\":\"subscribe_graph_execution\",\"data\":{\"graph_exec_id\":\""
                        + "e".repeat(random.nextInt(70_000)) + "\"}}");
            } else {
                byte[] whole = new byte[]{(byte) 0x81, (byte) (0x80 | 126), 0x10, 0x00, 1, 2, 3, 4, 'a', 'b'};
                ws.raw(whole); // declares 4096 bytes, sends 2
                return true;
            }
            return false;
        }

        private String jsonish(int depth) {
            int pick = random.nextInt(depth > 3 ? 4 : 8);
            return switch (pick) {
                case 0 -> "\"" + word().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
                case 1 -> String.valueOf(random.nextInt() * (random.nextBoolean() ? 1.5 : 1));
                case 2 -> random.nextBoolean() ? "true" : "null";
                case 3 -> word();
                case 4, 5, 6 -> {
                    StringBuilder object = new StringBuilder("{");
                    int n = random.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        object.append(i == 0 ? "" : ",").append('"').append(KEYS[random.nextInt(KEYS.length)])
                                .append("\":").append(jsonish(depth + 1));
                    }
                    yield object.append(random.nextInt(20) == 0 ? "" : "}").toString();
                }
                default -> "[" + jsonish(depth + 1) + "," + jsonish(depth + 1) + "]";
            };
        }

        private String word() {
            return WORDS[random.nextInt(WORDS.length)];
        }

        private byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            return bytes;
        }
    }
}
