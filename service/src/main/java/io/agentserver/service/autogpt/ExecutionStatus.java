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
