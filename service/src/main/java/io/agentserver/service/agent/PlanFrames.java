package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

/**
 * XAgent's shapes of a plan: the {@code data} of a {@code start} step, and one subtask as the {@code start}
 * and {@code subtask} steps list it. Planning agents fill them; the keys (misspellings included) are XAgent's.
 */
public final class PlanFrames {

    /** The plan's own task id; its subtasks are 1.1, 1.2, … */
    public static final String PLAN_TASK = "1";
    private static final int NAME_LENGTH = 40;

    private PlanFrames() {
    }

    /** {@code data} of the {@code start} step: the goal, the handler that runs it, and its subtasks. */
    public static ObjectNode start(String goal, String handler, ArrayNode subtasks) {
        ObjectNode plan = Json.object();
        plan.put("task_id", PLAN_TASK);
        plan.put("name", goal.length() > NAME_LENGTH ? goal.substring(0, NAME_LENGTH) : goal);
        plan.put("goal", goal);
        plan.put("handler", handler);
        plan.put("tool_budget", "");
        plan.set("subtasks", subtasks);
        return plan;
    }

    /** Adds {@code subtask}, not started yet, to {@code list}. */
    public static void addSubtask(ArrayNode list, PlannedSubtask subtask, String criticism) {
        ObjectNode node = list.addObject();
        node.put("name", subtask.name());
        node.put("goal", subtask.goal());
        node.put("prior_plan_criticsim", criticism);
        ArrayNode milestones = node.putArray("milestones");
        subtask.milestones().forEach(milestones::add);
        node.put("exceute_status", PlannedSubtask.NOT_STARTED);
        node.put("task_id", subtask.taskId());
        node.set("inner", Json.array());
    }
}
