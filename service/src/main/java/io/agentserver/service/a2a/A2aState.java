package io.agentserver.service.a2a;

import io.agentserver.service.store.InteractionStatus;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** A2A 1.0 task states as ProtoJSON writes them, and which interaction statuses each covers. */
enum A2aState {
    SUBMITTED(EnumSet.of(InteractionStatus.READY, InteractionStatus.CONNECTED, InteractionStatus.WAITING)),
    WORKING(EnumSet.of(InteractionStatus.RUNNING)),
    INPUT_REQUIRED(EnumSet.of(InteractionStatus.ASK_FOR_HUMAN_HELP)),
    COMPLETED(EnumSet.of(InteractionStatus.FINISHED)),
    FAILED(EnumSet.of(InteractionStatus.FAILED)),
    CANCELED(EnumSet.of(InteractionStatus.CLOSED)),
    /** Never ours; known so that a listing filtered by it finds nothing instead of failing. */
    REJECTED(EnumSet.noneOf(InteractionStatus.class)),
    /** Never ours, as {@link #REJECTED}. */
    AUTH_REQUIRED(EnumSet.noneOf(InteractionStatus.class));

    private final Set<InteractionStatus> statuses;

    A2aState(Set<InteractionStatus> statuses) {
        this.statuses = statuses;
    }

    String wire() {
        return "TASK_STATE_" + name();
    }

    boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED || this == REJECTED;
    }

    /** The interaction statuses a task in this state has (what a listing filtered by it selects). */
    Set<InteractionStatus> statuses() {
        return statuses;
    }

    /** The state of a final interaction status. */
    static A2aState ofFinal(InteractionStatus status) {
        return switch (status) {
            case FINISHED -> COMPLETED;
            case FAILED -> FAILED;
            case CLOSED -> CANCELED;
            default -> throw new IllegalArgumentException(status + " is not final");
        };
    }

    static Optional<A2aState> fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
    }
}
