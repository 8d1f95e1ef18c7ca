package io.agentserver.service.autogpt;

import io.agentserver.service.store.InteractionStatus;

/** AutoGPT's execution status values, as sent in {@code status}. */
public enum ExecutionStatus {
    INCOMPLETE,
    QUEUED,
    RUNNING,
    COMPLETED,
    TERMINATED,
    FAILED,
    REVIEW;

    /** Whether an execution in this status is over: no other status follows it. */
    public boolean isFinal() {
        return this == COMPLETED || this == TERMINATED || this == FAILED;
    }

    /** Whether {@code status}, as sent, names a final status; false for null or an unknown name. */
    public static boolean isFinal(String status) {
        for (ExecutionStatus value : values()) {
            if (value.isFinal() && value.name().equals(status)) {
                return true;
            }
        }
        return false;
    }

    /** How an XAgent run's status reads as an AutoGPT graph execution status. */
    public static ExecutionStatus of(InteractionStatus status) {
        return switch (status) {
            case READY, WAITING, CONNECTED -> QUEUED;
            case RUNNING -> RUNNING;
            case ASK_FOR_HUMAN_HELP -> REVIEW;
            case FINISHED -> COMPLETED;
            case FAILED -> FAILED;
            case CLOSED -> TERMINATED;
        };
    }
}
