package io.agentserver.service.agent.a2a;

import java.util.Locale;

/** A2A 1.0 task states as ProtoJSON writes them ({@code TASK_STATE_WORKING}); anything else is {@link #UNKNOWN}. */
enum TaskState {
    SUBMITTED, WORKING, COMPLETED, FAILED, CANCELED, INPUT_REQUIRED, REJECTED, AUTH_REQUIRED, UNKNOWN;

    private static final String PREFIX = "TASK_STATE_";

    static TaskState fromWire(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return UNKNOWN;
        }
        try {
            return valueOf(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** The task will change no more. */
    boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED || this == REJECTED;
    }

    /** The wire name, for messages. */
    String wire() {
        return PREFIX + name();
    }

    /** How a person would say it: {@code input required}. */
    String spoken() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
