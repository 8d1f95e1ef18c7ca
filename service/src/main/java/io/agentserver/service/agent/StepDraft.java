package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A step an agent wants to emit. {@code current} is the task the step belongs to; {@code nodeId} may be
 * null to let the run-time assign one. {@code awaitsReply} marks a step the agent will wait on with
 * {@link RunContext#awaitReply}: only such a step accepts a human reply.
 */
public record StepDraft(String status, String current, JsonNode data, String nodeId, boolean awaitsReply) {

    public static StepDraft of(String status, String current, JsonNode data) {
        return new StepDraft(status, current, data, null, false);
    }

    public StepDraft awaitingReply() {
        return new StepDraft(status, current, data, nodeId, true);
    }
}
