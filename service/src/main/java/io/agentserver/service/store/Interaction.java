package io.agentserver.service.store;

import java.time.Instant;

/**
 * One interaction (a run and its record). {@code fileListJson} is the JSON array the client sent
 * ({@code [{"uuid":…,"name":…}]}); {@code currentStep} is XAgent's string step counter.
 */
public record Interaction(String interactionId,
                          String userId,
                          Instant createTime,
                          Instant updateTime,
                          String description,
                          String agent,
                          String mode,
                          String fileListJson,
                          String recorderRootDir,
                          InteractionStatus status,
                          String message,
                          String currentStep,
                          boolean deleted,
                          String callMethod,
                          boolean shared) {

    public Interaction withStatus(InteractionStatus newStatus, String newMessage) {
        return new Interaction(interactionId, userId, createTime, updateTime, description, agent, mode,
                fileListJson, recorderRootDir, newStatus, newMessage, currentStep, deleted, callMethod, shared);
    }
}
