package io.agentserver.service.agent.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStore;

import java.util.Optional;

/**
 * Who may play a recording: its owner (the {@code user_id} it was exported with, or for an older export the
 * owner of the interaction it names), or anyone once that interaction was explicitly shared. A recording that
 * names neither was put into the folder by the operator and is open to every user. The same rule for every way to
 * play one: {@code /ws/recorder}, and the {@code recorder} agent started through AG-UI or A2A.
 */
public final class RecordingAccess {

    private final InteractionStore interactions;

    public RecordingAccess(InteractionStore interactions) {
        this.interactions = interactions;
    }

    public boolean readableBy(JsonNode recording, String userId) {
        String owner = recording.path("user_id").asText("");
        Optional<Interaction> source = Optional.of(recording.path("interaction_id").asText(""))
                .filter(id -> !id.isBlank())
                .flatMap(interactions::find);
        if (owner.isEmpty()) {
            owner = source.map(Interaction::userId).orElse("");
        }
        if (owner.isEmpty() && recording.path("interaction_id").asText("").isBlank()) {
            return true;
        }
        return owner.equals(userId) || source.filter(i -> i.shared() && !i.deleted()).isPresent();
    }
}
