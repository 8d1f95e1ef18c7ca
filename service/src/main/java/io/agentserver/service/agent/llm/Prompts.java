package io.agentserver.service.agent.llm;

import java.util.Collection;

/** What the agent tells the model, in one place. */
final class Prompts {

    private Prompts() {
    }

    static String planningSystem() {
        return """
                You are an autonomous agent. You work only with the files of a private workspace and can ask \
                the human questions; you have no network or shell. First make a plan: call make_plan with 1 to \
                %d subtasks that together achieve the user's goal. Keep the plan short.""".formatted(LlmPlan.MAX_SUBTASKS);
    }

    static String planningUser(String goal, Collection<String> files) {
        return "Goal: " + goal + (files.isEmpty() ? "" : "\nFiles in the workspace: " + String.join(", ", files));
    }

    static String workingSystem() {
        return """
                You are an autonomous agent working through a plan one subtask at a time. Answer every time \
                with exactly one tool call. Tools: read_file, write_file and list_files act on the workspace; \
                ask_human asks the human and returns the answer; submit_subtask ends the current subtask with \
                its result. Fill in thoughts, reasoning, plan and criticism with every call. Put deliverables \
                into workspace files. Call submit_subtask as soon as the current subtask is done.""";
    }

    static String reask(String reason) {
        return "Your last answer was not a valid tool call (" + reason + "). Answer with exactly one call of one "
                + "of the offered tools, with JSON arguments.";
    }

    static String humanSaid(String reply) {
        return "The human says: " + reply;
    }
}
