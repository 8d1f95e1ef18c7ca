package io.agentserver.service.agent.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.PlanFrames;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.json.Json;

import java.util.List;

/**
 * XAgent step data for a remote task: the {@code start} plan (one subtask: the remote task) and one
 * {@code inner} step per remote step. An inner step shows the remote step's {@code name} as the tool, the
 * input sent as the tool's input and {@code output} as its output; {@code additional_output} travels as it
 * came. AutoGPT's shape fills more: {@code additional_output.thoughts} gives XAgent's thoughts, reasoning, plan
 * and criticism, and {@code additional_output.last_action} (the command this step executed, its arguments and
 * result) gives the tool call, failed when its result carries an {@code error}.
 */
final class InnerStepData {

    static final String PLAN_TASK = PlanFrames.PLAN_TASK;
    static final String SUBTASK = "1.1";
    static final String DEFAULT_TOOL = "agent_protocol_step";

    private InnerStepData() {
    }

    static ObjectNode plan(String agent, String goal, String remoteTaskId) {
        ArrayNode subtasks = Json.array();
        PlanFrames.addSubtask(subtasks, new PlannedSubtask(SUBTASK, "Agent " + agent, goal,
                List.of("The agent reports its last step")), "");
        return PlanFrames.start(goal, agent, subtasks).put("remote_task_id", remoteTaskId);
    }

    static ObjectNode inner(RemoteStep step, String inputSent, List<String> files, String nodeId) {
        JsonNode thoughts = step.additionalOutput().path("thoughts");
        JsonNode lastAction = step.additionalOutput().path("last_action");
        boolean executedAction = lastAction.path("name").isTextual() && !lastAction.path("name").asText().isBlank();
        String tool = executedAction ? lastAction.path("name").asText()
                : step.name().isBlank() ? DEFAULT_TOOL : step.name();
        ObjectNode data = Json.object();
        data.put("thoughts", text(thoughts.path("text"), step.output().isBlank() ? tool : step.output()));
        data.put("reasoning", text(thoughts.path("reasoning"), ""));
        data.set("plan", plan(thoughts.path("plan")));
        data.put("criticism", text(thoughts.path("self_criticism"), text(thoughts.path("criticism"), "")));
        data.put("node_id", nodeId);
        ObjectNode using = data.putObject("using_tools");
        using.put("tool_name", tool);
        if (executedAction) {
            JsonNode result = lastAction.path("result");
            using.set("tool_input", lastAction.path("args").isObject() ? lastAction.get("args") : Json.object());
            using.put("tool_output", result.path("outputs").isTextual() ? result.path("outputs").asText() : Json.write(result));
            using.put("tool_status_code", result.has("error") ? "TOOL_CALL_FAILED" : "TOOL_CALL_SUCCESS");
        } else {
            using.set("tool_input", Json.object().put("input", inputSent));
            using.put("tool_output", step.output());
            using.put("tool_status_code", "TOOL_CALL_SUCCESS");
        }
        using.set("thought_data", Json.object().put("thought", data.path("thoughts").asText())
                .put("reasoning", data.path("reasoning").asText()));
        data.put("step_id", step.stepId());
        data.put("name", step.name());
        data.put("output", step.output());
        data.set("additional_output", step.additionalOutput());
        ArrayNode artifacts = data.putArray("artifacts");
        files.forEach(artifacts::add);
        data.put("is_last", step.isLast());
        return data;
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : otherwise;
    }

    private static ArrayNode plan(JsonNode plan) {
        ArrayNode list = Json.array();
        if (plan.isArray()) {
            plan.forEach(p -> list.add(p.asText()));
        } else if (plan.isTextual() && !plan.asText().isBlank()) {
            plan.asText().lines().map(l -> l.strip().replaceFirst("^[-*] ", "")).filter(l -> !l.isEmpty())
                    .forEach(list::add);
        }
        return list;
    }
}
