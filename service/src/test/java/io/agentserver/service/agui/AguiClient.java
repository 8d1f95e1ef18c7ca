package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;
import io.agentserver.service.testing.TestServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A plain SSE client of the AG-UI routes (the JDK's HTTP client): events with their ids, errors as JSON. */
public final class AguiClient {

    /** One SSE event: its id and its JSON. */
    public record Event(long id, JsonNode data) {
        public String type() {
            return data.path("type").asText();
        }
    }

    /** An open stream: read events one by one, or cut it. */
    public static final class Stream implements AutoCloseable {
        private final InputStream body;
        private final BufferedReader reader;
        public final int status;
        public final String contentType;

        Stream(HttpResponse<InputStream> response) {
            this.body = response.body();
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            this.status = response.statusCode();
            this.contentType = response.headers().firstValue("content-type").orElse("");
        }

        /** The next event, or null at the end of the stream; comments (keep-alives) are skipped. */
        public Event next() {
            try {
                long id = -1;
                StringBuilder data = null;
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data != null) {
                            return new Event(id, Json.read(data.toString()));
                        }
                        continue;
                    }
                    if (line.startsWith("id: ")) {
                        id = Long.parseLong(line.substring(4));
                    } else if (line.startsWith("data: ")) {
                        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every event up to the end of the stream. */
        public List<Event> rest() {
            List<Event> events = new ArrayList<>();
            Event event;
            while ((event = next()) != null) {
                events.add(event);
            }
            return events;
        }

        /** Events up to and including the first that {@code last} accepts. */
        public List<Event> until(Predicate<Event> last) {
            List<Event> events = new ArrayList<>();
            Event event;
            while ((event = next()) != null) {
                events.add(event);
                if (last.test(event)) {
                    break;
                }
            }
            return events;
        }

        /** Cuts the connection (a dropped stream). */
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // already gone
            }
        }

        public String errorBody() {
            try {
                return new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public AguiClient(TestServer server, String token) {
        this(server == null ? null : server.http(""), token);
    }

    private AguiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same caller on the server at {@code base} (e.g. a replica in a process of its own). */
    public AguiClient at(URI other) {
        return new AguiClient(other, token);
    }

    public static ObjectNode input(String threadId, String runId, String goal, ObjectNode forwardedProps) {
        ObjectNode input = Json.object().put("threadId", threadId).put("runId", runId);
        input.putArray("messages").addObject().put("id", "m1").put("role", "user").put("content", goal);
        input.putArray("tools");
        input.putArray("context");
        input.set("forwardedProps", forwardedProps == null ? Json.object() : forwardedProps);
        return input;
    }

    public static ObjectNode demoProps(int subtasks, int inner, int delayMs) {
        ObjectNode props = Json.object();
        props.putObject("args").putObject("demo").put("subtasks", subtasks).put("inner", inner).put("delay_ms", delayMs);
        return props;
    }

    public static ObjectNode resume(String threadId, String runId, String interruptId, ObjectNode payload) {
        ObjectNode input = Json.object().put("threadId", threadId).put("runId", runId);
        input.putArray("messages");
        ObjectNode entry = input.putArray("resume").addObject().put("interruptId", interruptId).put("status", "resolved");
        entry.set("payload", payload);
        return input;
    }

    public Stream post(String agent, JsonNode body) {
        return post(agent, Json.write(body));
    }

    public Stream post(String agent, String body) {
        return send(HttpRequest.newBuilder(http("/ag-ui/" + agent))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Stream events(String agent, String runId, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http("/ag-ui/" + agent + "/runs/" + runId + "/events"))
                .header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return send(request);
    }

    public Stream get(String path) {
        return send(HttpRequest.newBuilder(http(path)).GET());
    }

    public Stream cancel(String agent, String runId) {
        return send(HttpRequest.newBuilder(http("/ag-ui/" + agent + "/runs/" + runId + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Stream send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return new Stream(http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI http(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }
}
