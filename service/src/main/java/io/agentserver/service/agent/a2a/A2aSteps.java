package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.PlanFrames;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.json.Json;

import java.util.List;

/**
 * XAgent step data for a remote A2A task: the {@code start} plan (one subtask, {@code 1.1}, named after the
 * agent's card) and the {@code inner} steps of that subtask, each shown as a call of the tool
 * {@code a2a:<card name>} whose output is what the agent said or saved.
 */
final class A2aSteps {

    static final String SUBTASK = "1.1";
    static final String SUCCESS = "TOOL_CALL_SUCCESS";
    static final String FAILED = "TOOL_CALL_FAILED";

    /** Where an inner step's content came from, shown beside it. */
    record Origin(String taskId, String contextId, TaskState state) {
    }

    private A2aSteps() {
    }

    static ObjectNode plan(String agent, String cardName, String goal) {
        ArrayNode subtasks = Json.array();
        PlanFrames.addSubtask(subtasks, new PlannedSubtask(SUBTASK, cardName, goal,
                List.of("The agent reports the task completed")), "");
        return PlanFrames.start(goal, agent, subtasks);
    }

    /**
     * An inner step.
     *
     * @param thoughts what the step says in XAgent's thoughts (the agent's text)
     * @param output   the tool's output (text and data parts, or what was saved)
     * @param files    workspace files this step wrote
     */
    static ObjectNode inner(String tool, String thoughts, String output, String statusCode, List<String> files,
                            String nodeId, Origin origin) {
        ObjectNode data = Json.object();
        data.put("thoughts", thoughts);
        data.put("reasoning", "");
        data.set("plan", Json.array());
        data.put("criticism", "");
        data.put("node_id", nodeId);
        ObjectNode using = data.putObject("using_tools");
        using.put("tool_name", tool);
        using.set("tool_input", Json.object());
        using.put("tool_output", output);
        using.put("tool_status_code", statusCode);
        using.set("thought_data", Json.object().put("thought", thoughts).put("reasoning", ""));
        ArrayNode artifacts = data.putArray("artifacts");
        files.forEach(artifacts::add);
        data.put("remote_task_id", origin.taskId());
        data.put("remote_context_id", origin.contextId());
        data.put("remote_state", origin.state().wire());
        return data;
    }
}
