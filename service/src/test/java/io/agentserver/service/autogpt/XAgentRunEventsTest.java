package io.agentserver.service.autogpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XAgentRunEventsTest {
    private static final Instant ADDED = Instant.parse("2024-07-05T09:37:10.972Z");
    private final XAgentRunEvents events = new XAgentRunEvents();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void nodeEventForADeliveredStepIsByteExact() {
        RawJsonObject event = events.nodeExecutionEvent("U", "demo-agent", "I-1", "node-7", "subtask", "1.2",
                "{\"goal\":\"x\",\"score\":1.50}", "[{\"name\":\"a.txt\"}]", 4, ADDED);
        assertThat(event.text()).isEqualTo("{\"user_id\":\"U\",\"graph_id\":\"demo-agent\",\"graph_version\":1,"
                + "\"graph_exec_id\":\"I-1\",\"node_exec_id\":\"node-7\",\"node_id\":\"subtask\",\"block_id\":\"xagent-step\","
                + "\"status\":\"COMPLETED\",\"input_data\":{},\"output_data\":{\"status\":[\"subtask\"],\"current\":[\"1.2\"],"
                + "\"data\":[{\"goal\":\"x\",\"score\":1.50}],\"workspace_file_list\":[[{\"name\":\"a.txt\"}]]},"
                + "\"add_time\":\"2024-07-05T09:37:10.972000Z\",\"queue_time\":\"2024-07-05T09:37:10.972000Z\","
                + "\"start_time\":\"2024-07-05T09:37:10.972000Z\",\"end_time\":\"2024-07-05T09:37:10.972000Z\","
                + "\"event_type\":\"node_execution_update\",\"seq\":4}");
    }

    @Test
    void nodeEventForAFailedStepIsFailed() throws Exception {
        RawJsonObject event = events.nodeExecutionEvent("U", "a", "I", "n", "failed", null, "\"boom\"", null, 9, ADDED);
        JsonNode node = mapper.readTree(event.text());
        assertThat(node.get("status").asText()).isEqualTo("FAILED");
        assertThat(node.get("node_id").asText()).isEqualTo("failed");
        assertThat(node.at("/output_data/current/0").isNull()).isTrue();
        assertThat(node.at("/output_data/data/0").asText()).isEqualTo("boom");
        assertThat(node.at("/output_data/workspace_file_list/0").isArray()).isTrue();
    }

    @Test
    void nodeEventWithoutStatusOrDataUsesDefaults() throws Exception {
        JsonNode node = mapper.readTree(events.nodeExecutionEvent("U", "a", "I", "n", null, "c", null, "[]", 0, ADDED).text());
        assertThat(node.get("node_id").asText()).isEqualTo("xagent-step");
        assertThat(node.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(node.at("/output_data/data/0").isNull()).isTrue();
    }

    @Test
    void nodeEventRejectsMalformedStepData() {
        assertThatThrownBy(() -> events.nodeExecutionEvent("U", "a", "I", "n", "s", "c", "{\"a\":", "[]", 0, ADDED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> events.nodeExecutionEvent("U", "a", "I", "n", "s", "c", "{} {}", "[]", 0, ADDED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> events.nodeExecutionEvent("U", "a", "I", "n", "s", "c", "1", "[", 0, ADDED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeEventIsIngestibleAsIfAnAutoGptExecutorHadPublishedIt() {
        RawJsonObject event = events.nodeExecutionEvent("U", "G", "E", "n", "inner", "c", "{}", "[]", 1, ADDED);
        RedisIngest ingest = new RedisIngest(RedisChannels.defaults(), new SubscriptionCodec());
        IngestedEvent ingested = ingest.decode("execution_event/U/G/E", "{\"payload\":" + event.text() + "}").orElseThrow();
        assertThat(ingested.method()).isEqualTo(WsMethod.NODE_EXECUTION_EVENT);
        assertThat(ingested.channelKeys()).containsExactly("U|graph_exec#E", "U|graph#G|executions");
    }

    @Test
    void graphEventIsByteExact() {
        RawJsonObject event = events.graphExecutionEvent("U", "demo-agent", "I-1", "finished",
                Instant.parse("2024-07-05T09:37:10Z"), Instant.parse("2024-07-05T09:38:00.000001Z"));
        assertThat(event.text()).isEqualTo("{\"id\":\"I-1\",\"user_id\":\"U\",\"graph_id\":\"demo-agent\",\"graph_version\":1,"
                + "\"inputs\":{},\"credential_inputs\":null,\"nodes_input_masks\":null,\"preset_id\":null,"
                + "\"status\":\"COMPLETED\",\"started_at\":\"2024-07-05T09:37:10Z\",\"ended_at\":\"2024-07-05T09:38:00.000001Z\","
                + "\"stats\":null,\"outputs\":{},\"event_type\":\"graph_execution_update\"}");
    }

    @Test
    void graphEventOfARunNotStartedHasNullTimes() throws Exception {
        JsonNode node = mapper.readTree(events.graphExecutionEvent("U", "a", "I", "ready", null, null).text());
        assertThat(node.get("status").asText()).isEqualTo("QUEUED");
        assertThat(node.get("started_at").isNull()).isTrue();
        assertThat(node.get("ended_at").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "ready, QUEUED",
            "waiting, QUEUED",
            "connected, QUEUED",
            "running, RUNNING",
            "ask_for_human_help, REVIEW",
            "finished, COMPLETED",
            "failed, FAILED",
            "closed, TERMINATED"})
    void everyRunStatusMapsToAnAutoGptStatus(String wire, ExecutionStatus expected) throws Exception {
        assertThat(XAgentRunEvents.graphStatus(wire)).isEqualTo(expected);
        JsonNode node = mapper.readTree(events.graphExecutionEvent("U", "a", "I", wire, ADDED, null).text());
        assertThat(node.get("status").asText()).isEqualTo(expected.name());
    }

    @Test
    void unknownRunStatusIsAProgrammingError() {
        assertThatThrownBy(() -> events.graphExecutionEvent("U", "a", "I", "RUNNING", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void finishedRunNotifiesRunFinished() {
        assertThat(events.notification("I-1", "finished", "done").map(RawJsonObject::text)).contains(
                "{\"type\":\"info\",\"event\":\"run_finished\",\"interaction_id\":\"I-1\",\"status\":\"COMPLETED\",\"message\":\"done\"}");
    }

    @Test
    void failedRunNotifiesRunFailed() {
        assertThat(events.notification("I-1", "failed", "bad \"thing\"").map(RawJsonObject::text)).contains(
                "{\"type\":\"info\",\"event\":\"run_failed\",\"interaction_id\":\"I-1\",\"status\":\"FAILED\",\"message\":\"bad \\\"thing\\\"\"}");
    }

    @Test
    void otherStatusesNotifyNothing() {
        for (String wire : List.of("ready", "waiting", "connected", "running", "ask_for_human_help", "closed")) {
            assertThat(events.notification("I", wire, "m")).as(wire).isEmpty();
        }
    }

    @Test
    void notificationIsIngestibleAndFramedWithNullChannel() {
        RawJsonObject data = events.notification("I", "finished", "ok").orElseThrow();
        RedisIngest ingest = new RedisIngest(RedisChannels.defaults(), new SubscriptionCodec());
        IngestedEvent ingested = ingest.decode("notification_event/U",
                "{\"payload\":{\"user_id\":\"U\",\"payload\":" + data.text() + "}}").orElseThrow();
        assertThat(ingested.deliveries().get(0).frame().text())
                .isEqualTo("{\"method\":\"notification\",\"data\":" + data.text()
                        + ",\"success\":null,\"channel\":null,\"error\":null}");
    }

    @Test
    void timesAreUtcWithZAndSixDigitMicrosecondsOmittedWhenZero() {
        assertThat(XAgentRunEvents.isoUtc(Instant.parse("2024-07-05T09:37:10.972Z"))).isEqualTo("2024-07-05T09:37:10.972000Z");
        assertThat(XAgentRunEvents.isoUtc(Instant.parse("2024-07-05T09:37:10Z"))).isEqualTo("2024-07-05T09:37:10Z");
        assertThat(XAgentRunEvents.isoUtc(Instant.parse("2024-07-05T09:37:10.000000999Z"))).isEqualTo("2024-07-05T09:37:10Z");
        assertThat(XAgentRunEvents.isoUtc(Instant.parse("2024-07-05T09:37:10.123456789Z"))).isEqualTo("2024-07-05T09:37:10.123456Z");
    }
}
