package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentserver.service.json.Json;

/** Builders of AG-UI 1.0 events: only the schema's fields, anything else under {@code metadata}. */
final class AguiEvents {

    private AguiEvents() {
    }

    static ObjectNode of(String type) {
        return Json.object().put("type", type);
    }

    static ObjectNode runStarted(String threadId, String runId) {
        return of("RUN_STARTED").put("threadId", threadId).put("runId", runId).put("protocolVersion", "1.0");
    }

    static ObjectNode runFinished(String threadId, String runId, ObjectNode outcome) {
        ObjectNode event = of("RUN_FINISHED").put("threadId", threadId).put("runId", runId);
        event.set("outcome", outcome);
        return event;
    }

    static ObjectNode outcome(String type) {
        return Json.object().put("type", type);
    }

    static ObjectNode runError(String message, String code) {
        return of("RUN_ERROR").put("message", message).put("code", code);
    }

    static ObjectNode stepStarted(String name) {
        return of("STEP_STARTED").put("stepName", name);
    }

    static ObjectNode stepFinished(String name) {
        return of("STEP_FINISHED").put("stepName", name);
    }

    static ObjectNode textStart(String messageId, ObjectNode metadata) {
        ObjectNode event = of("TEXT_MESSAGE_START").put("messageId", messageId).put("role", "assistant");
        if (metadata != null && !metadata.isEmpty()) {
            event.set("metadata", metadata);
        }
        return event;
    }

    static ObjectNode textContent(String messageId, String delta) {
        return of("TEXT_MESSAGE_CONTENT").put("messageId", messageId).put("delta", delta);
    }

    static ObjectNode textEnd(String messageId) {
        return of("TEXT_MESSAGE_END").put("messageId", messageId);
    }

    static ObjectNode toolStart(String toolCallId, String name, String parentMessageId) {
        ObjectNode event = of("TOOL_CALL_START").put("toolCallId", toolCallId).put("toolCallName", name);
        if (parentMessageId != null) {
            event.put("parentMessageId", parentMessageId);
        }
        return event;
    }

    static ObjectNode toolArgs(String toolCallId, String delta) {
        return of("TOOL_CALL_ARGS").put("toolCallId", toolCallId).put("delta", delta);
    }

    static ObjectNode toolEnd(String toolCallId) {
        return of("TOOL_CALL_END").put("toolCallId", toolCallId);
    }

    static ObjectNode toolResult(String messageId, String toolCallId, String content, ObjectNode metadata) {
        ObjectNode event = of("TOOL_CALL_RESULT").put("messageId", messageId).put("toolCallId", toolCallId)
                .put("content", content).put("role", "tool");
        event.set("metadata", metadata);
        return event;
    }

    static ObjectNode stateSnapshot(JsonNode state) {
        ObjectNode event = of("STATE_SNAPSHOT");
        event.set("snapshot", state.deepCopy());
        return event;
    }

    static ObjectNode stateDelta(JsonNode patch) {
        ObjectNode event = of("STATE_DELTA");
        event.set("delta", patch);
        return event;
    }
}
