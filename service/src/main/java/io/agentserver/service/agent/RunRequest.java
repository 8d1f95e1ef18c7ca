package io.agentserver.service.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.store.Interaction;

/**
 * What a client asked to run.
 *
 * @param echoGoal           store the human goal row (status {@code running}, data null) as the run's first step,
 *                           as XAgent does for live runs
 * @param stopsWhenUnwatched the run belongs to its viewers (XAgent's sockets): it stops when the last one leaves,
 *                           after the disconnect grace when none is left by a drop. Runs started over protocols
 *                           whose streams may close while the run goes on (AG-UI, A2A) do not
 */
public record RunRequest(Interaction interaction, String agentName, String mode, JsonNode args, JsonNode files,
                         boolean echoGoal, boolean stopsWhenUnwatched) {
}
