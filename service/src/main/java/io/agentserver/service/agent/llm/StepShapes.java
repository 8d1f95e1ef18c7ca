package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.json.Json;

import java.util.List;

/** The {@code data} of the steps a model's tool calls become, in XAgent's shapes. */
final class StepShapes {

    static final int MAX_SHOWN_OUTPUT_CHARS = 2_000;
    private static final List<String> THOUGHT_FIELDS = List.of("thoughts", "reasoning", "plan", "criticism");

    private StepShapes() {
    }

    /** What a tool call returned, and XAgent's status code for it. */
    record ToolResult(String output, String statusCode) {

        static ToolResult success(String output) {
            return new ToolResult(output, "TOOL_CALL_SUCCESS");
        }

        static ToolResult failed(String output) {
            return new ToolResult(output, "TOOL_CALL_FAILED");
        }
    }

    /** An {@code inner} step: the model's thoughts and the tool call it made, with what the tool returned. */
    static ObjectNode inner(ToolCall.Valid call, ToolResult result, PlannedSubtask subtask, String nodeId) {
        ObjectNode data = thoughts(call, "Working on " + subtask.taskId() + ": " + subtask.goal());
        data.put("node_id", nodeId);
        ObjectNode tool = data.putObject("using_tools");
        tool.put("tool_name", call.name());
        tool.set("tool_input", toolInput(call));
        tool.put("tool_output", abbreviate(result.output(), MAX_SHOWN_OUTPUT_CHARS));
        tool.put("tool_status_code", result.statusCode());
        tool.set("thought_data", Json.object().put("thought", data.path("thoughts").asText())
                .put("reasoning", data.path("reasoning").asText()));
        return data;
    }

    /** A {@code subtask_submit} step from a {@code submit_subtask} call. */
    static ObjectNode submit(ToolCall.Valid call, boolean success, PlannedSubtask subtask, String nodeId) {
        ObjectNode data = thoughts(call, "Subtask " + subtask.taskId() + " is done.");
        data.put("node_id", nodeId);
        ObjectNode tool = data.putObject("using_tools");
        tool.put("tool_name", ToolSet.SUBMIT_SUBTASK);
        tool.set("tool_input", toolInput(call));
        tool.put("tool_output", "Subtask " + subtask.taskId() + " submitted");
        tool.put("tool_status_code", success ? "SUBMIT_AS_SUCCESS" : "SUBMIT_AS_FAILED");
        tool.set("thought_data", Json.object().put("thought", data.path("thoughts").asText()));
        return data;
    }

    /** The {@code refinement} step after a submit: the subtask and what it achieved. */
    static ObjectNode refinement(ToolCall.Valid submit, PlannedSubtask subtask) {
        String result = submit.text("result");
        ObjectNode data = Json.object();
        data.put("name", subtask.name());
        data.put("goal", subtask.goal());
        data.put("prior_plan_criticism", submit.text("criticism"));
        data.set("posterior_plan_reflection", Json.array().add(result));
        ArrayNode milestones = data.putArray("milestones");
        subtask.milestones().forEach(milestones::add);
        data.set("tool_reflection", Json.array());
        data.put("action_list_summary", result);
        data.put("task_id", subtask.taskId());
        return data;
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "… (" + (text.length() - max) + " more characters)";
    }

    private static ObjectNode thoughts(ToolCall.Valid call, String fallbackThought) {
        ObjectNode data = Json.object();
        data.put("thoughts", call.text("thoughts").isBlank() ? fallbackThought : call.text("thoughts"));
        data.put("reasoning", call.text("reasoning"));
        JsonNode plan = call.args().path("plan");
        data.set("plan", plan.isArray() ? plan.deepCopy()
                : plan.isTextual() ? Json.array().add(plan.asText()) : Json.array());
        data.put("criticism", call.text("criticism"));
        return data;
    }

    /** The call's own arguments, without the thoughts shown beside them. */
    private static ObjectNode toolInput(ToolCall.Valid call) {
        ObjectNode input = call.args().deepCopy();
        input.remove(THOUGHT_FIELDS);
        return input;
    }
}
