package io.agentserver.service.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.PlanFrames;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;

/** The subtasks the model planned, what each ended with, and their XAgent shapes. */
final class LlmPlan {

    static final int MAX_SUBTASKS = 10;

    private final String goal;
    private final List<PlannedSubtask> subtasks = new ArrayList<>();
    private final List<String> results = new ArrayList<>();

    private LlmPlan(String goal) {
        this.goal = goal;
    }

    /** The plan from {@code make_plan}'s validated arguments: at most {@value #MAX_SUBTASKS} subtasks. */
    static LlmPlan from(String goal, JsonNode makePlanArgs) {
        LlmPlan plan = new LlmPlan(goal);
        for (JsonNode s : makePlanArgs.path("subtasks")) {
            if (plan.subtasks.size() == MAX_SUBTASKS) {
                break;
            }
            String taskId = "1." + (plan.subtasks.size() + 1);
            String subGoal = s.path("goal").asText();
            List<String> milestones = new ArrayList<>();
            s.path("milestones").forEach(m -> milestones.add(m.asText()));
            plan.subtasks.add(new PlannedSubtask(taskId, s.path("name").asText(shorten(subGoal)), subGoal,
                    milestones));
        }
        return plan;
    }

    String goal() {
        return goal;
    }

    PlannedSubtask subtask(int index) {
        return subtasks.get(index);
    }

    int size() {
        return subtasks.size();
    }

    void completed(int index, String result) {
        while (results.size() <= index) {
            results.add("");
        }
        results.set(index, result);
    }

    /** What the model reads about the plan while it works on subtask {@code current}. */
    String brief(int current) {
        StringBuilder text = new StringBuilder("Overall goal: ").append(goal).append("\n\nPlan:\n");
        for (int i = 0; i < subtasks.size(); i++) {
            PlannedSubtask s = subtasks.get(i);
            text.append("- ").append(s.taskId()).append(' ').append(s.name()).append(": ").append(s.goal());
            if (i < results.size()) {
                text.append("\n  done: ").append(results.get(i));
            }
            text.append('\n');
        }
        PlannedSubtask now = subtasks.get(current);
        text.append("\nWork now on subtask ").append(now.taskId()).append(": ").append(now.goal());
        if (!now.milestones().isEmpty()) {
            text.append("\nMilestones: ").append(String.join("; ", now.milestones()));
        }
        return text.toString();
    }

    /** See {@link PlannedSubtask#applyEdit}. */
    void applyEdit(int index, JsonNode reply) {
        PlannedSubtask.applyEdit(subtasks, index, reply);
    }

    /** {@code data} of the {@code start} step. */
    ObjectNode planData() {
        return PlanFrames.start(goal, "", subtasksFrom(0));
    }

    /** Subtasks from {@code index} on, as the {@code start} and {@code subtask} steps list them. */
    ArrayNode subtasksFrom(int index) {
        ArrayNode list = Json.array();
        for (PlannedSubtask s : subtasks.subList(index, subtasks.size())) {
            PlanFrames.addSubtask(list, s, "");
        }
        return list;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) : text;
    }
}
