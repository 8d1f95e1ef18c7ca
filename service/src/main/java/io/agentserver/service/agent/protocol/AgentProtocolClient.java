package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.AgentTelemetry;
import io.agentserver.service.agent.upstream.SpooledBody;
import io.agentserver.service.agent.upstream.UpstreamCall;
import io.agentserver.service.agent.upstream.UpstreamClient;
import io.agentserver.service.agent.upstream.UpstreamFailure;
import io.agentserver.service.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The calls of the Agent Protocol v1 this server makes, over the agent's {@link UpstreamClient}: answers are
 * capped, redirects stay on the agent's origin, and every failure is an {@link UpstreamFailure} whose message
 * names the agent, the call and what went wrong (safe to show the user).
 */
final class AgentProtocolClient {

    private static final String TASKS = "/ap/v1/agent/tasks";
    private static final int ARTIFACT_PAGE_SIZE = 100;
    private static final int MAX_ARTIFACT_PAGES = 100;

    private final UpstreamClient upstream;
    private final BooleanSupplier stopped;

    /**
     * @param upstream shared by the runs of one agent
     * @param stopped  true once the run this client works for was asked to stop
     */
    AgentProtocolClient(UpstreamClient upstream, BooleanSupplier stopped) {
        this.upstream = upstream;
        this.stopped = stopped;
    }

    /** {@code POST /ap/v1/agent/tasks}: the new task's id. */
    String createTask(String input, JsonNode additionalInput) throws InterruptedException {
        ObjectNode body = Json.object().put("input", input);
        if (additionalInput != null && additionalInput.isObject()) {
            body.set("additional_input", additionalInput);
        }
        UpstreamCall call = UpstreamCall.postJson(TASKS, Json.write(body));
        JsonNode task = json(call);
        if (!task.path("task_id").isTextual()) {
            throw upstream.failure(AgentTelemetry.BAD_RESPONSE, call, "answered a task without task_id");
        }
        return task.path("task_id").asText();
    }

    /** {@code POST /ap/v1/agent/tasks/{task_id}/steps} with {@code input} (null: none). */
    RemoteStep executeStep(String taskId, String input) throws InterruptedException {
        ObjectNode body = Json.object();
        if (input != null) {
            body.put("input", input);
        }
        UpstreamCall call = UpstreamCall.postJson(TASKS + "/" + enc(taskId) + "/steps", Json.write(body));
        JsonNode step = json(call);
        try {
            return RemoteStep.from(step);
        } catch (IllegalArgumentException e) {
            throw upstream.failure(AgentTelemetry.BAD_RESPONSE, call, "answered " + e.getMessage());
        }
    }

    /**
     * {@code GET /ap/v1/agent/tasks/{task_id}/artifacts}, page by page until {@code enough} are listed (or every
     * page was read).
     */
    List<RemoteArtifact> artifacts(String taskId, int enough) throws InterruptedException {
        List<RemoteArtifact> all = new ArrayList<>();
        for (int page = 1; page <= MAX_ARTIFACT_PAGES && all.size() < enough; page++) {
            JsonNode list = json(UpstreamCall.get(TASKS + "/" + enc(taskId) + "/artifacts?current_page=" + page
                    + "&page_size=" + ARTIFACT_PAGE_SIZE));
            list.path("artifacts").forEach(a -> RemoteArtifact.from(a).ifPresent(all::add));
            int pages = list.path("pagination").path("total_pages").asInt(1);
            if (page >= pages || list.path("artifacts").isEmpty()) {
                break;
            }
        }
        return all;
    }

    /**
     * {@code GET /ap/v1/agent/tasks/{task_id}/artifacts/{artifact_id}}: the file, in a temporary file of at most
     * {@code maxBytes}; the caller closes it.
     */
    SpooledBody download(String taskId, String artifactId, long maxBytes) throws InterruptedException {
        return upstream.spool(UpstreamCall.get(TASKS + "/" + enc(taskId) + "/artifacts/" + enc(artifactId)), maxBytes,
                stopped).body();
    }

    private JsonNode json(UpstreamCall call) throws InterruptedException {
        String text = new String(upstream.send(call, stopped).body(), StandardCharsets.UTF_8);
        return Json.parse(text).filter(JsonNode::isObject).orElseThrow(() -> upstream.failure(
                AgentTelemetry.BAD_RESPONSE, call, "answered something that is not a JSON object"));
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
