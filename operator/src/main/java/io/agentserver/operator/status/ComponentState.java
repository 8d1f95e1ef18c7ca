package io.agentserver.operator.status;

/**
 * How one part of an AgentServer is doing.
 *
 * @param health  ready, on its way, or stuck
 * @param reason  a CamelCase condition reason
 * @param message what a human should know or do
 */
public record ComponentState(Health health, String reason, String message) {

    /** Coarse health of a component. */
    public enum Health { READY, PROGRESSING, FAILING }

    public static ComponentState ready(String reason, String message) {
        return new ComponentState(Health.READY, reason, message);
    }

    public static ComponentState progressing(String reason, String message) {
        return new ComponentState(Health.PROGRESSING, reason, message);
    }

    public static ComponentState failing(String reason, String message) {
        return new ComponentState(Health.FAILING, reason, message);
    }

    public boolean isReady() {
        return health == Health.READY;
    }
}
