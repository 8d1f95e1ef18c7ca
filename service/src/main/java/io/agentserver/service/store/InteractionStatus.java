package io.agentserver.service.store;

import java.util.Arrays;
import java.util.Optional;

/** Lifecycle of an interaction, with the exact strings XAgent stores and sends. */
public enum InteractionStatus {
    READY("ready"),
    WAITING("waiting"),
    CONNECTED("connected"),
    RUNNING("running"),
    ASK_FOR_HUMAN_HELP("ask_for_human_help"),
    FINISHED("finished"),
    FAILED("failed"),
    CLOSED("closed");

    private final String wire;

    InteractionStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** A run in one of these states is over and never changes again. */
    public boolean isFinal() {
        return this == FINISHED || this == FAILED || this == CLOSED;
    }

    /** A run in one of these states is owned by a replica that holds its lease. */
    public boolean isActive() {
        return this == RUNNING || this == ASK_FOR_HUMAN_HELP;
    }

    public static Optional<InteractionStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}
