package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.RunStoppedException;
import io.agentserver.service.json.Json;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The calls of the Agent Protocol v1 this server makes, over the JDK's HTTP client. Every failure becomes an
 * {@link UpstreamFailure} whose message names the agent, the call and what went wrong.
 */
final class AgentProtocolClient {

    private static final String TASKS = "/ap/v1/agent/tasks";
    private static final int BODY_EXCERPT = 300;
    private static final int ARTIFACT_PAGE_SIZE = 100;
    private static final int MAX_ARTIFACT_PAGES = 100;
    static final Duration STOP_CHECK_INTERVAL = Duration.ofMillis(200);

    private final RemoteAgentSettings settings;
    private final HttpClient http;
    private final BooleanSupplier stopped;

    /**
     * @param http    shared by the runs of one agent
     * @param stopped true once the run this client works for was asked to stop
     */
    AgentProtocolClient(RemoteAgentSettings settings, HttpClient http, BooleanSupplier stopped) {
        this.settings = settings;
        this.http = http;
        this.stopped = stopped;
    }

    /** The HTTP client for one agent's runs. */
    static HttpClient httpClient(RemoteAgentSettings settings) {
        return HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** {@code POST /ap/v1/agent/tasks}: the new task's id. */
    String createTask(String input, JsonNode additionalInput) throws InterruptedException {
        ObjectNode body = Json.object().put("input", input);
        if (additionalInput != null && additionalInput.isObject()) {
            body.set("additional_input", additionalInput);
        }
        JsonNode task = json(post(TASKS, body));
        if (!task.path("task_id").isTextual()) {
            throw new UpstreamFailure(AgentTelemetry.BAD_RESPONSE,
                    prefix("POST " + TASKS) + "answered a task without task_id");
        }
        return task.path("task_id").asText();
    }

    /** {@code POST /ap/v1/agent/tasks/{task_id}/steps} with {@code input} (null: none). */
    RemoteStep executeStep(String taskId, String input) throws InterruptedException {
        ObjectNode body = Json.object();
        if (input != null) {
            body.put("input", input);
        }
        String path = stepsPath(taskId);
        JsonNode step = json(post(path, body));
        try {
            return RemoteStep.from(step);
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailure(AgentTelemetry.BAD_RESPONSE, prefix("POST " + path) + "answered " + e.getMessage());
        }
    }

    /** {@code GET /ap/v1/agent/tasks/{task_id}/artifacts}, every page. */
    List<RemoteArtifact> artifacts(String taskId) throws InterruptedException {
        List<RemoteArtifact> all = new ArrayList<>();
        for (int page = 1; page <= MAX_ARTIFACT_PAGES; page++) {
            String path = TASKS + "/" + enc(taskId) + "/artifacts?current_page=" + page + "&page_size=" + ARTIFACT_PAGE_SIZE;
            JsonNode list = json(get(path));
            list.path("artifacts").forEach(a -> RemoteArtifact.from(a).ifPresent(all::add));
            int pages = list.path("pagination").path("total_pages").asInt(1);
            if (page >= pages || list.path("artifacts").isEmpty()) {
                break;
            }
        }
        return all;
    }

    /** {@code GET /ap/v1/agent/tasks/{task_id}/artifacts/{artifact_id}}: the file's bytes. */
    byte[] download(String taskId, String artifactId) throws InterruptedException {
        return get(TASKS + "/" + enc(taskId) + "/artifacts/" + enc(artifactId)).body();
    }

    private HttpResponse<byte[]> post(String path, JsonNode body) throws InterruptedException {
        return send("POST " + path, request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    private HttpResponse<byte[]> get(String path) throws InterruptedException {
        return send("GET " + path, request(path).GET());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.timeout())
                .header("Accept", "application/json, */*");
        settings.token().ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    /**
     * Sends and waits for the answer, looking every {@link #STOP_CHECK_INTERVAL} whether the run was stopped: a
     * stopped run abandons the request at once instead of waiting for a long step to end.
     */
    private HttpResponse<byte[]> send(String call, HttpRequest.Builder request) throws InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> pending =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = awaitUnlessStopped(pending);
        } catch (ExecutionException e) {
            throw failure(call, e.getCause());
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new UpstreamFailure(UpstreamFailure.kindOfStatus(status), prefix(call) + "answered HTTP " + status
                    + excerpt(response.body()));
        }
        return response;
    }

    private HttpResponse<byte[]> awaitUnlessStopped(CompletableFuture<HttpResponse<byte[]>> pending)
            throws InterruptedException, ExecutionException {
        try {
            while (true) {
                try {
                    return pending.get(STOP_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (stopped.getAsBoolean()) {
                        throw new RunStoppedException("stopped while agent " + settings.name() + " worked on a step");
                    }
                }
            }
        } finally {
            pending.cancel(true);
        }
    }

    private UpstreamFailure failure(String call, Throwable cause) {
        return switch (cause) {
            case HttpConnectTimeoutException e -> new UpstreamFailure(AgentTelemetry.UNREACHABLE, prefix(call)
                    + "could not connect to " + settings.url() + " within " + settings.connectTimeout().toMillis() + " ms");
            case HttpTimeoutException e -> new UpstreamFailure(AgentTelemetry.TIMEOUT, prefix(call)
                    + "gave no answer within " + settings.timeout().toMillis() + " ms");
            case ConnectException e -> new UpstreamFailure(AgentTelemetry.UNREACHABLE, prefix(call)
                    + "could not connect to " + settings.url() + ": "
                    + Optional.ofNullable(e.getMessage()).orElse("connection refused"));
            default -> new UpstreamFailure(AgentTelemetry.UNREACHABLE, prefix(call) + "failed: " + cause);
        };
    }

    private JsonNode json(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return Json.parse(text).filter(JsonNode::isObject).orElseThrow(() -> new UpstreamFailure(
                AgentTelemetry.BAD_RESPONSE, prefix(response.request().method() + " " + response.request().uri().getPath())
                + "answered something that is not a JSON object" + excerpt(response.body())));
    }

    private String prefix(String call) {
        return "agent " + settings.name() + ": " + call + " ";
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > BODY_EXCERPT ? text.substring(0, BODY_EXCERPT) + "…" : text);
    }

    private static String stepsPath(String taskId) {
        return TASKS + "/" + enc(taskId) + "/steps";
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
