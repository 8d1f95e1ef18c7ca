package io.agentserver.service.agent.llm;

import java.util.Collection;

/** What the agent tells the model, in one place. */
final class Prompts {

    private Prompts() {
    }

    static String planningSystem() {
        return """
                You are an autonomous agent. You work only with the files of a private workspace; you have no \
                network or shell. First make a plan: call make_plan with 1 to %d subtasks that together achieve \
                the user's goal. Keep the plan short.""".formatted(LlmPlan.MAX_SUBTASKS);
    }

    static String planningUser(String goal, Collection<String> files) {
        return "Goal: " + goal + (files.isEmpty() ? "" : "\nFiles in the workspace: " + String.join(", ", files));
    }

    static String workingSystem(boolean askHuman) {
        return """
                You are an autonomous agent working through a plan one subtask at a time. Use the tools: \
                read_file, write_file and list_files act on the workspace;%s submit_subtask ends the current \
                subtask with its result. Fill in thoughts, reasoning, plan and criticism with every call. Put \
                deliverables into workspace files. When the subtask is done, call submit_subtask, or answer with \
                the result as plain text.""".formatted(askHuman ? " ask_human asks the human and returns the answer;" : "");
    }

    static String reask(String reason) {
        return "Your last answer was not a valid tool call (" + reason + "). Answer with a call of one of the "
                + "offered tools, with JSON arguments.";
    }

    static String humanSaid(String reply) {
        return "The human says: " + reply;
    }

    static String noHumanAnswer(long seconds) {
        return "The human did not answer within " + seconds + " s. Go on without the answer.";
    }
}
