package io.agentserver.service.agent;

/** The step statuses of XAgent's wire protocol, in the order a run produces them. */
public final class StepStatus {

    public static final String RUNNING = "running";
    public static final String START = "start";
    public static final String INNER = "inner";
    public static final String SUBTASK_SUBMIT = "subtask_submit";
    public static final String REFINEMENT = "refinement";
    public static final String SUBTASK = "subtask";
    public static final String ASK_FOR_HUMAN_HELP = "ask_for_human_help";
    public static final String FINISHED = "finished";
    public static final String FAILED = "failed";

    private StepStatus() {
    }

    /** A run's log ends with one of these. */
    public static boolean isFinal(String status) {
        return FINISHED.equals(status) || FAILED.equals(status);
    }
}
