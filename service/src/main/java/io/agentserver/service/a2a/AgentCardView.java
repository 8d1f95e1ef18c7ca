package io.agentserver.service.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

import java.util.Map;

/**
 * The A2A 1.0 Agent Card of one of our agents: its one interface is the JSON-RPC binding at {@code /a2a/{agent}},
 * absolute; streaming yes, push notifications no; our step-log extension (event ids to resume from); bearer JWT.
 */
final class AgentCardView {

    /** The A2A extension this view adds: event ids from the step log, and resume with {@code Last-Event-ID}. */
    static final String STEP_LOG_EXTENSION = "urn:agent-server:a2a:step-log:v1";

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "demo", "A deterministic demo agent: it plans the goal into subtasks, works through them (writing"
                    + " report.md into its workspace) and finishes. message.metadata.args.demo shapes a run:"
                    + " subtasks, inner, delay_ms, ask_human, fail; message.metadata.mode \"manual\" makes it wait"
                    + " for your review before each step.",
            "llm", "An agent driven by a language model: it plans the goal, uses its tools step by step, may ask"
                    + " you a question, and writes its results into its workspace.",
            "recorder", "Plays back a recorded XAgent run.");

    private AgentCardView() {
    }

    /**
     * @param name     the agent's name
     * @param endpoint the absolute URL of its JSON-RPC binding
     */
    static ObjectNode card(String name, String endpoint, String version) {
        String description = DESCRIPTIONS.getOrDefault(name, "The agent " + name + " of agent-server: it works on"
                + " the goal you send step by step, shown as task status updates; its workspace files are the"
                + " task's artifacts.");
        ObjectNode card = Json.object().put("name", name).put("description", description).put("version", version);
        card.putArray("supportedInterfaces").addObject()
                .put("url", endpoint).put("protocolBinding", "JSONRPC").put("protocolVersion", "1.0");
        ObjectNode capabilities = card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
        capabilities.putArray("extensions").addObject().put("uri", STEP_LOG_EXTENSION)
                .put("description", "Every stream event carries metadata {seq, eventId, stepStatus} and its eventId"
                        + " as the SSE id; SubscribeToTask with the header Last-Event-ID resumes after it, losing"
                        + " nothing, and replays a task that already ended")
                .put("required", false);
        card.putObject("securitySchemes").putObject("bearer").putObject("httpAuthSecurityScheme")
                .put("scheme", "Bearer").put("bearerFormat", "JWT");
        card.putArray("securityRequirements").addObject().putObject("schemes").putObject("bearer").putArray("list");
        card.putArray("defaultInputModes").add("text/plain").add("application/json");
        card.putArray("defaultOutputModes").add("text/plain").add("application/json");
        ObjectNode skill = card.putArray("skills").addObject().put("id", name).put("name", name)
                .put("description", description);
        skill.putArray("tags").add("agent-server");
        return card;
    }
}
