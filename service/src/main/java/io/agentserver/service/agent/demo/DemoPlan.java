package io.agentserver.service.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.agent.PlanFrames;
import io.agentserver.service.agent.PlannedSubtask;
import io.agentserver.service.json.Json;

import java.util.ArrayList;
import java.util.List;

/** The subtasks a demo run works through; a human may edit their goals while the run waits. */
final class DemoPlan {

    private static final String[] VERBS = {"Understand", "Draft", "Build", "Check", "Polish",
            "Extend", "Measure", "Document", "Review", "Deliver"};
    /**
     * How much of the goal a subtask repeats: the whole goal is in the plan once, and a long goal copied into every
     * subtask, milestone and step would make a run's log many times the goal's size.
     */
    static final int GOAL_EXCERPT_CHARS = 100;

    private final String goal;
    private final List<PlannedSubtask> subtasks = new ArrayList<>();

    DemoPlan(String goal, int count) {
        this.goal = goal;
        for (int i = 0; i < count; i++) {
            String verb = VERBS[i % VERBS.length];
            subtasks.add(new PlannedSubtask("1." + (i + 1), verb + " the task", verb + ": " + excerpt(goal),
                    List.of()));
        }
    }

    String goal() {
        return goal;
    }

    static String excerpt(String goal) {
        return goal.length() <= GOAL_EXCERPT_CHARS ? goal : goal.substring(0, GOAL_EXCERPT_CHARS) + "…";
    }

    PlannedSubtask subtask(int index) {
        return subtasks.get(index);
    }

    int size() {
        return subtasks.size();
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
            List<String> milestones = List.of("Finish: " + s.goal());
            PlanFrames.addSubtask(list, new PlannedSubtask(s.taskId(), s.name(), s.goal(), milestones),
                    "Keep " + s.taskId() + " small enough to check.");
        }
        return list;
    }
}
