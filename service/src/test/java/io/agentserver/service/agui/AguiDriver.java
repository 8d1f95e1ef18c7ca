package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.NodeServer;
import io.agentserver.service.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official AG-UI client ({@code @ag-ui/client} 1.0.0's {@code HttpAgent}, pinned by {@code agui/package-lock.json})
 * run by the machine's Node ({@code agui/driver.mjs}): each call runs one AG-UI run, or rejoins one, and answers what
 * the client saw: the events it applied, schema errors, its warnings, its state, messages and pending interrupts.
 * Skips the test where Node is missing.
 */
public final class AguiDriver implements AutoCloseable {

    private final NodeServer node;
    private final HttpClient http = HttpClient.newHttpClient();

    private AguiDriver(NodeServer node) {
        this.node = node;
    }

    public static AguiDriver start() {
        return new AguiDriver(NodeServer.start("agui", "driver.mjs", "node_modules/@ag-ui/client/package.json", 18,
                line -> { }));
    }

    /** What the client saw of one run. */
    public record Seen(JsonNode result) {
        public List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            result.path("events").forEach(events::add);
            return events;
        }

        public List<String> types() {
            return events().stream().map(e -> e.path("type").asText()).toList();
        }

        public JsonNode state() {
            return result.path("state");
        }

        public JsonNode pendingInterrupts() {
            return result.path("pendingInterrupts");
        }

        /** The client ran the run without an error, a warning or an event its schemas refuse. */
        public Seen clean() {
            assertThat(result.path("error").isNull()).as("client error: %s", result.path("error")).isTrue();
            assertThat(result.path("warnings")).as("client warnings").isEmpty();
            assertThat(result.path("schemaErrors")).as("events the schemas refuse").isEmpty();
            return this;
        }
    }

    /** Runs an AG-UI run: a new one when {@code message} is set, a resume when {@code resume} is. */
    public Seen run(TestServer server, String agent, String token, String key, String threadId, String runId,
                    String message, JsonNode forwardedProps, JsonNode resume) {
        ObjectNode body = Json.object().put("key", key).put("url", server.http("/ag-ui/" + agent).toString())
                .put("token", token).put("threadId", threadId).put("runId", runId);
        if (message != null) {
            body.put("message", message);
        }
        if (forwardedProps != null) {
            body.set("forwardedProps", forwardedProps);
        }
        if (resume != null) {
            body.set("resume", resume);
        }
        return call("/run", body);
    }

    /** Rejoins AG-UI run {@code runId} from its start with {@code connectAgent()} (a fresh agent). */
    public Seen rejoin(TestServer server, String agent, String token, String threadId, String runId) {
        ObjectNode body = Json.object().put("key", "rejoin-" + runId)
                .put("url", server.http("/ag-ui/" + agent).toString())
                .put("eventsUrl", server.http("/ag-ui/" + agent + "/runs/" + runId + "/events").toString())
                .put("token", token).put("threadId", threadId).put("runId", runId);
        return call("/connect", body);
    }

    private Seen call(String path, ObjectNode body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.port() + path))
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("driver: %s", response.body()).isEqualTo(200);
            return new Seen(Json.read(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
