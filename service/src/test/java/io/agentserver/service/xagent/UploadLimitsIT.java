package io.agentserver.service.xagent;

import io.agentserver.service.json.Json;
import io.agentserver.service.testing.HttpForms;
import io.agentserver.service.testing.RawWebSocket;
import io.agentserver.service.testing.TestDatabases;
import io.agentserver.service.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /workspace/upload}: who may send a body, and how much of it, over real sockets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadLimitsIT {

    private static final String BOUNDARY = "----agentserverboundary";

    private TestServer server;
    private XAgentSession session;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.h2(), Map.of(
                "xagent.upload.max-file-bytes", "1000",
                "xagent.upload.max-total-bytes", "2500",
                "xagent.upload.max-parts", "5"));
        session = new XAgentSession(server);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A multipart body: each part is {name, filename or null, content}. */
    private static byte[] multipart(List<String[]> parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] part : parts) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part[0] + "\""
                    + (part[1] == null ? "" : "; filename=\"" + part[1] + "\"") + "\r\n"
                    + (part[1] == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part[2].getBytes(StandardCharsets.UTF_8));
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private HttpForms.Reply upload(String query, List<String[]> parts) {
        return HttpForms.send(HttpRequest.newBuilder(server.http("/api/workspace/upload" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(parts)))
                .build());
    }

    private long uploadsOf(String userId) {
        return Long.parseLong(server.query("SELECT COUNT(*) FROM uploads WHERE user_id = ?", userId).get(0).get(0));
    }

    private static String[] field(String name, String value) {
        return new String[]{name, null, value};
    }

    private static String[] file(String name, String content) {
        return new String[]{"files", name, content};
    }

    /** Sends the request head and {@code firstBytes} of the body, then waits for an answer with the body unfinished. */
    private int statusWithBodyUnfinished(String target, byte[] body, int firstBytes) throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(server.port(), Duration.ofSeconds(10))) {
            socket.raw(("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.raw(java.util.Arrays.copyOf(body, firstBytes));
            InputStream in = socket.input();
            StringBuilder statusLine = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                statusLine.append((char) b);
            }
            String[] words = statusLine.toString().split(" ");
            return words.length > 1 ? Integer.parseInt(words[1]) : -1;
        }
    }

    @Test
    void filesBeforeOrAfterTheCredentialsAreStored() {
        XAgentSession.Account user = session.register();
        HttpForms.Reply first = upload("", List.of(field("user_id", user.userId()), field("token", user.token()),
                file("a.txt", "alpha"), file("b.txt", "beta")));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.data().path("file_list")).hasSize(2);
        HttpForms.Reply last = upload("", List.of(file("c.txt", "x".repeat(1000)), field("user_id", user.userId()),
                field("token", user.token())));
        assertThat(last.status()).isEqualTo(200);
        String uuid = last.data().path("file_list").get(0).path("uuid").asText();
        assertThat(server.query("SELECT name, user_id FROM uploads WHERE uuid = ?", uuid))
                .containsExactly(List.of("c.txt", user.userId()));
        assertThat(uploadsOf(user.userId())).isEqualTo(3);
    }

    @Test
    void aRefusedCallerIsAnsweredBeforeTheRestOfTheBodyIsSent() throws Exception {
        XAgentSession.Account user = session.register();
        byte[] body = multipart(List.of(field("user_id", user.userId()), field("token", "wrong"),
                file("big.bin", "y".repeat(900)), file("more.bin", "z".repeat(900))));
        int credentialsEnd = new String(body, StandardCharsets.ISO_8859_1).indexOf("filename=");
        assertThat(statusWithBodyUnfinished("/api/workspace/upload", body, credentialsEnd)).isEqualTo(401);
        assertThat(uploadsOf(user.userId())).isZero();
    }

    @Test
    void credentialsInTheQueryStringAreCheckedBeforeAnyBody() throws Exception {
        XAgentSession.Account user = session.register();
        byte[] body = multipart(List.<String[]>of(file("a.bin", "y".repeat(900))));
        assertThat(statusWithBodyUnfinished("/api/workspace/upload?user_id=" + user.userId() + "&token=wrong", body, 0))
                .isEqualTo(401);
        HttpForms.Reply accepted = upload("?user_id=" + user.userId() + "&token=" + user.token(),
                List.<String[]>of(file("q.txt", "by query")));
        assertThat(accepted.status()).as("positive control").isEqualTo(200);
    }

    @Test
    void aDeclaredBodyOverTheTotalIsRefusedUnread() throws Exception {
        XAgentSession.Account user = session.register();
        byte[] body = multipart(List.of(field("user_id", user.userId()), field("token", user.token()),
                file("a.bin", "y".repeat(70 * 1024))));
        assertThat(statusWithBodyUnfinished("/api/workspace/upload", body, 0)).isEqualTo(413);
        assertThat(uploadsOf(user.userId())).isZero();
    }

    @Test
    void partsFilesAndTotalsOverTheirCapsAreRefusedAndNothingIsStored() {
        XAgentSession.Account user = session.register();
        String[] id = field("user_id", user.userId());
        String[] token = field("token", user.token());
        HttpForms.Reply tooMany = upload("", List.of(id, token, file("1", "1"), file("2", "2"), file("3", "3"),
                file("4", "4")));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.body().path("message").asText()).isEqualTo("more than 5 parts");
        HttpForms.Reply tooBig = upload("", List.of(id, token, file("big", "x".repeat(1001))));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.body().path("message").asText()).isEqualTo("a file is larger than 1000 bytes");
        HttpForms.Reply overTotal = upload("", List.of(id, token, file("1", "x".repeat(900)), file("2", "x".repeat(900)),
                file("3", "x".repeat(900))));
        assertThat(overTotal.status()).isEqualTo(413);
        assertThat(overTotal.body().path("message").asText()).isEqualTo("the upload is larger than 2500 bytes");
        assertThat(uploadsOf(user.userId())).isZero();
        assertThat(Json.write(upload("", List.of(id, token, file("ok", "x".repeat(900)))).data()))
                .as("positive control").contains("\"file_list\"");
    }
}
