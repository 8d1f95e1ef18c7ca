package io.agentserver.service.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.JsonPatch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the official client does not check, checked on a whole AG-UI run: ids 1, 2, 3… without a gap, one run from
 * RUN_STARTED to its last event, TOOL_CALL_RESULTs that answer a started and ended call once, and state deltas that
 * apply to the state the snapshot and earlier deltas built. Returns the final state.
 */
public final class AguiChecks {

    private AguiChecks() {
    }

    /** Each of {@code runs} of {@code agent}, replayed from its start on the events route, is a well-formed run. */
    public static void everyRunReplaysWellFormed(AguiClient client, String agent, List<String> runs) {
        for (String run : runs) {
            try (AguiClient.Stream replay = client.events(agent, run, null)) {
                wellFormedRun(replay.rest());
            }
        }
    }

    public static JsonNode wellFormedRun(List<AguiClient.Event> events) {
        assertThat(events).isNotEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).id()).as("SSE id of event %d", i).isEqualTo(i + 1);
        }
        assertThat(events.getFirst().type()).isEqualTo("RUN_STARTED");
        assertThat(events.getLast().type()).isIn("RUN_FINISHED", "RUN_ERROR");
        for (AguiClient.Event event : events.subList(1, events.size() - 1)) {
            assertThat(event.type()).isNotIn("RUN_STARTED", "RUN_FINISHED", "RUN_ERROR");
        }
        Set<String> ended = new HashSet<>();
        Set<String> started = new HashSet<>();
        Set<String> answered = new HashSet<>();
        Map<String, Integer> openText = new HashMap<>();
        JsonNode state = null;
        for (AguiClient.Event event : events) {
            JsonNode data = event.data();
            switch (event.type()) {
                case "TOOL_CALL_START" -> assertThat(started.add(data.path("toolCallId").asText())).isTrue();
                case "TOOL_CALL_END" -> {
                    assertThat(started).contains(data.path("toolCallId").asText());
                    assertThat(ended.add(data.path("toolCallId").asText())).isTrue();
                }
                case "TOOL_CALL_RESULT" -> {
                    String id = data.path("toolCallId").asText();
                    assertThat(ended).as("a result answers a call that was started and ended").contains(id);
                    assertThat(answered.add(id)).as("one result per call: %s", id).isTrue();
                }
                case "TEXT_MESSAGE_START" -> openText.merge(data.path("messageId").asText(), 1, Integer::sum);
                case "STATE_SNAPSHOT" -> state = data.path("snapshot").deepCopy();
                case "STATE_DELTA" -> {
                    assertThat(state).as("a delta follows a snapshot").isNotNull();
                    state = JsonPatch.apply(data.path("delta"), state); // throws when it does not apply
                }
                default -> {
                }
            }
        }
        return state;
    }
}
