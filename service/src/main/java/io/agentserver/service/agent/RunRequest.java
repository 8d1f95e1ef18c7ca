package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.store.Interaction;

/**
 * What a client asked to run.
 *
 * @param echoGoal store the human goal row (status {@code running}, data null) as the run's first step, as
 *                 XAgent does for live runs
 */
public record RunRequest(Interaction interaction, String agentName, String mode, JsonNode args, JsonNode files,
                         boolean echoGoal) {
}
