package io.agentserver.service.agent.a2a;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** A task's status: its state and the agent's message about it, when any. */
record RemoteStatus(TaskState state, Optional<RemoteMessage> message, String timestamp) {

    static RemoteStatus from(JsonNode node) {
        JsonNode message = node.path("message");
        return new RemoteStatus(TaskState.fromWire(node.path("state").asText(null)),
                message.isObject() ? Optional.of(RemoteMessage.from(message)) : Optional.empty(),
                node.path("timestamp").asText(""));
    }

    /** The message's text, else the state's name. */
    String describe() {
        return message.map(RemoteMessage::text).filter(t -> !t.isBlank()).orElse(state.wire());
    }

    /**
     * What tells one status from the next: a task snapshot repeats the status last streamed, which must not be
     * shown (or asked) twice.
     */
    String identity() {
        return state + "|" + message.map(RemoteMessage::messageId).orElse("") + "|" + timestamp;
    }
}
