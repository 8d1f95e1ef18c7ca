package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import io.agentserver.service.testing.WsTestClient;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Not run by the build. What the server adds per remote step: the SDK server's {@code [burst]} task (40 steps
 * that answer at once) driven directly with the JDK's HTTP client, then as runs through {@code /ws/base}; the
 * difference per step is the server's overhead (step log write, publish, frame). Run with
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.agentserver.service.agent.protocol.AgentProtocolOverheadBench}
 * from {@code service/} after {@code mvn -o -pl service test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * -Dmdep.includeScope=test}.
 */
public final class AgentProtocolOverheadBench {

    private static final int STEPS = 40;
    private static final int ROUNDS = 11;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        try (SdkAgentServer remote = SdkAgentServer.start();
             TestServer server = TestServer.start(TestDatabases.h2(), Map.of("agents.sdk.url", remote.url()))) {
            double[] directs = new double[ROUNDS];
            double[] throughs = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                directs[round] = direct(remote.url());
                throughs[round] = throughServer(server);
                System.out.printf("round %d: direct %.2f ms/step, through /ws/base %.2f ms/step%n",
                        round, directs[round], throughs[round]);
            }
            java.util.Arrays.sort(directs);
            java.util.Arrays.sort(throughs);
            System.out.printf("median: direct %.2f ms/step, through /ws/base %.2f ms/step, overhead %.2f ms/step%n",
                    directs[ROUNDS / 2], throughs[ROUNDS / 2], throughs[ROUNDS / 2] - directs[ROUNDS / 2]);
        }
    }

    private static double direct(String url) throws Exception {
        String task = post(url + "/ap/v1/agent/tasks", "{\"input\":\"bench [burst]\"}").path("task_id").asText();
        long start = System.nanoTime();
        for (int i = 0; i < STEPS; i++) {
            post(url + "/ap/v1/agent/tasks/" + task + "/steps", "{}");
        }
        return (System.nanoTime() - start) / 1e6 / STEPS;
    }

    private static double throughServer(TestServer server) {
        HttpForms.Reply login = HttpForms.post(server.http("/api/user/login"), Map.of("email", "Guest", "token", "xagent"));
        String user = login.data().path("user_id").asText();
        String token = login.data().path("token").asText();
        String id = HttpForms.post(server.http("/api/conv/init_conv_env"), Map.of("user_id", user, "token", token))
                .data().path("id").asText();
        try (WsTestClient base = WsTestClient.connect(server.ws("/ws/base/" + id + "?user_id="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))) {
            base.next();
            base.send("{\"type\":\"data\",\"agent\":\"sdk\",\"mode\":\"auto\",\"args\":{\"goal\":\"bench [burst]\"},\"file_list\":[]}");
            int inner = 0;
            long firstInner = 0;
            long lastInner = 0;
            while (inner < STEPS) {
                JsonNode frame = base.nextSkippingPongs();
                if (frame.path("status").asText().equals("inner")) {
                    inner++;
                    lastInner = System.nanoTime();
                    if (inner == 1) {
                        firstInner = lastInner;
                    }
                }
            }
            base.untilClosed();
            return (lastInner - firstInner) / 1e6 / (STEPS - 1);
        }
    }

    private static JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.read(response.body());
    }
}
