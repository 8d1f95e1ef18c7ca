package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** One subtask of a planning agent's plan, as XAgent's plan steps list it. */
public record PlannedSubtask(String taskId, String name, String goal, List<String> milestones) {

    /** XAgent's wire value of a plan subtask's {@code exceute_status} (sic) before it starts: a status, not a marker. */
    public static final String NOT_STARTED = "TODO";

    public PlannedSubtask {
        milestones = List.copyOf(milestones);
    }

    /**
     * Applies a human's edit to {@code subtasks} before subtask {@code index} starts (manual mode):
     * {@code {"goal":…}} edits that subtask, {@code {"subtasks":[{"goal":…,"name":…}…]}} edits subtasks from
     * {@code index} on; any other reply changes nothing. Task ids and milestones stay.
     */
    public static void applyEdit(List<PlannedSubtask> subtasks, int index, JsonNode reply) {
        if (reply.path("subtasks").isArray()) {
            int i = index;
            for (JsonNode edited : reply.path("subtasks")) {
                if (i >= subtasks.size()) {
                    break;
                }
                PlannedSubtask old = subtasks.get(i);
                subtasks.set(i, new PlannedSubtask(old.taskId(), edited.path("name").asText(old.name()),
                        edited.path("goal").asText(old.goal()), old.milestones()));
                i++;
            }
        } else if (reply.path("goal").isTextual() && index < subtasks.size()) {
            PlannedSubtask old = subtasks.get(index);
            subtasks.set(index, new PlannedSubtask(old.taskId(), old.name(), reply.path("goal").asText(),
                    old.milestones()));
        }
    }
}
