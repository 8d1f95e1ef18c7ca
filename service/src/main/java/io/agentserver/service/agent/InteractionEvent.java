package io.agentserver.service.agent;

import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;

/** What viewers of an interaction learn over the broker, always after it was stored. */
public sealed interface InteractionEvent {

    String interactionId();

    /** Step {@code step.seq()} was appended to the log. */
    record StepAppended(Step step) implements InteractionEvent {
        @Override
        public String interactionId() {
            return step.interactionId();
        }
    }

    /**
     * The interaction moved to {@code status} after its step {@code afterSeq} was stored (-1: before any step): a
     * viewer shows the status once it has shown every step up to that one.
     */
    record StatusChanged(String interactionId, String userId, InteractionStatus status, String message, long afterSeq)
            implements InteractionEvent {
    }
}
